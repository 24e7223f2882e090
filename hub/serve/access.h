// Who may do what on the listener. With serve.tokens configured, every API request carries
// `Authorization: Bearer <token>`; the token's SHA-256 is compared, in constant time, with the
// configured ones, and its role must allow the request (viewer reads; contributor also triages;
// manager also replays, starts syncs and exports raw payloads). Without tokens, only this
// machine may use it, as a manager named "local". A token is never logged, nor put in a URL.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/config/config.h"

namespace httplib {
struct Request;
}

namespace hub {

struct Caller {
  std::string name;  // the token's name, or "local"
  Role role = Role::viewer;
};

struct AccessDecision {
  std::optional<Caller> caller;  // set when allowed
  int status = 200;              // else 401 (who are you?) or 403 (not you, not this)
  std::string reason;
};

class Access {
 public:
  explicit Access(std::vector<ApiToken> tokens) : tokens_(std::move(tokens)) {}
  AccessDecision check(const httplib::Request& request, Role needed) const;
  bool has_tokens() const { return !tokens_.empty(); }

 private:
  std::vector<ApiToken> tokens_;
};

const char* role_name(Role role);

}  // namespace hub
