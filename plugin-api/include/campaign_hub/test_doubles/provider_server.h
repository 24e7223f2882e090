// For a plugin's tests: a provider on 127.0.0.1 (cpp-httplib, on a free port) and the hub's own
// HTTP client pointed at it, so that the plugin's requests, paging, retries and error handling
// run as they will in the hub. Routes answer what the test says; every request is kept.
//
//   ProviderServer provider;
//   provider.on("GET", "/v1/campaigns", [](const ReceivedRequest& request) {
//     return campaign_hub::HttpResponse{200, {{"Content-Type", "application/json"}}, "[...]"};
//   });
//   FakeHost host;
//   auto http = provider.client(host.log);   // the instance's http object may be given too
//   host.http_connector = http.get();
//   MyProvider().read(host, emit);
//
// Link campaign_hub::provider-server (the SDK's CMake package defines it when cpp-httplib and
// libcurl are installed: Debian's libcpp-httplib-dev and libcurl4-openssl-dev).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "campaign_hub/host.h"
#include "connectors/http/client.h"

namespace campaign_hub::test_doubles {

// One request as the provider received it.
struct ReceivedRequest {
  std::string method;
  std::string path;                               // without the query
  std::multimap<std::string, std::string> query;  // decoded parameters
  campaign_hub::Headers headers;
  std::string body;
};

class ProviderServer {
 public:
  using Route = std::function<campaign_hub::HttpResponse(const ReceivedRequest&)>;

  ProviderServer() {
    const auto serve = [this](const httplib::Request& in, httplib::Response& out) {
      answer(in, out);
    };
    server_.Get(".*", serve);
    server_.Post(".*", serve);
    server_.Put(".*", serve);
    server_.Patch(".*", serve);
    server_.Delete(".*", serve);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0)
      throw std::runtime_error("ProviderServer: cannot listen on 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Connections queue from here on (bind_to_any_port called listen(2)); wait for the loop, so
    // that stop() in the destructor finds it running.
    for (int waited = 0; !server_.is_running() && waited < 5000; ++waited)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // Stops the server, also when the test failed.
  ~ProviderServer() {
    server_.stop();
    if (thread_.joinable())
      thread_.join();
  }

  ProviderServer(const ProviderServer&) = delete;
  ProviderServer& operator=(const ProviderServer&) = delete;

  // METHOD PATH (the path exactly; any query) answers with `route`; a later route for the same
  // pair replaces it. A request no route takes gets 404 and is kept like the others.
  void on(const std::string& method, const std::string& path, Route route) {
    const std::lock_guard lock(mutex_);
    routes_[method + " " + path] = std::move(route);
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Every request so far, in the order received.
  std::vector<ReceivedRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return received_;
  }

  // The hub's HTTP client for an instance whose http object is `http_json` (timeouts, retries,
  // auth...), with base_url this server. Give the plugin's FakeHost a pointer to it.
  std::unique_ptr<campaign_hub::Http> client(campaign_hub::Logger& logger,
                                             const std::string& http_json = "{}") const {
    rapidjson::Document http;
    http.Parse(http_json.data(), http_json.size());
    if (http.HasParseError() || !http.IsObject())
      throw std::invalid_argument("ProviderServer::client: http_json is not a JSON object");
    const std::string url = base_url();
    http.RemoveMember("base_url");
    http.AddMember("base_url", rapidjson::Value(url.c_str(), http.GetAllocator()),
                   http.GetAllocator());
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    http.Accept(writer);
    return connectors::http::make_client(text.GetString(), logger);
  }

 private:
  void answer(const httplib::Request& in, httplib::Response& out) {
    ReceivedRequest request{in.method, in.path, {}, {}, in.body};
    for (const auto& [name, value] : in.params)
      request.query.emplace(name, value);
    for (const auto& [name, value] : in.headers)
      request.headers.emplace_back(name, value);
    Route route;
    {
      const std::lock_guard lock(mutex_);
      received_.push_back(request);
      const auto found = routes_.find(in.method + " " + in.path);
      if (found != routes_.end())
        route = found->second;
    }
    if (!route) {
      out.status = 404;
      out.set_content(R"({"error":"no route for )" + in.method + " " + in.path + R"("})",
                      "application/json");
      return;
    }
    const campaign_hub::HttpResponse response = route(request);
    out.status = response.status;
    std::string content_type = "application/json";
    for (const auto& [name, value] : response.headers) {
      if (campaign_hub::iequals(name, "Content-Type"))
        content_type = value;
      else
        out.set_header(name, value);
    }
    out.set_content(response.body, content_type);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::vector<ReceivedRequest> received_;
};

}  // namespace campaign_hub::test_doubles
