// The account managers' read API, JSON under /api/v1 on the serve listener (or on its own, with
// `campaign-hub ui`). Each endpoint reads through the query layer (hub/query) and writes typed
// JSON: numbers are numbers, null is null, times are ISO 8601. Lists are paged (limit, cursor)
// and filtered by query parameters; a parameter the endpoint does not take, or one that does
// not read, gets 400 naming it; an unknown id gets 404; an error of the hub's own is a 500 that
// says to look at the log, never a stack trace or SQL. Exports stream as downloads (CSV, JSON,
// NDJSON; the raw payloads for a manager only); a manager may replay the quarantine. docs/api.md
// is the reference.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hub/serve/access.h"
#include "hub/serve/listener.h"
#include "hub/store/database.h"
#include "hub/sync/replay.h"

namespace hub {

class ApiModule : public HttpModule {
 public:
  // `access` says who may read and who may change what (hub/serve/access.h); `today` gives the
  // date ("YYYY-MM-DD") days left are counted from, the UTC date by default.
  ApiModule(std::string database_url, Access access, std::function<std::string()> today = {});
  ~ApiModule() override;
  void attach(httplib::Server& server) override;

  // What POST /api/v1/quarantine/replay runs (in a process of its own: the listener's process
  // loads no plugin); without it, that endpoint answers 501.
  using Replay = std::function<std::vector<ReplayResult>(std::optional<std::int64_t> run)>;
  void set_replay(Replay replay) { replay_ = std::move(replay); }

 private:
  // A connection of the module's own, given back when the request is answered.
  class Lease;
  std::unique_ptr<Database> borrow();
  void give_back(std::unique_ptr<Database> database);

  std::string database_url_;
  Access access_;
  std::function<std::string()> today_;
  Replay replay_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Database>> pool_;
};

}  // namespace hub
