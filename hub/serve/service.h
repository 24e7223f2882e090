// `campaign-hub serve`: the hub as a long-running service. It runs each instance on its
// schedule, up to serve.max_parallel_runs at once, each run in a process of its own
// (RunSupervisor); retries failed runs with backoff; answers on its HTTP listener; reloads
// its config on SIGHUP and stops on SIGTERM or SIGINT, letting running instances commit
// their batch within the grace period. It tells systemd how it is doing (sd_notify).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hub/config/config.h"
#include "hub/serve/access.h"
#include "hub/serve/listener.h"
#include "hub/serve/metrics.h"
#include "hub/serve/scheduler.h"
#include "hub/supervise/signals.h"

namespace hub {

struct ServeOptions {
  std::string log_level;   // given on the command line; empty: the config's
  std::string log_format;  // handed on to each run's process
  // More routes on the listener (the account managers' API), attached after the operations
  // endpoints; not owned.
  std::vector<HttpModule*> modules;
  // Who may do what, shared with those modules (so that the page's login counts on
  // POST /instances/{name}/sync too); default: serve.tokens.
  std::optional<Access> access;
};

class Service {
 public:
  Service(Config config, ServeOptions options);
  ~Service();

  // Until SIGTERM or SIGINT; answers the exit code. Throws ConfigError, DatabaseError or
  // std::runtime_error (the listener's address) when it cannot start.
  int run();

  // The listener kept a request `instance`'s provider pushed: an ingestion run is due. (The
  // service also looks for pending requests itself: at start, every few seconds, which is how
  // it sees what another process kept, and after each ingestion, which takes a bounded number.)
  void pushed(const std::string& instance);

 private:
  struct Finished {
    std::string instance;
    RunKind kind;
    Outcome outcome;
    Scheduler::Time started;
  };

  void reload();
  void launch(const Scheduler::Due& due);
  void collect_finished();
  // Marks due each instance (of `only`, when given) with a webhook whose spool holds pending
  // requests. A database that does not answer is logged, and looked at again later.
  void look_at_spool(const std::vector<std::string>& only = {});
  std::optional<std::string> not_ready();

  std::shared_ptr<const Config> config() const;

  ServeOptions options_;
  SignalFlags* signals_ = nullptr;
  mutable std::mutex config_mutex_;
  std::shared_ptr<const Config> config_;
  ServeMetrics metrics_;
  Scheduler scheduler_;

  std::mutex runs_mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::thread> runs_;
  std::vector<Finished> finished_;
  bool woken_ = false;

  std::mutex ready_mutex_;  // the readiness check's own connection
  std::unique_ptr<class Database> ready_database_;
  std::unique_ptr<class Database> spool_database_;  // the loop's: look_at_spool, heartbeats
  std::string worker_;                              // this serve's id in the workers table
  // Registers, beats or leaves (Workers); a database that does not answer is logged, and the
  // next beat tries again.
  void beat(bool leaving = false);
};

// The schedule an instance's config describes; none without one. Throws ScheduleError.
std::optional<Schedule> schedule_of(const InstanceConfig& instance);

}  // namespace hub
