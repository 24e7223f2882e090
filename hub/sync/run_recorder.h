// The bookkeeping around one instance's run: its row in the runs table, the instance's
// lease, and the summary at the end. In-process syncs do it around the plugin; a supervisor
// does it in the parent, so that a run whose process dies is still recorded and its lease
// released.
#pragma once

#include <chrono>

#include "hub/config/config.h"
#include "hub/store/database.h"
#include "hub/sync/run_types.h"

namespace hub {

// A run renews its lease with every batch, and its supervisor every third of this; one that
// stops renewing loses it after this long (serve.lease_seconds, set once from the config).
std::chrono::seconds lease_time();
void set_lease_time(std::chrono::seconds time);
// Now plus lease_time(), as stored.
std::string lease_deadline();

class RunRecorder {
 public:
  explicit RunRecorder(Database& database) : database_(database) {}

  // Starts `result` for `instance`: a running row and the lease (neither for a dry run).
  // False when the run must not go on: another run holds the lease (`result` is then
  // skipped, recorded and logged), or the database failed (`result` is failed).
  bool begin(const InstanceConfig& instance, const SyncOptions& options, InstanceResult& result);
  // Pushes the lease's deadline on, for a run that writes nothing for a while. False when
  // the run lost its lease: it must stop, and ends lost_lease.
  bool renew(InstanceResult& result);
  // Stores the summary and releases the lease. Never throws: a database error is logged.
  void end(InstanceResult& result);

 private:
  Database& database_;
  bool leased_ = false;
  bool lost_ = false;  // the lease was taken over: nothing more is committed
  std::chrono::steady_clock::time_point started_;
};

}  // namespace hub
