#include "hub/serve/sessions.h"

#include <stdexcept>
#include <vector>

#include <openssl/rand.h>

#include "connectors/text/hex.h"

namespace hub {

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    throw std::runtime_error("the random generator failed");
  return connectors::text::hex(random);
}

Session Sessions::open(const Caller& caller) {
  Session session{random_hex(32), caller, random_hex(32)};
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kMaxSessions) {
    std::erase_if(sessions_, [&](const auto& entry) { return entry.second.expires <= now; });
    // Still full: the session closest to its end makes room.
    if (sessions_.size() >= kMaxSessions) {
      auto oldest = sessions_.begin();
      for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        if (it->second.expires < oldest->second.expires)
          oldest = it;
      }
      sessions_.erase(oldest);
    }
  }
  sessions_[session.id] = Entry{session, now + kLifetime};
  return session;
}

std::optional<Session> Sessions::find(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(std::string(id));
  if (found == sessions_.end())
    return std::nullopt;
  if (found->second.expires <= Clock::now()) {
    sessions_.erase(found);
    return std::nullopt;
  }
  return found->second.session;
}

void Sessions::close(std::string_view id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::string(id));
}

}  // namespace hub
