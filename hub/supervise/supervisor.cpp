#include "hub/supervise/supervisor.h"

#include <csignal>
#include <optional>

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include "hub/logging/logging.h"
#include "hub/store/run_log.h"
#include "hub/supervise/child_process.h"
#include "hub/supervise/run_report.h"
#include "hub/sync/run_recorder.h"

namespace hub {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(100);

// Why a child that sent no result ended, in words; `death` gets its kind.
std::string cause_of_death(const InstanceConfig& instance, int status,
                           const std::string& crash_report, std::string& death) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == kOutOfMemoryExit) {
    death = "memory";
    return "went over its memory limit of " + std::to_string(instance.memory_limit_mib) + " MiB";
  }
  death = "crash";
  if (WIFSIGNALED(status)) {
    std::string cause =
        "plugin " + instance.plugin + " crashed: " + describe_signal(WTERMSIG(status));
    if (!crash_report.empty())
      cause += " after " + crash_report;
    return cause;
  }
  return "the run's process " + describe_status(status) + " without reporting a result";
}

// The counts a dying child reported last: what it had committed.
void keep_counts(RunSummary& into, const RunSummary& from) {
  into.read = from.read;
  into.inserted = from.inserted;
  into.updated = from.updated;
  into.unchanged = from.unchanged;
  into.quarantined = from.quarantined;
  into.entities = from.entities;
}

}  // namespace

std::filesystem::path this_executable() {
  return std::filesystem::read_symlink("/proc/self/exe");
}

std::vector<std::string> RunSupervisor::child_arguments(const InstanceConfig& instance,
                                                        const SyncOptions& options,
                                                        const InstanceResult& result) const {
  std::vector<std::string> args = {command_.executable.string(), "--config", "-", "--config-origin",
                                   command_.config_origin.string()};
  if (!command_.log_level.empty())
    args.insert(args.end(), {"--log-level", command_.log_level});
  if (!command_.log_format.empty())
    args.insert(args.end(), {"--log-format", command_.log_format});
  args.insert(args.end(), {"run-instance", "--instance", instance.name, "--run-id",
                           std::to_string(result.summary.id)});
  if (options.full_refresh)
    args.emplace_back("--full-refresh");
  if (options.dry_run)
    args.emplace_back("--dry-run");
  if (options.webhooks)
    args.emplace_back("--webhooks");
  return args;
}

InstanceResult RunSupervisor::run(const InstanceConfig& instance, const SyncOptions& options,
                                  const std::function<void(const InstanceResult&)>& on_progress) {
  InstanceResult result;
  RunRecorder recorder(database_);
  if (!recorder.begin(instance, options, result))
    return result;
  spdlog::info("instance '{}': run {} started", instance.name, result.summary.id);

  std::optional<RunReport> final_report;
  RunSummary last_progress;
  std::string crash_report;
  std::string killed_because;
  bool stop_forwarded = false;
  bool killed = false;
  try {
    ChildSpec spec;
    spec.argv = child_arguments(instance, options, result);
    spec.input = command_.config_text;
    spec.memory_limit_bytes = static_cast<std::size_t>(instance.memory_limit_mib) << 20;
    ChildProcess child(spec);

    const auto started = Clock::now();
    // The parent renews the lease while the child runs, for a plugin that writes nothing for
    // long: three times a lease period.
    const auto renew_every = lease_time() / 3;
    const auto deadline = started + std::chrono::seconds(instance.run_timeout_seconds);
    auto last_renewal = started;
    Clock::time_point kill_at{};
    std::vector<std::string> lines;
    for (bool done = false; !done;) {
      lines.clear();
      done = child.wait(kPoll, lines);
      for (const auto& line : lines) {
        auto report = decode_report(line);
        if (!report)
          continue;
        if (report->kind == RunReport::Kind::progress) {
          last_progress = report->result.summary;
          if (on_progress) {
            InstanceResult seen = result;
            keep_counts(seen.summary, last_progress);
            on_progress(seen);
          }
        } else if (report->kind == RunReport::Kind::crash) {
          crash_report = report->crash;
        } else {
          final_report = std::move(report);
        }
      }
      if (done)
        break;
      const auto now = Clock::now();
      if (!killed && now >= deadline) {
        child.signal(SIGKILL);
        killed = true;
        result.death = "timeout";
        killed_because =
            "ran past its run timeout of " + std::to_string(instance.run_timeout_seconds) + " s";
      }
      if (options.stop != nullptr && options.stop->load() && !stop_forwarded) {
        child.signal(SIGTERM);
        stop_forwarded = true;
        kill_at = now + command_.grace;
      }
      if (stop_forwarded && !killed && now >= kill_at) {
        child.signal(SIGKILL);
        killed = true;
        result.death = "killed";
        killed_because = "did not stop within the grace period of " +
                         std::to_string(command_.grace.count()) +
                         " s and was killed; the next run resumes from its last committed cursor";
      }
      if (now - last_renewal >= renew_every) {
        // A run that lost its lease commits nothing more: it is asked to stop now.
        if (!recorder.renew(result) && !stop_forwarded) {
          child.signal(SIGTERM);
          stop_forwarded = true;
          kill_at = now + command_.grace;
        }
        last_renewal = now;
      }
    }

    if (final_report && !killed) {
      const std::int64_t id = result.summary.id;
      const std::string started_at = result.summary.started_at;
      result.outcome = final_report->result.outcome;
      result.message = final_report->result.message;
      result.summary = final_report->result.summary;
      result.summary.id = id;
      result.summary.started_at = started_at;
      result.summary.instance = instance.name;
      result.summary.full_refresh = options.full_refresh;
      result.summary.dry_run = options.dry_run;
    } else {
      keep_counts(result.summary, last_progress);
      // Asked to stop in its first moments, before it set up its handler, the child dies of
      // the SIGTERM itself: a stop, not a crash.
      if (stop_forwarded && killed_because.empty() && WIFSIGNALED(child.status()) &&
          WTERMSIG(child.status()) == SIGTERM) {
        killed_because =
            "stopped as it started, before it read anything new; the next run resumes from its "
            "last committed cursor";
      }
      if (stop_forwarded && !killed_because.empty())
        result.summary.state = run_state_name(RunState::interrupted);
      mark_failed(result, killed_because.empty()
                              ? cause_of_death(instance, child.status(), crash_report, result.death)
                              : killed_because);
    }
  } catch (const std::exception& error) {
    mark_failed(result, std::string("cannot run it in a process of its own: ") + error.what());
  }
  recorder.end(result);
  const RunSummary& run = result.summary;
  spdlog::info(
      "instance '{}': run {} {} in {:.2f} s: read {}, inserted {}, updated {}, unchanged {}, "
      "quarantined {}",
      instance.name, run.id, run.state, run.duration_seconds, run.read, run.inserted, run.updated,
      run.unchanged, run.quarantined);
  return result;
}

}  // namespace hub
