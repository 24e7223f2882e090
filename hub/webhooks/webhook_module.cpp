#include "hub/webhooks/webhook_module.h"

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "campaign_hub/ascii.h"
#include "hub/serve/metrics.h"

namespace hub::webhooks {
namespace {

constexpr const char* kJson = "application/json";

// Headers never kept with a request: its proof of origin, and credentials.
bool kept_header(std::string_view name) {
  for (std::string_view dropped : {"webhook-signature", "x-hubspot-signature-v3",
                                   "x-hubspot-signature", "authorization", "cookie"}) {
    if (campaign_hub::iequals(name, dropped))
      return false;
  }
  return true;
}

std::string headers_json(const httplib::Headers& headers) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
  out.StartObject();
  for (const auto& [name, value] : headers) {
    if (!kept_header(name))
      continue;
    out.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    out.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
  out.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

// The media types each scheme's providers send (webhooks.md): JSON, and Mailchimp's form.
bool expected_type(std::optional<Scheme> scheme, std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  auto is = [&](std::string_view type) {
    return campaign_hub::iequals(media.substr(0, media.find_last_not_of(' ') + 1), type);
  };
  if (scheme == Scheme::url_secret)
    return is("application/x-www-form-urlencoded") || is("application/json");
  return is("application/json");
}

void answer(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, kJson);
}

}  // namespace

WebhookModule::WebhookModule(const Config& config, bool tls)
    : tls_(tls),
      largest_body_(largest_body(config)),
      spool_(std::make_unique<Spool>(config.database_url)) {
  reconfigure(config);
}

WebhookModule::~WebhookModule() = default;

void WebhookModule::reconfigure(const Config& config) {
  std::map<std::string, Endpoint> webhooks;
  for (const auto& instance : config.instances) {
    if (instance.webhook) {
      webhooks.emplace(instance.name,
                       Endpoint{*instance.webhook, scheme_named(instance.webhook->scheme)});
    }
  }
  std::lock_guard lock(mutex_);
  webhooks_ = std::move(webhooks);
}

void WebhookModule::attach(httplib::Server& server) {
  // httplib reads a whole body before any handler: past the largest cap it answers 413 itself.
  // Never below 1 MiB, which the API's own requests stay far under.
  if (largest_body_ > 0)
    server.set_payload_max_length(std::max<std::size_t>(largest_body_, 1 << 20));
  const char* route = R"(/webhooks/([^/]+)(/.*)?)";
  server.Post(route, [this](const httplib::Request& request, httplib::Response& response) {
    receive(request, response);
  });
  server.Get(route, [this](const httplib::Request& request, httplib::Response& response) {
    check_url(request, response);
  });
}

void WebhookModule::count(const std::string& instance, const char* outcome) {
  if (metrics_ != nullptr)
    metrics_->webhook(instance, outcome);
}

std::optional<WebhookModule::Target> WebhookModule::target(const httplib::Request& request) {
  Target found{request.matches[1],
               {},
               request.matches.size() > 2 ? std::string(request.matches[2]) : "",
               ""};
  {
    std::lock_guard lock(mutex_);
    auto it = webhooks_.find(found.instance);
    if (it == webhooks_.end())
      return std::nullopt;
    found.endpoint = it->second;
  }
  // url-secret: the last segment is the secret, never kept with the request.
  if (found.endpoint.scheme == Scheme::url_secret && !found.rest.empty()) {
    const auto slash = found.rest.rfind('/');
    found.path_secret = found.rest.substr(slash + 1);
    found.rest.erase(slash);
  }
  return found;
}

void WebhookModule::receive(const httplib::Request& request, httplib::Response& response) {
  auto target = this->target(request);
  if (!target) {
    count("", "unknown_instance");  // not the URL's name: a label per stranger's guess
    answer(response, 404, error_json("no webhook is configured for this instance"));
    return;
  }
  const std::string& instance = target->instance;
  const WebhookConfig& config = target->endpoint.config;
  if (request.body.size() > config.max_body_bytes) {
    count(instance, "too_large");
    answer(response, 413,
           error_json("the body is over " + std::to_string(config.max_body_bytes) + " bytes"));
    return;
  }
  if (!expected_type(target->endpoint.scheme, request.get_header_value("Content-Type"))) {
    count(instance, "unsupported_type");
    answer(
        response, 415,
        error_json("this webhook takes no " + request.get_header_value("Content-Type") + " body"));
    return;
  }

  campaign_hub::Headers headers(request.headers.begin(), request.headers.end());
  const std::string scheme = tls_ ? "https" : "http";
  const std::string url =
      (config.public_url.empty() ? scheme + "://" + request.get_header_value("Host")
                                 : config.public_url) +
      request.target;
  const Verdict verdict =
      verify(config, {request.method, url, target->path_secret, headers, request.body},
             std::chrono::system_clock::now());
  if (!verdict.ok) {
    count(instance, "unauthorized");
    spdlog::warn("webhooks: a request for '{}' from {} refused: {}", instance, request.remote_addr,
                 verdict.reason);
    answer(response, 401, error_json(verdict.reason));
    return;
  }

  const auto question = request.target.find('?');
  Delivery delivery{
      instance,
      verdict.delivery_id.size() <= 255 ? verdict.delivery_id : verdict.delivery_id.substr(0, 255),
      request.method,
      target->rest,
      question == std::string::npos ? "" : request.target.substr(question + 1),
      headers_json(request.headers),
      request.body};
  try {
    const Kept kept = spool_->append(std::move(delivery));
    count(instance, kept == Kept::stored ? "accepted" : "duplicate");
    if (kept == Kept::stored && kept_)
      kept_(instance);
    answer(response, 200,
           kept == Kept::stored ? R"({"status":"accepted"})"
                                  "\n"
                                : R"({"status":"duplicate","detail":"kept before"})"
                                  "\n");
  } catch (const SpoolUnavailable& error) {
    count(instance, "unavailable");
    response.set_header("Retry-After", "5");
    answer(response, 503, error_json(std::string("not kept, retry later: ") + error.what()));
  }
}

void WebhookModule::check_url(const httplib::Request& request, httplib::Response& response) {
  auto target = this->target(request);
  if (!target || target->endpoint.scheme != Scheme::url_secret) {
    answer(response, 404, error_json("no webhook is configured for this instance"));
    return;
  }
  if (target->path_secret.empty() ||
      !same_bytes(target->path_secret, target->endpoint.config.secret)) {
    answer(response, 401, error_json("the URL's secret does not match"));
    return;
  }
  answer(response, 200,
         R"({"status":"ready"})"
         "\n");
}

std::size_t largest_body(const Config& config) {
  std::size_t largest = 0;
  for (const auto& instance : config.instances) {
    if (instance.webhook)
      largest = std::max(largest, instance.webhook->max_body_bytes);
  }
  return largest;
}

}  // namespace hub::webhooks
