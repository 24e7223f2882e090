// The page's login on the listener: GET /api/v1/session (who am I, and the CSRF token to send on
// writes; 401 when a login is needed), POST /api/v1/session with {"token": "..."} (logs in:
// sets the HttpOnly, SameSite=Strict session cookie; 401 for a token that is not configured),
// DELETE /api/v1/session (logs out).
#pragma once

#include "hub/serve/access.h"
#include "hub/serve/listener.h"

namespace hub {

class SessionModule : public HttpModule {
 public:
  // `secure`: the listener speaks TLS, so the cookie is marked Secure.
  SessionModule(Access access, bool secure) : access_(std::move(access)), secure_(secure) {}
  void attach(httplib::Server& server) override;

 private:
  Access access_;
  bool secure_;
};

}  // namespace hub
