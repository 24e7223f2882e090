#include "hub/serve/listener.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <stdexcept>

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>

namespace hub {
namespace {

// Threads answering requests. Most of a request's time is waiting, not computing: a webhook
// waits for the spool's group commit (an fsync), an API query for the database. httplib's
// default (8 on this machine) let only 8 requests wait at once, so a group commit held 8 at
// most, and other connections queued behind them: 2,400 webhooks/s at p99 95 ms against
// 4,700 at p99 24 ms with 40 (bench/webhooks).
constexpr std::size_t kThreads = 64;
// Requests on one keep-alive connection before httplib closes it (its default is 5). Each
// close races the client's next request on that connection, which then gets no answer (a few
// per 10,000 requests at 1,000, bench/webhooks); an idle connection still closes after 5 s.
constexpr std::size_t kRequestsPerConnection = 100000;
// Connections the kernel holds for the accept thread. httplib listens with a backlog of 5,
// fixed when Debian built it: 32 senders connecting at once overflowed it, and the SYNs it
// dropped came back a second later (bench/webhooks: a request of 1,000 ms and a "no answer"
// at start). The kernel caps it at net.core.somaxconn (4096).
constexpr int kListenBacklog = SOMAXCONN;

// httplib's default adds SO_REUSEPORT, which lets a second serve bind the same port and share
// its requests in silence; SO_REUSEADDR alone still allows a quick restart.
void reuse_address(int socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// "127.0.0.1:8080" or "[::1]:8080".
std::pair<std::string, int> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::size_t used = 0;
  int number = -1;
  try {
    number = std::stoi(port, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (host.empty() || used == 0 || used != port.size() || number < 0 || number > 65535) {
    throw std::runtime_error("serve.listen '" + listen +
                             "' is not host:port (such as 127.0.0.1:8080)");
  }
  return {host, number};
}

}  // namespace

HttpListener::HttpListener(const ServeConfig& serve) {
  auto [host, port] = split_listen(serve.listen);
  host_ = host;
  const bool loopback =
      host.starts_with("127.") || host == "::1" || host == "[::1]" || host == "localhost";
  if (!loopback && serve.tokens.empty()) {
    throw std::runtime_error("serve.listen " + serve.listen +
                             " is not this machine only, and serve.tokens is empty: anyone who "
                             "reaches it could read every campaign. Set serve.tokens "
                             "(docs/api.md) or listen on 127.0.0.1");
  }
  if (!serve.tls_certificate.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(serve.tls_certificate.c_str(),
                                                    serve.tls_private_key.c_str());
    if (!tls->is_valid()) {
      throw std::runtime_error(
          "serve.tls: cannot use certificate " + serve.tls_certificate.string() + " with key " +
          serve.tls_private_key.string() + " (unreadable, not PEM, or they do not match)");
    }
    server_ = std::move(tls);
    tls_ = true;
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->set_payload_max_length(1 << 20);
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server_->set_keep_alive_max_count(kRequestsPerConnection);
  // Small answers go out at once instead of waiting on the client's delayed ACK (40 ms on a
  // campaign's detail, bench/views).
  server_->set_tcp_nodelay(true);
  // httplib hands each socket it tries to this callback before binding it: the last one is
  // the one it listens on.
  int listening = -1;
  server_->set_socket_options([&listening](int socket) {
    listening = socket;
    reuse_address(socket);
  });
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  server_->set_socket_options(reuse_address);  // `listening` is not kept
  if (port_ <= 0) {
    throw std::runtime_error("cannot listen on " + serve.listen +
                             ": the address is in use or not this machine's");
  }
  // Listening again on a listening socket sets its backlog (Linux).
  if (::listen(listening, kListenBacklog) != 0)
    throw std::runtime_error("cannot listen on " + serve.listen + " with a backlog of " +
                             std::to_string(kListenBacklog) + ": " + std::strerror(errno));
}

HttpListener::~HttpListener() {
  stop();
}

void HttpListener::attach(HttpModule& module) {
  module.attach(*server_);
}

void HttpListener::start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // Serving once start() returns: httplib's stop() does nothing to a server that has not begun
  // to listen yet, so a stop() right after start() would otherwise wait for ever.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void HttpListener::stop() {
  if (server_)
    server_->stop();
  if (thread_.joinable())
    thread_.join();
}

std::string HttpListener::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return std::string(tls_ ? "https://" : "http://") + (v6 ? "[" + host_ + "]" : host_) + ":" +
         std::to_string(port_);
}

std::string error_json(const std::string& message, const std::string& parameter) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
  if (!parameter.empty()) {
    writer.Key("parameter");
    writer.String(parameter.c_str(), static_cast<rapidjson::SizeType>(parameter.size()));
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

bool from_loopback(const httplib::Request& request) {
  const std::string& address = request.remote_addr;
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

}  // namespace hub
