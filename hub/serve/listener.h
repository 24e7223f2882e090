// serve's one HTTP listener (cpp-httplib). It knows no routes of its own: each module (the
// operations endpoints here; the account managers' API and the webhook receiver in their own
// folders) attaches its routes, so that each can be built and tested apart.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "hub/config/config.h"

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace hub {

class ServeMetrics;

class HttpModule {
 public:
  virtual ~HttpModule() = default;
  virtual void attach(httplib::Server& server) = 0;
  // serve's metrics, handed over before attach; a module that counts nothing ignores them.
  virtual void count_into(ServeMetrics& /*metrics*/) {}
  // The config serve runs with after a reload (SIGHUP).
  virtual void reconfigure(const Config& /*config*/) {}
};

class HttpListener {
 public:
  // Binds `serve.listen` ("host:port"; port 0 takes a free one), with TLS when a certificate
  // is configured. Throws std::runtime_error naming the address and why.
  explicit HttpListener(const ServeConfig& serve);
  ~HttpListener();  // stops

  void attach(HttpModule& module);
  // Serves on a thread of its own until stop().
  void start();
  void stop();

  int port() const { return port_; }
  // "http://127.0.0.1:8080", for logs.
  std::string url() const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string host_;
  int port_ = 0;
  bool tls_ = false;
  std::thread thread_;
};

// The body every module answers an error with: {"error": message}, and "parameter" when the
// error is about one.
std::string error_json(const std::string& message, const std::string& parameter = "");

// Whether the request came from this machine (127.0.0.0/8 or ::1).
bool from_loopback(const httplib::Request& request);

}  // namespace hub
