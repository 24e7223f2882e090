#include "hub/serve/session_module.h"

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

namespace hub {
namespace {

constexpr const char* kJson = "application/json";

std::string session_body(const Session& session) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("name");
  writer.String(session.caller.name.c_str());
  writer.Key("role");
  writer.String(role_name(session.caller.role));
  writer.Key("csrf");
  writer.String(session.csrf.c_str());
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

void refuse(httplib::Response& response, int status, const std::string& message) {
  response.status = status;
  response.set_content(error_json(message), kJson);
}

}  // namespace

void SessionModule::attach(httplib::Server& server) {
  server.Get("/api/v1/session",
             [this](const httplib::Request& request, httplib::Response& response) {
               response.set_header("Cache-Control", "no-store");
               if (auto refusal = access_.refuse_place(request)) {
                 refuse(response, refusal->status, refusal->reason);
                 return;
               }
               std::optional<Session> session;
               if (access_.has_tokens() && request.has_header("Authorization")) {
                 // A tool asking who its token is: no session, no CSRF token needed.
                 const AccessDecision decision = access_.check(request, Role::viewer);
                 if (decision.caller)
                   session = Session{"", *decision.caller, ""};
               } else {
                 session = access_.session_of(request);
               }
               if (!session) {
                 refuse(response, 401, "log in with an API token");
                 return;
               }
               response.set_content(session_body(*session), kJson);
             });

  server.Post(
      "/api/v1/session", [this](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Cache-Control", "no-store");
        rapidjson::Document body;
        body.Parse(request.body.c_str(), request.body.size());
        if (body.HasParseError() || !body.IsObject() || !body.HasMember("token") ||
            !body["token"].IsString()) {
          refuse(response, 400, "send {\"token\": \"<API token>\"}");
          return;
        }
        if (auto refusal = access_.refuse_place(request)) {
          refuse(response, refusal->status, refusal->reason);
          return;
        }
        auto session = access_.log_in(
            std::string_view(body["token"].GetString(), body["token"].GetStringLength()));
        if (!session) {
          spdlog::warn("page: a login with a token that is not configured, from {}",
                       request.remote_addr);
          refuse(response, 401, "this API token is not one of serve.tokens");
          return;
        }
        if (!session->id.empty()) {
          response.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session->id +
                                                "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                                std::to_string(Sessions::kLifetime.count() * 3600) +
                                                (secure_ ? "; Secure" : ""));
          spdlog::info("page: {} logged in ({})", session->caller.name,
                       role_name(session->caller.role));
        }
        response.set_content(session_body(*session), kJson);
      });

  server.Delete(
      "/api/v1/session", [this](const httplib::Request& request, httplib::Response& response) {
        if (auto refusal = access_.refuse_place(request)) {
          refuse(response, refusal->status, refusal->reason);
          return;
        }
        access_.log_out(request);
        response.set_header("Set-Cookie", std::string(kSessionCookie) +
                                              "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                              (secure_ ? "; Secure" : ""));
        response.status = 204;
      });
}

}  // namespace hub
