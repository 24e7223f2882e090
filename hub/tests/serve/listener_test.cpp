#include "hub/serve/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace hub {
namespace {

ServeConfig on_a_free_port() {
  ServeConfig serve;
  serve.listen = "127.0.0.1:0";
  return serve;
}

// Starts a non-blocking connect to 127.0.0.1:port.
int connect_to(int port) {
  const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (socket < 0)
    throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int started =
      ::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  if (started != 0 && errno != EINPROGRESS)
    throw std::runtime_error(std::string("connect() failed: ") + std::strerror(errno));
  return socket;
}

// Whether the kernel completed the connection (it is writable without an error).
bool connected(int socket) {
  pollfd each{socket, POLLOUT, 0};
  if (::poll(&each, 1, 0) != 1 || (each.revents & POLLOUT) == 0)
    return false;
  int error = 0;
  socklen_t size = sizeof error;
  return ::getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
}

TEST(HttpListenerTest, ABurstOfConnectionsWaitsForTheAcceptThreadInsteadOfBeingDropped) {
  // Bound but not started: nothing accepts, so every connection waits in the backlog. httplib's
  // own backlog (5) held 6; the kernel drops the SYNs of the others, which retry a second later.
  HttpListener listener(on_a_free_port());
  const int port = listener.port();
  constexpr int kBurst = 64;
  std::vector<int> sockets;
  sockets.reserve(kBurst);
  for (int i = 0; i < kBurst; ++i)
    sockets.push_back(connect_to(port));

  int done = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < deadline) {
    done = 0;
    for (int socket : sockets)
      done += connected(socket) ? 1 : 0;
    if (done == kBurst)
      break;
    ::usleep(10000);
  }
  for (int socket : sockets)
    ::close(socket);
  EXPECT_EQ(done, kBurst) << "connections completed within 500 ms, before the SYN retry";
}

TEST(HttpListenerTest, AnAddressInUseIsRefusedWithTheAddress) {
  HttpListener first(on_a_free_port());
  ServeConfig same;
  same.listen = "127.0.0.1:" + std::to_string(first.port());
  try {
    HttpListener second(same);
    FAIL() << "a second listener bound " << same.listen;
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(same.listen), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace hub
