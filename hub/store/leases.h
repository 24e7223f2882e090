// One lease per instance, held in the database, so that two overlapping syncs never sync
// one instance at once. A lease row stays once made (run_id 0: free); its epoch grows with
// every taking, and every write of the run that holds it checks it (RecordStore), so that a
// run that lost its lease commits nothing more.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hub/store/database.h"

namespace hub {

struct LeaseHolder {
  std::int64_t run_id = 0;
  std::string holder;  // "host:pid"
  std::string acquired_at;
};

class Leases {
 public:
  explicit Leases(Database& database) : database_(database) {}

  // Takes the lease of `instance` for `run_id` until `expires_at`. A lease whose time is up,
  // whose holder was a process of this machine that no longer exists, or which this process
  // holds for a run it has released (the database failed then), is stale and taken over;
  // `taken_over` then names the run it belonged to. Answers the current holder when the
  // lease is held.
  struct Outcome {
    bool acquired = false;
    std::int64_t epoch = 0;                  // when acquired: this taking's fencing token
    LeaseHolder holder;                      // when not acquired
    std::optional<std::int64_t> taken_over;  // the stale lease's run
  };
  Outcome acquire(const std::string& instance, std::int64_t run_id, const std::string& expires_at);
  // Ends `run_id`'s hold: in this process at once, in the database when it answers (a lease
  // left there is taken over by this process's next run of the instance). False when the run
  // no longer held it: another run took it over.
  bool release(const std::string& instance, std::int64_t run_id);
  // Moves the deadline of `run_id`'s lease. False when the run no longer holds it, or its
  // deadline has passed (whoever comes next may take it: the run must stop).
  bool renew(const std::string& instance, std::int64_t run_id, const std::string& expires_at);

 private:
  Database& database_;
};

// This process, as a lease holder: "host:pid".
std::string this_holder();

// Whether a lease held by `holder` until `expires_at` can be taken at `now`: its time is up,
// its holder was a process of this machine that is gone, or it is this process's for a run
// that released it (Leases::release could not reach the database).
bool lease_is_stale(const std::string& instance, std::int64_t run_id, const std::string& holder,
                    const std::string& expires_at, const std::string& now);
// Notes that this process holds `instance`'s lease for `run_id` (Leases and Claims do), or
// no longer does.
void note_held_here(const std::string& instance, std::int64_t run_id);
void forget_held_here(const std::string& instance, std::int64_t run_id);

}  // namespace hub
