// Runs one instance's sync in a process of its own, so that a plugin that crashes, hangs or
// eats memory fails only its own run. The supervisor keeps the run's books (its row, the
// lease, the summary); the child (`campaign-hub run-instance`) loads the plugin and writes
// records and cursors, and reports its counts after each batch on fd 3.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "hub/config/config.h"
#include "hub/store/database.h"
#include "hub/sync/run_types.h"

namespace hub {

// How to start a run's process: this executable, given the config text the supervisor
// loaded (so a config edited since, and not yet reloaded, is not used half-way).
struct RunCommand {
  std::filesystem::path executable;
  std::string config_text;
  std::filesystem::path config_origin;  // anchors relative paths, as the file itself would
  std::string log_level;                // empty: the config's
  std::string log_format;
  std::chrono::seconds grace{30};  // after a stop request, before SIGKILL
};

// The exit code a run's process uses when an allocation fails: its memory limit is reached.
inline constexpr int kOutOfMemoryExit = 86;

// This program, as /proc/self/exe names it.
std::filesystem::path this_executable();

class RunSupervisor {
 public:
  RunSupervisor(Database& database, RunCommand command)
      : database_(database), command_(std::move(command)) {}

  // Begins the run, runs it in a child process, and records how it ended: the child's own
  // result, or the cause of its death in words. Never throws. `on_progress` sees the counts
  // after each batch. When `options.stop` is set, the child is asked to stop (SIGTERM) and is
  // killed if it has not ended within the grace period.
  InstanceResult run(const InstanceConfig& instance, const SyncOptions& options,
                     const std::function<void(const InstanceResult&)>& on_progress = {});

 private:
  std::vector<std::string> child_arguments(const InstanceConfig& instance,
                                           const SyncOptions& options,
                                           const InstanceResult& result) const;

  Database& database_;
  RunCommand command_;
};

}  // namespace hub
