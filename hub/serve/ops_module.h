// The operations endpoints of serve: GET /healthz (the process answers), GET /readyz (the
// database is reachable and a config is loaded; else 503 with the reason), GET /metrics
// (Prometheus text), and POST /instances/{name}/sync (start a run now: a manager token, or this
// machine when no tokens are set).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "hub/serve/access.h"
#include "hub/serve/listener.h"

namespace hub {

class OpsModule : public HttpModule {
 public:
  enum class Ask { queued, running, unknown };
  struct Hooks {
    std::function<std::optional<std::string>()> not_ready;  // why not, or nothing when ready
    std::function<std::string()> metrics;                   // the exposition text
    std::function<Ask(const std::string& instance)> run_now;
  };

  OpsModule(Hooks hooks, Access access) : hooks_(std::move(hooks)), access_(std::move(access)) {}
  void attach(httplib::Server& server) override;

 private:
  Hooks hooks_;
  Access access_;
};

}  // namespace hub
