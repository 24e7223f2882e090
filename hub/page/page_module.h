// Serves the page at / (and its script and style sheet) on the listener. The page reads and
// changes through the API (/api/v1) and logs in through the session endpoints
// (hub/serve/session_module.h); it holds no data of its own. Every answer forbids framing and
// any script or style from elsewhere (Content-Security-Policy).
#pragma once

#include "hub/serve/listener.h"

namespace hub {

class PageModule : public HttpModule {
 public:
  void attach(httplib::Server& server) override;
};

}  // namespace hub
