// The simulator's own endpoints under /_sim: fault rules, data mutations, stats, and a few
// generic endpoints for connector tests (echo, Link-header paging, large bodies).
#include <rapidjson/document.h>

#include "ids.h"
#include "sim.h"
#include "webhook_sender.h"

namespace provider_sim {
namespace {

void json(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json");
}

void error(httplib::Response& response, int status, const std::string& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "error", message);
  w.EndObject();
  json(response, status, buffer.GetString());
}

bool parse_body(const httplib::Request& request, httplib::Response& response,
                rapidjson::Document& document) {
  document.Parse(request.body.c_str());
  if (document.HasParseError() || !document.IsObject()) {
    error(response, 400, "expected a JSON object");
    return false;
  }
  return true;
}

}  // namespace

void add_control(Simulator::State& state) {
  httplib::Server& server = state.server;
  server.Get("/_sim/health", [](const httplib::Request&, httplib::Response& res) {
    json(res, 200, R"({"ok":true})");
  });
  server.Get("/_sim/faults", [&state](const httplib::Request&, httplib::Response& res) {
    json(res, 200, state.faults.describe());
  });
  server.Post("/_sim/faults", [&state](const httplib::Request& req, httplib::Response& res) {
    try {
      state.faults.set(req.body);
      json(res, 200, state.faults.describe());
    } catch (const std::exception& e) {
      error(res, 400, e.what());
    }
  });
  server.Delete("/_sim/faults", [&state](const httplib::Request&, httplib::Response& res) {
    state.faults.set("");
    json(res, 200, state.faults.describe());
  });
  server.Post("/_sim/touch", [&state](const httplib::Request& req, httplib::Response& res) {
    rapidjson::Document body;
    if (!parse_body(req, res, body))
      return;
    std::string table =
        body.HasMember("table") && body["table"].IsString() ? body["table"].GetString() : "";
    double fraction = body.HasMember("fraction") && body["fraction"].IsNumber()
                          ? body["fraction"].GetDouble()
                          : 0.1;
    try {
      json(res, 200, "{\"touched\":" + std::to_string(state.touch(table, fraction)) + "}");
    } catch (const std::exception& e) {
      error(res, 404, e.what());
    }
  });
  server.Post("/_sim/delete", [&state](const httplib::Request& req, httplib::Response& res) {
    rapidjson::Document body;
    if (!parse_body(req, res, body))
      return;
    if (!body.HasMember("table") || !body["table"].IsString() || !body.HasMember("id") ||
        !body["id"].IsString()) {
      return error(res, 400, "expected {\"table\": \"...\", \"id\": \"...\"}");
    }
    try {
      bool removed = state.remove(body["table"].GetString(), body["id"].GetString());
      if (!removed)
        return error(res, 404, "no live record with that id");
      json(res, 200, R"({"deleted":true})");
    } catch (const std::exception& e) {
      error(res, 404, e.what());
    }
  });
  server.Post("/_sim/expire-tokens", [&state](const httplib::Request&, httplib::Response& res) {
    state.expire_tokens();
    json(res, 200, R"({"expired":true})");
  });
  server.Get("/_sim/stats", [&state](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(state.tokens_mutex);
    json(res, 200,
         "{\"requests\":" + std::to_string(state.requests.load()) +
             ",\"max_in_flight\":" + std::to_string(state.max_in_flight.load()) +
             ",\"faults_applied\":" + std::to_string(state.faults_applied.load()) +
             ",\"unauthorized\":" + std::to_string(state.unauthorized.load()) +
             ",\"tokens_issued\":" + std::to_string(state.tokens_issued) + "}");
  });

  // Webhooks pushed to the hub as Connect does (webhook_sender.h).
  server.Post("/_sim/webhooks", [&state](const httplib::Request& req, httplib::Response& res) {
    try {
      const auto events = state.webhooks->push(PushPlan::parse(req.body));
      json(res, 202, "{\"events\":" + std::to_string(events) + "}");
    } catch (const std::exception& e) {
      error(res, 400, e.what());
    }
  });
  server.Get("/_sim/webhooks", [&state](const httplib::Request&, httplib::Response& res) {
    const WebhookStats s = state.webhooks->stats();
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    for (const auto& [name, value] : {std::pair<const char*, std::int64_t>{"events", s.events},
                                      {"deliveries", s.deliveries},
                                      {"attempts", s.attempts},
                                      {"delivered", s.delivered},
                                      {"bodies", s.bodies},
                                      {"retried", s.retried},
                                      {"gave_up", s.gave_up},
                                      {"forged", s.forged},
                                      {"forged_refused", s.forged_refused},
                                      {"forged_accepted", s.forged_accepted},
                                      {"queued", s.queued}}) {
      w.Key(name);
      w.Int64(value);
    }
    w.EndObject();
    json(res, 200, buffer.GetString());
  });

  // Generic endpoints, faults apply to them like to the providers'.
  Handler echo = [](const httplib::Request& request, const FaultPlan&) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    put(w, "method", request.method);
    put(w, "path", request.path);
    w.Key("query");
    w.StartObject();
    for (const auto& [name, value] : request.params)
      put(w, name.c_str(), value);
    w.EndObject();
    w.Key("headers");
    w.StartObject();
    for (const auto& [name, value] : request.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;
      }
      put(w, name.c_str(), value);
    }
    w.EndObject();
    put(w, "body", request.body);
    w.EndObject();
    Answer answer;
    answer.body = buffer.GetString();
    return answer;
  };
  state.route("GET", "/_sim/echo", Provider::sim, echo);
  state.route("POST", "/_sim/echo", Provider::sim, echo);
  state.route(
      "GET", "/_sim/linked", Provider::sim, [](const httplib::Request& request, const FaultPlan&) {
        auto page = int_param(request, "page", 1).value_or(1);
        auto per_page = int_param(request, "per_page", 10).value_or(10);
        auto total = int_param(request, "total", 95).value_or(95);
        std::int64_t pages = (total + per_page - 1) / per_page;
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        w.StartArray();
        for (std::int64_t i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) {
          w.StartObject();
          w.Key("id");
          w.Int64(i);
          w.EndObject();
        }
        w.EndArray();
        Answer answer;
        answer.body = buffer.GetString();
        auto link = [&](std::int64_t p, const char* rel) {
          return "<http://127.0.0.1:" +
                 std::string(request.get_header_value("Host").substr(
                     request.get_header_value("Host").find(':') + 1)) +
                 "/_sim/linked?page=" + std::to_string(p) +
                 "&per_page=" + std::to_string(per_page) + "&total=" + std::to_string(total) +
                 ">; rel=\"" + rel + "\"";
        };
        std::string header = link(1, "first") + ", " + link(pages, "last");
        if (page < pages)
          header = link(page + 1, "next") + ", " + header;
        answer.headers.emplace("Link", header);
        return answer;
      });
  state.route(
      "GET", "/_sim/blob", Provider::sim, [](const httplib::Request& request, const FaultPlan&) {
        auto bytes = std::max<std::int64_t>(int_param(request, "bytes", 1000).value_or(1000), 11);
        Answer answer;
        answer.body =
            "{\"data\":\"" + std::string(static_cast<std::size_t>(bytes - 11), 'x') + "\"}";
        return answer;
      });
  // A page whose "data" is nested `depth` arrays deep: a hostile or broken provider.
  state.route(
      "GET", "/_sim/deep", Provider::sim, [](const httplib::Request& request, const FaultPlan&) {
        auto depth = static_cast<std::size_t>(std::clamp<std::int64_t>(
            int_param(request, "depth", 1000).value_or(1000), 1, 10000000));
        Answer answer;
        answer.body = "{\"data\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
        return answer;
      });
}

}  // namespace provider_sim
