#include "plugins/salesforce/api.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "plugins/salesforce/query_page.h"

namespace salesforce {
namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r')
      c = ' ';
  }
  return text;
}

}  // namespace

std::string explain(const std::exception& error) {
  std::string what = error.what();
  const auto* http = dynamic_cast<const campaign_hub::HttpError*>(&error);
  if (http != nullptr && what.find("OAuth2 token request") != std::string::npos) {
    std::string reason;
    if (auto body = what.find("body: "); body != std::string::npos)
      reason = describe_oauth_error(what.substr(body + 6));
    if (http->status() == 0)
      return one_line("cannot reach the Salesforce token endpoint: " + what);
    return one_line("Salesforce refused the OAuth2 client credentials (HTTP " +
                    std::to_string(http->status()) + ": " +
                    (reason.empty() ? std::string("no error in the answer") : reason) +
                    "); check http.auth.token_url, client_id and client_secret");
  }
  if (auto body = what.find("body: "); body != std::string::npos) {
    if (std::string api = describe_api_error(what.substr(body + 6)); !api.empty())
      return one_line(what.substr(0, body) + "Salesforce says " + api);
  }
  return one_line(what);
}

bool is_request_limit(const campaign_hub::HttpError& error) {
  return std::string_view(error.what()).find("REQUEST_LIMIT_EXCEEDED") != std::string_view::npos;
}

SalesforceApi::SalesforceApi(campaign_hub::Host& host, const Settings& settings, Sleep sleep)
    : host_(host),
      backoff_(settings.limit_backoff),
      batch_size_(settings.batch_size),
      sleep_(std::move(sleep)) {
  if (!sleep_) {
    sleep_ = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  }
}

campaign_hub::HttpResponse SalesforceApi::get(const std::string& url) {
  campaign_hub::HttpRequest request;
  request.url = url;
  if (batch_size_) {
    request.headers.emplace_back("Sforce-Query-Options",
                                 "batchSize=" + std::to_string(*batch_size_));
  }
  for (int attempt = 1;; ++attempt) {
    campaign_hub::HttpResponse response;
    try {
      response = host_.http().send(request);
    } catch (const campaign_hub::HttpError& error) {
      if (!is_request_limit(error) || attempt >= backoff_.max_attempts)
        throw;
      // The connector has already retried what it retries; this limit is the org's, so wait
      // longer than a connector would, with a bound.
      long long delay = std::min<long long>(
          backoff_.max_delay_ms, static_cast<long long>(backoff_.base_delay_ms) << (attempt - 1));
      host_.logger().log(campaign_hub::LogLevel::warn,
                         "Salesforce answered REQUEST_LIMIT_EXCEEDED (attempt " +
                             std::to_string(attempt) + " of " +
                             std::to_string(backoff_.max_attempts) + "); waiting " +
                             std::to_string(delay) + " ms (settings limit_backoff)");
      sleep_(static_cast<int>(delay));
      continue;
    }
    if (auto header = response.header("Sforce-Limit-Info")) {
      if (auto used = api_usage(*header)) {
        std::lock_guard lock(usage_mutex_);
        usage_ = used;
        host_.note("api_usage", *used);
      }
    }
    if (response.status < 200 || response.status > 299) {
      std::string error = describe_api_error(response.body);
      throw std::runtime_error("GET " + url.substr(0, url.find('?')) + ": HTTP " +
                               std::to_string(response.status) +
                               (error.empty() ? std::string() : ": " + error));
    }
    return response;
  }
}

}  // namespace salesforce
