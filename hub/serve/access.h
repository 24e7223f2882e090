// Who may do what on the listener. With serve.tokens configured, a request carries
// `Authorization: Bearer <token>`, or the session cookie the page's login form got for a token
// (hub/serve/sessions.h); the token's SHA-256 is compared, in constant time, with the
// configured ones, and its role must allow the request (viewer reads; contributor also triages;
// manager also replays, starts syncs and exports raw payloads). A write made with the cookie
// must send the session's CSRF token in `X-CSRF-Token`. Without tokens, only this machine may
// use it, as a manager named "local", and only under a loopback host name (so that a web page
// elsewhere cannot reach it by rebinding its DNS to 127.0.0.1); a browser's write must then send
// the process's own CSRF token. A browser's write from another origin is refused either way.
// A token is never logged, nor put in a URL.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/config/config.h"
#include "hub/serve/sessions.h"

namespace httplib {
struct Request;
}

namespace hub {

struct AccessDecision {
  std::optional<Caller> caller;  // set when allowed
  int status = 200;              // else 401 (who are you?) or 403 (not you, not this)
  std::string reason;
};

inline constexpr const char* kSessionCookie = "hub_session";

class Access {
 public:
  // Copies share one session store.
  explicit Access(std::vector<ApiToken> tokens);
  AccessDecision check(const httplib::Request& request, Role needed) const;
  bool has_tokens() const { return !tokens_.empty(); }

  // Refused before any token is looked at: a browser's write from another site's page, and,
  // without tokens, a request from elsewhere than this machine or for a host name that is not
  // loopback. Nothing when the request may go on.
  std::optional<AccessDecision> refuse_place(const httplib::Request& request) const;

  // The page's login: a session for a configured token, or nothing. Without tokens, the local
  // caller's session (no cookie needed).
  std::optional<Session> log_in(std::string_view token) const;
  // The session the request's cookie names, or the local one without tokens.
  std::optional<Session> session_of(const httplib::Request& request) const;
  void log_out(const httplib::Request& request) const;

 private:
  std::optional<Caller> caller_of_token(std::string_view token) const;

  std::vector<ApiToken> tokens_;
  std::shared_ptr<Sessions> sessions_;
  std::string local_csrf_;  // without tokens: the page's CSRF token, one per process
};

const char* role_name(Role role);

// The value of cookie `name` in the request's Cookie header, or nothing.
std::optional<std::string> cookie(const httplib::Request& request, std::string_view name);

}  // namespace hub
