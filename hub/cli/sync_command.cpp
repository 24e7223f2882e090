#include <iostream>

#include <unistd.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"

namespace hub {

void add_sync_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SyncOptions>();
  auto* sync = app.add_subcommand("sync", "Sync provider instances into the database");
  sync->add_option("--instance", options->instances,
                   "Sync only this instance (repeatable; default: all)");
  sync->add_flag("--full-refresh", options->full_refresh,
                 "Ignore saved cursors and read everything again");
  sync->add_flag("--dry-run", options->dry_run,
                 "Read and normalize, count what would change, write nothing");
  sync->callback([options, &action] {
    action = [options](Context& context) {
      options->progress = isatty(STDERR_FILENO) == 1;
      SyncEngine engine(context.config(), context.database(), context.plugins(),
                        context.http_factory());
      if (context.config().instances.empty()) {
        std::cout << "no instances configured (see config/README.md)\n";
        return exit_code::success;
      }
      auto results = engine.run(*options);
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
