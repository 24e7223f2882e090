#include <iostream>

#include <unistd.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"
#include "hub/supervise/signals.h"
#include "hub/supervise/supervisor.h"

namespace hub {
namespace {

// Each instance in a process of its own, one after the other; SIGINT or SIGTERM lets the
// running one commit its batch, and starts no more.
std::vector<InstanceResult> run_supervised(Context& context, SyncOptions options) {
  SignalFlags& signals = install_signal_handlers();
  options.stop = &signals.stop;
  const Config& config = context.config();
  RunCommand command{this_executable(),
                     config.text,
                     config.file,
                     context.options().log_level,
                     context.options().log_format,
                     std::chrono::seconds(config.serve.grace_period_seconds)};
  RunSupervisor supervisor(context.database(), command);
  std::vector<InstanceResult> results;
  for (const auto* instance : select_instances(config, options.instances)) {
    if (signals.stop.load())
      break;
    results.push_back(supervisor.run(*instance, options));
  }
  return results;
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
      } else {
        results = run_supervised(context, *options);
      }
      int code = exit_code::success;
      for (const auto& result : results) {
        print_sync_result(std::cout, result);
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
