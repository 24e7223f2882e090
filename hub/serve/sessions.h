// The page's logins: a session opened with a valid API token, named by a random id that travels
// only in an HttpOnly, SameSite=Strict cookie, with a CSRF token of its own that the page sends
// on every write. Sessions live in the listener's memory (a restart logs everyone out) and end
// after 12 hours, or when logged out.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hub/config/config.h"

namespace hub {

struct Caller {
  std::string name;  // the token's name, or "local"
  Role role = Role::viewer;
};

struct Session {
  std::string id;  // the cookie's value
  Caller caller;
  std::string csrf;
};

class Sessions {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::hours kLifetime{12};
  static constexpr std::size_t kMaxSessions = 10000;

  Session open(const Caller& caller);
  std::optional<Session> find(std::string_view id);
  void close(std::string_view id);

 private:
  struct Entry {
    Session session;
    Clock::time_point expires;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
};

// `bytes` random bytes from OpenSSL's generator, as hex.
std::string random_hex(std::size_t bytes);

}  // namespace hub
