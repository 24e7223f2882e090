#include "hub/serve/access.h"

#include <httplib.h>
#include <openssl/crypto.h>

#include "campaign_hub/ascii.h"
#include "hub/serve/listener.h"

namespace hub {
namespace {

bool is_write(const httplib::Request& request) {
  return request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
}

// Whether the request is sent by a browser page: browsers add these; tools do not.
bool from_browser(const httplib::Request& request) {
  return request.has_header("Origin") || request.has_header("Sec-Fetch-Site") ||
         request.has_header("Cookie");
}

// The Host header without its port: "127.0.0.1", "localhost", "[::1]".
std::string host_name(const httplib::Request& request) {
  std::string host = request.get_header_value("Host");
  if (!host.empty() && host.front() == '[')
    return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

bool loopback_name(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// A write from a page of another site: its Origin is not this listener's.
bool cross_site(const httplib::Request& request) {
  if (!request.has_header("Origin"))
    return request.get_header_value("Sec-Fetch-Site") == "cross-site";
  const std::string origin = request.get_header_value("Origin");
  const std::string host = request.get_header_value("Host");
  return origin != "http://" + host && origin != "https://" + host;
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

AccessDecision refused(int status, std::string reason) {
  AccessDecision decision;
  decision.status = status;
  decision.reason = std::move(reason);
  return decision;
}

}  // namespace

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

std::optional<std::string> cookie(const httplib::Request& request, std::string_view name) {
  const std::string header = request.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ')
      pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name)
      return std::string(pair.substr(equals + 1));
  }
  return std::nullopt;
}

Access::Access(std::vector<ApiToken> tokens)
    : tokens_(std::move(tokens)),
      sessions_(std::make_shared<Sessions>()),
      local_csrf_(random_hex(32)) {}

std::optional<Caller> Access::caller_of_token(std::string_view token) const {
  const auto digest = token_digest(token);
  std::optional<Caller> caller;
  // Every token is compared, in constant time, whichever matches.
  for (const auto& each : tokens_) {
    if (CRYPTO_memcmp(digest.data(), each.sha256.data(), digest.size()) == 0 && !caller)
      caller = Caller{each.name, each.role};
  }
  return caller;
}

std::optional<Session> Access::log_in(std::string_view token) const {
  if (tokens_.empty())
    return Session{"", Caller{"local", Role::manager}, local_csrf_};
  auto caller = caller_of_token(token);
  if (!caller)
    return std::nullopt;
  return sessions_->open(*caller);
}

std::optional<Session> Access::session_of(const httplib::Request& request) const {
  if (tokens_.empty())
    return Session{"", Caller{"local", Role::manager}, local_csrf_};
  auto id = cookie(request, kSessionCookie);
  return id ? sessions_->find(*id) : std::nullopt;
}

void Access::log_out(const httplib::Request& request) const {
  if (auto id = cookie(request, kSessionCookie))
    sessions_->close(*id);
}

std::optional<AccessDecision> Access::refuse_place(const httplib::Request& request) const {
  if (is_write(request) && cross_site(request))
    return refused(403, "a change sent from another site's page is refused");
  if (tokens_.empty()) {
    if (!from_loopback(request))
      return refused(403, "this listener answers this machine only until serve.tokens are set");
    if (!loopback_name(host_name(request))) {
      return refused(403,
                     "this listener answers requests for localhost or 127.0.0.1 only until "
                     "serve.tokens are set");
    }
  }
  return std::nullopt;
}

AccessDecision Access::check(const httplib::Request& request, Role needed) const {
  if (auto refusal = refuse_place(request))
    return *refusal;
  std::optional<Caller> caller;
  const std::string csrf = request.get_header_value("X-CSRF-Token");
  if (tokens_.empty()) {
    if (is_write(request) && from_browser(request) && !same_text(csrf, local_csrf_))
      return refused(403, "a change from the page needs its X-CSRF-Token");
    caller = Caller{"local", Role::manager};
  } else if (request.has_header("Authorization")) {
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() ||
        !campaign_hub::iequals(std::string_view(header).substr(0, kBearer.size()), kBearer))
      return refused(401, "an API token is needed: send Authorization: Bearer <token>");
    caller = caller_of_token(std::string_view(header).substr(kBearer.size()));
    if (!caller)
      return refused(401, "this API token is not one of serve.tokens");
  } else if (auto id = cookie(request, kSessionCookie)) {
    auto session = sessions_->find(*id);
    if (!session)
      return refused(401, "this session has ended: log in again");
    if (is_write(request) && !same_text(csrf, session->csrf))
      return refused(403, "a change from the page needs its X-CSRF-Token");
    caller = session->caller;
  } else {
    return refused(401,
                   "an API token is needed: send Authorization: Bearer <token>, or log in on "
                   "the page");
  }
  if (static_cast<int>(caller->role) < static_cast<int>(needed)) {
    return refused(403, std::string("a ") + role_name(caller->role) + " token may not do this; " +
                            "it needs the " + role_name(needed) + " role");
  }
  AccessDecision decision;
  decision.caller = std::move(caller);
  return decision;
}

}  // namespace hub
