// `campaign-hub run-instance`: one instance's run in a process of its own, started by the
// supervisor of `sync` and `serve` (hub/supervise), never by people. The supervisor has
// begun the run and holds its lease; this process loads the plugin, writes records and
// cursors, and reports on fd 3: counts after each batch, then the result.
#include <exception>
#include <new>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/supervise/child_process.h"
#include "hub/supervise/run_report.h"
#include "hub/supervise/signals.h"
#include "hub/supervise/supervisor.h"

namespace hub {
namespace {

constexpr int kReportFd = 3;

void report(const std::string& line) {
  write_all(kReportFd, line);  // false: the supervisor is gone, nobody to tell
}

// A plugin that lets an exception escape a thread, or breaks noexcept: say what, then die.
[[noreturn]] void on_terminate() {
  std::string what = "std::terminate";
  if (auto current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::exception& error) {
      what += " (uncaught exception: " + std::string(error.what()) + ")";
    } catch (...) {
      what += " (uncaught exception that is not a std::exception)";
    }
  }
  report(encode_crash(what));
  std::abort();
}

// An allocation over the process's memory limit (RLIMIT_AS, set by the supervisor).
[[noreturn]] void on_out_of_memory() {
  _exit(kOutOfMemoryExit);
}

}  // namespace

void add_run_instance_command(CLI::App& app, Action& action) {
  struct Options {
    std::string instance;
    std::int64_t run_id = 0;
    SyncOptions sync;
  };
  auto options = std::make_shared<Options>();
  auto* command =
      app.add_subcommand("run-instance", "One instance's run (started by sync and serve)");
  command->group("");  // hidden: not for people
  command->add_option("--instance", options->instance, "Instance to run")->required();
  command->add_option("--run-id", options->run_id, "The run the supervisor began (0: dry run)");
  command->add_flag("--full-refresh", options->sync.full_refresh, "Ignore saved cursors");
  command->add_flag("--dry-run", options->sync.dry_run, "Write nothing");
  command->add_flag("--webhooks", options->sync.webhooks, "Ingest the pushed requests kept");
  command->callback([options, &action] {
    action = [options](Context& context) {
      struct stat report_fd {};
      if (fstat(kReportFd, &report_fd) != 0 || !S_ISFIFO(report_fd.st_mode) ||
          (options->run_id <= 0 && !options->sync.dry_run)) {
        throw std::runtime_error(
            "run-instance reports on a pipe at fd 3 for a run its supervisor began: it is "
            "started by `campaign-hub sync` and `campaign-hub serve`, not by hand");
      }
      std::set_terminate(on_terminate);
      std::set_new_handler(on_out_of_memory);
      SignalFlags& signals = install_signal_handlers();
      options->sync.stop = &signals.stop;
      options->sync.progress = isatty(STDERR_FILENO) == 1;

      const InstanceConfig* instance = context.config().instance(options->instance);
      if (!instance) {
        throw ConfigError(context.config().file.string() + ": no instance named '" +
                          options->instance + "'");
      }
      InstanceResult result;
      result.instance = instance->name;
      result.summary.id = options->run_id;
      SyncEngine engine(context.config(), context.database(), context.plugins(),
                        context.http_factory());
      engine.execute(*instance, options->sync, result, [](const InstanceResult& progress) {
        report(encode_report(RunReport::Kind::progress, progress));
      });
      report(encode_report(RunReport::Kind::result, result));
      switch (result.outcome) {
        case Outcome::failed:
          return exit_code::instance_failed;
        case Outcome::partial:
          return exit_code::quarantined;
        default:
          return exit_code::success;
      }
    };
  });
}

}  // namespace hub
