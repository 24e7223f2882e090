#include "hub/sync/run_recorder.h"

#include <spdlog/spdlog.h>

#include "hub/logging/logging.h"
#include "hub/model/time.h"
#include "hub/store/leases.h"

namespace hub {

std::string lease_deadline() {
  return format_utc(std::chrono::system_clock::now() + kLeaseTime);
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::succeeded:
      return "succeeded";
    case Outcome::partial:
      return "partial";
    case Outcome::skipped:
      return "skipped";
    case Outcome::failed:
      break;
  }
  return "failed";
}

void mark_failed(InstanceResult& result, const std::string& message) {
  result.outcome = Outcome::failed;
  result.message = redact(message);
  if (result.summary.state == run_state_name(RunState::running) || result.summary.state.empty())
    result.summary.state = run_state_name(RunState::failed);
  result.summary.error = result.message;
  spdlog::error("instance '{}' failed: {}", result.instance, result.message);
}

bool RunRecorder::begin(const InstanceConfig& instance, const SyncOptions& options,
                        InstanceResult& result) {
  result.instance = instance.name;
  RunSummary& summary = result.summary;
  summary.instance = instance.name;
  summary.full_refresh = options.full_refresh;
  summary.dry_run = options.dry_run;
  summary.started_at = utc_now();
  started_ = std::chrono::steady_clock::now();
  if (options.dry_run)
    return true;
  try {
    RunLog runs(database_);
    Leases leases(database_);
    summary.id = runs.begin(instance.name, options.full_refresh, options.dry_run, options.worker);
    auto lease = leases.acquire(instance.name, summary.id, lease_deadline());
    if (!lease.acquired) {
      result.outcome = Outcome::skipped;
      result.message = "run " + std::to_string(lease.holder.run_id) + " (" + lease.holder.holder +
                       ") has held its lease since " + lease.holder.acquired_at;
      summary.state = run_state_name(RunState::skipped);
      summary.error = result.message;
      summary.finished_at = utc_now();
      runs.finish(summary);
      spdlog::warn("instance '{}' skipped: {}", instance.name, result.message);
      return false;
    }
    leased_ = true;
    if (lease.taken_over) {
      runs.mark_interrupted(*lease.taken_over);
      spdlog::warn("instance '{}': took over the stale lease of run {}", instance.name,
                   *lease.taken_over);
    }
    return true;
  } catch (const std::exception& error) {
    mark_failed(result, error.what());
    end(result);
    return false;
  }
}

void RunRecorder::renew(const InstanceResult& result) {
  if (!leased_)
    return;
  try {
    Leases(database_).renew(result.instance, result.summary.id, lease_deadline());
  } catch (const std::exception& error) {
    spdlog::warn("instance '{}': could not renew the lease of run {}: {}", result.instance,
                 result.summary.id, redact(error.what()));
  }
}

void RunRecorder::end(InstanceResult& result) {
  RunSummary& summary = result.summary;
  if (summary.finished_at.empty())
    summary.finished_at = utc_now();
  summary.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (summary.id == 0)
    return;
  try {
    RunLog(database_).finish(summary);
  } catch (const std::exception& error) {
    spdlog::error("instance '{}': could not record the end of run {}: {}", result.instance,
                  summary.id, redact(error.what()));
  }
  // Released even when the end could not be recorded: this process's next run of the
  // instance then takes over a lease the database still shows (Leases::acquire).
  if (leased_) {
    leased_ = false;
    try {
      Leases(database_).release(result.instance, summary.id);
    } catch (const std::exception& error) {
      spdlog::error("instance '{}': could not release the lease of run {}: {}", result.instance,
                    summary.id, redact(error.what()));
    }
  }
}

}  // namespace hub
