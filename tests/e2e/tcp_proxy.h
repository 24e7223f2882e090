// A TCP proxy on 127.0.0.1 between a process under test and a server, that a test can cut:
// every connection through it is reset and new ones are refused until it heals, as a network
// partition looks to a client. One thread, poll(2) over every socket.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace test_support {

class TcpProxy {
 public:
  // Forwards a free port of 127.0.0.1 to 127.0.0.1:`target_port`.
  explicit TcpProxy(std::uint16_t target_port) : target_port_(target_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address = loopback(0);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 64) != 0)
      throw std::runtime_error("tcp proxy: cannot listen on 127.0.0.1");
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~TcpProxy() {
    stop_ = true;
    thread_.join();
    for (auto [client, server] : pairs_) {
      ::close(client);
      ::close(server);
    }
    ::close(listener_);
  }
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // Resets every connection through the proxy and refuses new ones, until heal().
  void cut() { cut_ = true; }
  void heal() { cut_ = false; }
  int connections() const { return open_.load(); }

 private:
  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
  }

  // Closes with a reset (SO_LINGER 0), as a broken path looks to the other end.
  static void reset(int socket) {
    linger hard{1, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(socket);
  }

  void loop() {
    std::vector<char> buffer(1 << 16);
    while (!stop_) {
      if (cut_) {
        for (auto [client, server] : pairs_) {
          reset(client);
          reset(server);
        }
        pairs_.clear();
      }
      std::vector<pollfd> watched{{listener_, POLLIN, 0}};
      for (auto [client, server] : pairs_) {
        watched.push_back({client, POLLIN, 0});
        watched.push_back({server, POLLIN, 0});
      }
      open_ = static_cast<int>(pairs_.size());
      if (::poll(watched.data(), watched.size(), 50) <= 0)
        continue;
      std::vector<std::pair<int, int>> kept;
      for (std::size_t i = 0; i < pairs_.size(); ++i) {
        auto [client, server] = pairs_[i];
        bool open = true;
        for (auto [from, to, events] : {std::tuple{client, server, watched[1 + 2 * i].revents},
                                        std::tuple{server, client, watched[2 + 2 * i].revents}}) {
          if (!open || !(events & (POLLIN | POLLHUP | POLLERR)))
            continue;
          ssize_t got = ::read(from, buffer.data(), buffer.size());
          open = got > 0 && send_all(to, buffer.data(), static_cast<std::size_t>(got));
        }
        if (open) {
          kept.emplace_back(client, server);
        } else {
          ::close(client);
          ::close(server);
        }
      }
      pairs_.swap(kept);
      // After the pairs polled above: a new pair has no entry in `watched`.
      if (watched[0].revents & POLLIN) {
        int client = ::accept(listener_, nullptr, nullptr);
        if (client >= 0) {
          int server = cut_ ? -1 : ::socket(AF_INET, SOCK_STREAM, 0);
          sockaddr_in target = loopback(target_port_);
          if (server >= 0 &&
              ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) == 0) {
            pairs_.emplace_back(client, server);
          } else {
            reset(client);
            if (server >= 0)
              ::close(server);
          }
        }
      }
    }
  }

  static bool send_all(int socket, const char* data, std::size_t size) {
    while (size > 0) {
      ssize_t sent = ::send(socket, data, size, MSG_NOSIGNAL);
      if (sent <= 0)
        return false;
      data += sent;
      size -= static_cast<std::size_t>(sent);
    }
    return true;
  }

  std::uint16_t target_port_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::atomic<int> open_{0};
  std::vector<std::pair<int, int>> pairs_;  // only the loop's thread touches them
  std::thread thread_;
};

}  // namespace test_support
