#include "hub/serve/ops_module.h"

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hub {
namespace {

constexpr const char* kJson = "application/json";

// {"key": "value", ...} from pairs of texts.
std::string json_object(std::initializer_list<std::pair<const char*, std::string>> members) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
  out.StartObject();
  for (const auto& [key, value] : members) {
    out.Key(key);
    out.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace

void OpsModule::attach(httplib::Server& server) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(json_object({{"status", "alive"}}), kJson);
  });

  server.Get("/readyz", [this](const httplib::Request&, httplib::Response& response) {
    if (auto reason = hooks_.not_ready()) {
      response.status = 503;
      response.set_content(json_object({{"status", "not ready"}, {"reason", *reason}}), kJson);
      return;
    }
    response.set_content(json_object({{"status", "ready"}}), kJson);
  });

  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(hooks_.metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });

  server.Post(R"(/instances/([^/]+)/sync)", [this](const httplib::Request& request,
                                                   httplib::Response& response) {
    const AccessDecision access = access_.check(request, Role::manager);
    if (!access.caller) {
      response.status = access.status;
      if (access.status == 401)
        response.set_header("WWW-Authenticate", "Bearer");
      response.set_content(json_object({{"error", access.reason}}), kJson);
      return;
    }
    const std::string instance = request.matches[1];
    switch (hooks_.run_now(instance)) {
      case Ask::queued:
        response.status = 202;
        response.set_content(json_object({{"instance", instance}, {"status", "queued"}}), kJson);
        break;
      case Ask::running:
        response.status = 202;
        response.set_content(
            json_object({{"instance", instance}, {"status", "running; runs again after"}}), kJson);
        break;
      case Ask::unknown:
        response.status = 404;
        response.set_content(json_object({{"error", "no instance named '" + instance + "'"}}),
                             kJson);
        break;
    }
  });
}

}  // namespace hub
