// How serve workers take due instances, several of them on one database (issue 17). Each
// instance has one lease row (Leases); a worker claims a due one in a transaction that locks
// the row (`FOR UPDATE SKIP LOCKED` on PostgreSQL and MariaDB: another worker's claim skips
// it instead of waiting), begins the run's row, and takes the lease with a new epoch, the
// run's fencing token. The row also holds when the instance is next due, so that its
// schedule is met once among all workers, not once by each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/database.h"

namespace hub {

struct ClaimCandidate {
  std::string instance;
  // A pull run is taken only when due (its next time passed, or someone asked for it) and
  // moves its next time to `next_at` (when it is due again if this run succeeds); a webhooks
  // ingestion (false) is taken whenever the lease is free and leaves the schedule alone.
  bool pull = true;
  std::string next_at;  // pull only; empty: only when asked
};

struct ClaimedRun {
  std::string instance;
  bool pull = true;
  std::int64_t run_id = 0;
  std::int64_t epoch = 0;
  int failures = 0;  // failed runs in a row before this one, whichever worker ran them
  std::optional<std::int64_t> taken_over;  // a stale lease's run, now ended interrupted
};

struct MissedClaim {
  std::string instance;
  // Not due before this (another worker ran it); none: held by a run, or being claimed by
  // another worker: try again shortly.
  std::optional<std::string> due_at;
};

struct ClaimRound {
  std::vector<ClaimedRun> claimed;
  std::vector<MissedClaim> missed;
  // Claimable, but past the round's limit: not tried, as due as before.
  std::vector<std::string> untried;
};

class Claims {
 public:
  // `worker`: the claiming serve (Workers::join), recorded with each run it claims.
  Claims(Database& database, std::string worker)
      : database_(database), worker_(std::move(worker)) {}

  // Makes a free lease row for each instance that has none (due at once).
  void enrol(const std::vector<std::string>& instances);

  // Claims up to `limit` of `candidates`, the longest due first, each leased until
  // `expires_at`; answers what it claimed, what it could not, and what it did not try. A
  // candidate another worker is claiming at the same moment is skipped for the next one, so
  // that workers proposing the same instances each get their share in one round. Throws
  // soci::soci_error when the database fails: nothing is claimed then.
  ClaimRound claim(const std::vector<ClaimCandidate>& candidates, std::size_t limit,
                   const std::string& expires_at);

  // Someone asked for a run of `instance`: due now, for whichever worker claims it next
  // (at once if its lease is free, or once the running run ends).
  void ask(const std::string& instance);

  // After the run of `epoch` ended: the instance is next due at `next_at` (empty: only when
  // asked) and has failed `failures` times in a row. Nothing when another run claimed it
  // since.
  void settle(const std::string& instance, std::int64_t epoch, const std::string& next_at,
              int failures);

 private:
  Database& database_;
  std::string worker_;
};

}  // namespace hub
