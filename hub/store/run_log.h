// The runs table: one row per sync of one instance, with its summary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/database.h"

namespace hub {

// lost_lease: the run's lease was taken over by another run (it was paused, cut off from the
// database or too slow to renew): it committed nothing after that.
enum class RunState { running, succeeded, partial, failed, skipped, interrupted, lost_lease };
const char* run_state_name(RunState state);

// What became of one entity's records in a run.
struct EntityTally {
  std::int64_t read = 0;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t quarantined = 0;
};

struct RunSummary {
  std::int64_t id = 0;
  std::string instance;
  std::string state = "running";
  std::string started_at;
  std::string finished_at;
  bool full_refresh = false;
  bool dry_run = false;
  std::int64_t read = 0;
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t quarantined = 0;
  std::int64_t http_requests = 0;
  std::int64_t http_retries = 0;
  std::int64_t http_bytes = 0;
  std::int64_t rate_limit_wait_ms = 0;
  std::string error;
  std::string details;  // JSON: what a plugin or connector adds (API usage, say)
  // The same counts by entity name ("campaign", "opportunity"...), for /metrics; entities
  // the run never saw are absent. Not stored in the runs table.
  std::map<std::string, EntityTally> entities;
  double duration_seconds = 0;
};

class RunLog {
 public:
  explicit RunLog(Database& database) : database_(database) {}

  // Inserts a running run and returns its id; `worker`: the serve worker running it, if any.
  std::int64_t begin(const std::string& instance, bool full_refresh, bool dry_run,
                     const std::string& worker = "");
  // Stores the run's end; an end already stored (a run whose lease another run took over)
  // stays.
  void finish(const RunSummary& summary);
  // A run whose process died or stalled, and whose lease another run takes over: it ends at
  // `at`, no later than the start of the run that takes over, so their times never overlap.
  void mark_interrupted(std::int64_t run_id, const std::string& at);
  // The lease epoch the run holds: its fencing token.
  void set_epoch(std::int64_t run_id, std::int64_t epoch);

  std::vector<RunSummary> list(std::size_t limit, const std::string& instance = "");
  std::optional<RunSummary> find(std::int64_t run_id);

 private:
  Database& database_;
};

}  // namespace hub
