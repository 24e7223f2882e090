#include "hub/serve/access.h"

#include <httplib.h>
#include <openssl/crypto.h>

#include "campaign_hub/ascii.h"
#include "hub/serve/listener.h"

namespace hub {

const char* role_name(Role role) {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::contributor:
      return "contributor";
    case Role::manager:
      return "manager";
  }
  return "viewer";
}

AccessDecision Access::check(const httplib::Request& request, Role needed) const {
  AccessDecision decision;
  std::optional<Caller> caller;
  if (tokens_.empty()) {
    if (!from_loopback(request)) {
      decision.status = 403;
      decision.reason = "this listener answers this machine only until serve.tokens are set";
      return decision;
    }
    caller = Caller{"local", Role::manager};
  } else {
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() ||
        !campaign_hub::iequals(std::string_view(header).substr(0, kBearer.size()), kBearer)) {
      decision.status = 401;
      decision.reason = "an API token is needed: send Authorization: Bearer <token>";
      return decision;
    }
    const auto digest = token_digest(std::string_view(header).substr(kBearer.size()));
    // Every token is compared, in constant time, whichever matches.
    for (const auto& token : tokens_) {
      if (CRYPTO_memcmp(digest.data(), token.sha256.data(), digest.size()) == 0 && !caller)
        caller = Caller{token.name, token.role};
    }
    if (!caller) {
      decision.status = 401;
      decision.reason = "this API token is not one of serve.tokens";
      return decision;
    }
  }
  if (static_cast<int>(caller->role) < static_cast<int>(needed)) {
    decision.status = 403;
    decision.reason = std::string("a ") + role_name(caller->role) + " token may not do this; it " +
                      "needs the " + role_name(needed) + " role";
    return decision;
  }
  decision.caller = std::move(caller);
  return decision;
}

}  // namespace hub
