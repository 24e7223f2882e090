#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <unistd.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"
#include "hub/supervise/signals.h"
#include "hub/supervise/supervisor.h"

namespace hub {
namespace {

// Each instance in a process of its own, up to serve.max_parallel_runs at once (a slow
// provider does not hold the others up); each result is printed as its run ends. SIGINT or
// SIGTERM lets the running instances commit their batch, and starts no more.
std::vector<InstanceResult> run_supervised(Context& context, SyncOptions options) {
  SignalFlags& signals = install_signal_handlers();
  options.stop = &signals.stop;
  const Config& config = context.config();
  const RunCommand command{this_executable(),
                           config.text,
                           config.file,
                           context.options().log_level,
                           context.options().log_format,
                           std::chrono::seconds(config.serve.grace_period_seconds)};
  const auto instances = select_instances(config, options.instances);
  const std::size_t parallel = std::min<std::size_t>(
      instances.size(), static_cast<std::size_t>(std::max(1, config.serve.max_parallel_runs)));
  // Progress lines of several runs at once would overwrite each other.
  if (parallel > 1)
    options.progress = false;
  context.database();  // migrated once, before the runs start

  std::vector<std::optional<InstanceResult>> results(instances.size());
  std::atomic<std::size_t> next{0};
  std::mutex output;
  const auto worker = [&] {
    // A connection of the thread's own: the run's books (its row, its lease).
    std::unique_ptr<Database> database;
    for (std::size_t i = next++; i < instances.size(); i = next++) {
      if (signals.stop.load())
        break;
      InstanceResult result;
      try {
        if (!database)
          database = std::make_unique<Database>(config.database_url);
        result = RunSupervisor(*database, command).run(*instances[i], options);
      } catch (const std::exception& error) {
        database.reset();
        result.instance = instances[i]->name;
        result.summary.instance = instances[i]->name;
        result.summary.state = "failed";
        result.outcome = Outcome::failed;
        result.message = error.what();
      }
      std::lock_guard lock(output);
      print_sync_result(std::cout, result);
      std::cout.flush();
      results[i] = std::move(result);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < parallel; ++t)
    threads.emplace_back(worker);
  worker();
  for (auto& thread : threads)
    thread.join();
  std::vector<InstanceResult> out;
  for (auto& result : results) {
    if (result)
      out.push_back(std::move(*result));
  }
  return out;
}

}  // namespace

void add_sync_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SyncOptions>();
  auto in_process = std::make_shared<bool>(false);
  auto* sync = app.add_subcommand("sync", "Sync provider instances into the database");
  sync->add_option("--instance", options->instances,
                   "Sync only this instance (repeatable; default: all)");
  sync->add_flag("--full-refresh", options->full_refresh,
                 "Ignore saved cursors and read everything again");
  sync->add_flag("--dry-run", options->dry_run,
                 "Read and normalize, count what would change, write nothing");
  sync->add_flag("--webhooks", options->webhooks,
                 "Instead of reading the providers, write what they pushed to serve's "
                 "/webhooks and serve kept (each instance's pending requests, oldest first)");
  sync->add_flag("--in-process", *in_process,
                 "Run the plugins in this process, for debugging (a crashing plugin then takes "
                 "the whole sync down)");
  sync->callback([options, in_process, &action] {
    action = [options, in_process](Context& context) {
      options->progress = isatty(STDERR_FILENO) == 1;
      if (context.config().instances.empty()) {
        std::cout << "no instances configured (see config/README.md)\n";
        return exit_code::success;
      }
      std::vector<InstanceResult> results;
      if (*in_process) {
        SyncEngine engine(context.config(), context.database(), context.plugins(),
                          context.http_factory());
        results = engine.run(*options);
        for (const auto& result : results)
          print_sync_result(std::cout, result);
      } else {
        results = run_supervised(context, *options);  // printed as each run ends
      }
      int code = exit_code::success;
      for (const auto& result : results) {
        if (result.outcome == Outcome::failed) {
          code = exit_code::instance_failed;
        } else if (result.outcome == Outcome::partial && code == exit_code::success) {
          code = exit_code::quarantined;
        }
      }
      return code;
    };
  });
}

}  // namespace hub
