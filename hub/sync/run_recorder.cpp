#include "hub/sync/run_recorder.h"

#include <atomic>

#include <spdlog/spdlog.h>

#include "hub/logging/logging.h"
#include "hub/model/time.h"
#include "hub/store/leases.h"

namespace hub {

namespace {

std::atomic<std::chrono::seconds::rep> lease_seconds{120};

}  // namespace

std::chrono::seconds lease_time() {
  return std::chrono::seconds(lease_seconds.load());
}

void set_lease_time(std::chrono::seconds time) {
  lease_seconds.store(time.count());
}

std::string lease_deadline() {
  return format_utc(std::chrono::system_clock::now() + lease_time());
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
  if (options.claimed) {
    summary.id = options.claimed->run_id;
    leased_ = true;
    return true;
  }
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
    runs.set_epoch(summary.id, lease.epoch);
    if (lease.taken_over) {
      runs.mark_interrupted(*lease.taken_over, summary.started_at);
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

bool RunRecorder::renew(InstanceResult& result) {
  if (!leased_ || lost_)
    return !lost_;
  try {
    if (!Leases(database_).renew(result.instance, result.summary.id, lease_deadline())) {
      lost_ = true;
      spdlog::error(
          "instance '{}': run {} lost its lease (it was not renewed in time, or "
          "another run took it over); it stops",
          result.instance, result.summary.id);
    }
  } catch (const std::exception& error) {
    spdlog::warn("instance '{}': could not renew the lease of run {}: {}", result.instance,
                 result.summary.id, redact(error.what()));
  }
  return !lost_;
}

void RunRecorder::end(InstanceResult& result) {
  RunSummary& summary = result.summary;
  if (summary.finished_at.empty())
    summary.finished_at = utc_now();
  summary.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (summary.id == 0)
    return;
  // The release and the end in one transaction: a run that takes the lease next starts after
  // this one's recorded end. A run whose lease was taken over ends lost_lease, its end the
  // start of the run that took it (RunLog::mark_interrupted).
  try {
    soci::transaction transaction(database_.session());
    if (leased_ && !Leases(database_).release(result.instance, summary.id))
      lost_ = true;
    if (lost_) {
      result.outcome = Outcome::failed;
      // A run that found out itself (its batch was fenced off) already says so; one that
      // learns it only here gets the reason, with what it said before.
      if (summary.state != run_state_name(RunState::lost_lease)) {
        summary.state = run_state_name(RunState::lost_lease);
        summary.error = "lost its lease: another run took the instance over" +
                        (summary.error.empty() ? "" : " (" + summary.error + ")");
      }
      result.message = summary.error;
      spdlog::error("instance '{}': run {} {}", result.instance, summary.id, summary.error);
    }
    RunLog(database_).finish(summary);
    transaction.commit();
  } catch (const std::exception& error) {
    spdlog::error("instance '{}': could not record the end of run {}: {}", result.instance,
                  summary.id, redact(error.what()));
  }
  // A lease the database still shows (its release was rolled back or never arrived) is taken
  // over by this process's next run of the instance: Leases::release forgot it here first.
  if (leased_) {
    leased_ = false;
    forget_held_here(result.instance, summary.id);
  }
}

}  // namespace hub
