// One lease per instance, held in the database, so that two overlapping syncs never sync
// one instance at once.
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
    LeaseHolder holder;                      // when not acquired
    std::optional<std::int64_t> taken_over;  // the stale lease's run
  };
  Outcome acquire(const std::string& instance, std::int64_t run_id, const std::string& expires_at);
  // Ends `run_id`'s hold: in this process at once, in the database when it answers (a lease
  // left there is taken over by this process's next run of the instance).
  void release(const std::string& instance, std::int64_t run_id);
  // Moves the deadline of `run_id`'s lease; nothing when the run no longer holds it.
  void renew(const std::string& instance, std::int64_t run_id, const std::string& expires_at);

 private:
  Database& database_;
};

// This process, as a lease holder: "host:pid".
std::string this_holder();

}  // namespace hub
