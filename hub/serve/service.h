// `campaign-hub serve`: the hub as a long-running service. It runs each instance on its
// schedule, up to serve.max_parallel_runs at once, each run in a process of its own
// (RunSupervisor); retries failed runs with backoff; answers on its HTTP listener; reloads
// its config on SIGHUP and stops on SIGTERM or SIGINT, letting running instances commit
// their batch within the grace period. It tells systemd how it is doing (sd_notify).
#pragma once

#include <condition_variable>
#include <cstdint>
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
#include "hub/store/claims.h"
#include "hub/store/database_pool.h"
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
    std::int64_t epoch;  // the lease the run held
  };

  void reload();
  // Claims what is due, up to this worker's fair share of it within `free` slots, and
  // launches each run claimed (Claims: several workers may share the database).
  void claim_due(std::size_t free);
  void launch(const InstanceConfig& instance, RunKind kind, const ClaimedRun& claimed);
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
  std::unique_ptr<ServeMetrics> metrics_;  // labelled with worker_, made once it joined
  Scheduler scheduler_;

  std::mutex runs_mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::thread> runs_;
  std::vector<Finished> finished_;
  std::vector<std::string> asked_;  // POST /instances/{name}/sync, for record_asks
  bool woken_ = false;

  std::mutex ready_mutex_;  // the readiness check's own connection
  std::unique_ptr<class Database> ready_database_;
  // The runs' supervisors' connections, kept between runs (one per slot at most).
  DatabasePool supervisor_databases_;
  // The loop's connection: claims, asks, look_at_spool, heartbeats.
  std::unique_ptr<class Database> loop_database_;
  Database& loop_database();
  std::string worker_;  // this serve's id in the workers table
  // Workers beating now, this one included: what is due is shared among them.
  std::size_t live_workers_ = 1;
  // Beats (Workers) and counts the live workers, or says this one leaves; a database that
  // does not answer is logged, and the next beat tries again.
  void beat(bool leaving = false);
  // A lease row for each configured instance (Claims::enrol); logged when it fails.
  void enrol();
  // Records on the loop's connection the runs asked for since the last call (Claims::ask),
  // for whichever worker claims them next; logged when the database does not answer.
  void record_asks();
};

// The schedule an instance's config describes; none without one. Throws ScheduleError.
std::optional<Schedule> schedule_of(const InstanceConfig& instance);

}  // namespace hub
