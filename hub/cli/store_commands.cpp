#include <chrono>
#include <iostream>
#include <memory>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"
#include "hub/store/cursors.h"
#include "hub/store/migrations.h"
#include "hub/store/workers.h"
#include "hub/supervise/child_process.h"
#include "hub/supervise/replay_child.h"
#include "hub/sync/replay.h"

namespace hub {

void add_store_commands(CLI::App& app, Action& action) {
  auto* db = app.add_subcommand("db", "Manage the database");
  db->require_subcommand(1);
  db->add_subcommand("migrate", "Apply the schema migrations this hub knows")->callback([&action] {
    action = [](Context& context) {
      Database database(context.config().database_url);
      // Read after migrate(), which holds the migration lock: reading first would create the
      // version table outside it, racing another process's migrations.
      int applied = migrate(database);
      std::cout << database.display_url() << ": schema version " << schema_version(database) << " ("
                << applied << " migration" << (applied == 1 ? "" : "s") << " applied)\n";
      return exit_code::success;
    };
  });

  auto* runs = app.add_subcommand("runs", "Read the history of sync runs");
  runs->require_subcommand(1);
  auto limit = std::make_shared<std::size_t>(20);
  auto instance = std::make_shared<std::string>();
  auto* list = runs->add_subcommand("list", "The latest runs, newest first");
  list->add_option("--limit", *limit, "How many runs")->check(CLI::PositiveNumber);
  list->add_option("--instance", *instance, "Only this instance's runs");
  list->callback([&action, limit, instance] {
    action = [limit, instance](Context& context) {
      Table table;
      table.columns = {"id",       "instance", "state",     "started_at",  "read",
                       "inserted", "updated",  "unchanged", "quarantined", "error"};
      for (const auto& run : RunLog(context.database()).list(*limit, *instance)) {
        table.rows.push_back({std::to_string(run.id), run.instance, run.state, run.started_at,
                              std::to_string(run.read), std::to_string(run.inserted),
                              std::to_string(run.updated), std::to_string(run.unchanged),
                              std::to_string(run.quarantined),
                              run.error.empty() ? std::nullopt : std::optional(run.error)});
      }
      print_table(std::cout, table);
      return exit_code::success;
    };
  });
  auto* workers = app.add_subcommand("workers", "The serve processes working on this database");
  workers->require_subcommand(1);
  workers
      ->add_subcommand("list",
                       "Every serve that registered: running, stopped, or lost (no heartbeat for "
                       "30 s without having stopped: killed, its machine gone, cut off)")
      ->callback([&action] {
        action = [](Context& context) {
          Table table;
          table.columns = {"id", "host", "pid", "started_at", "heartbeat_at", "state"};
          const auto now = std::chrono::system_clock::now();
          for (const auto& worker : Workers(context.database()).list()) {
            table.rows.push_back({worker.id, worker.host, std::to_string(worker.pid),
                                  worker.started_at, worker.heartbeat_at,
                                  worker_state(worker, now)});
          }
          print_table(std::cout, table);
          return exit_code::success;
        };
      });

  auto run_id = std::make_shared<std::int64_t>(0);
  auto* show = runs->add_subcommand("show", "One run's summary");
  show->add_option("ID", *run_id, "The run's id")->required();
  show->callback([&action, run_id] {
    action = [run_id](Context& context) {
      auto run = RunLog(context.database()).find(*run_id);
      if (!run) {
        std::cerr << "no run " << *run_id << "\n";
        return exit_code::usage;
      }
      print_run(std::cout, *run);
      return exit_code::success;
    };
  });

  auto* quarantine = app.add_subcommand("quarantine", "Records that did not pass normalization");
  quarantine->require_subcommand(1);
  auto quarantine_run = std::make_shared<std::optional<std::int64_t>>();
  auto all = std::make_shared<bool>(false);
  auto* qlist = quarantine->add_subcommand("list", "Quarantined records and why");
  qlist->add_option("--run", *quarantine_run, "Only those of this run");
  qlist->add_flag("--all", *all, "Include records since stored (by a replay or a later sync)");
  qlist->callback([&action, quarantine_run, all] {
    action = [quarantine_run, all](Context& context) {
      views::QuarantineQuery query;
      query.run_id = *quarantine_run;
      query.include_replayed = *all;
      query.paging.limit = 1000;
      auto page = views::list_quarantine(context.database(), query);
      print_view(std::cout, page.table,
                 {"id", "instance", "run_id", "last_run_id", "syncs", "entity", "external_id",
                  "field", "first_seen", "last_seen", "reason"});
      if (page.next_cursor)
        std::cout << "(the first 1000; `campaign-hub export quarantine` has them all)\n";
      return exit_code::success;
    };
  });
  auto* replay = quarantine->add_subcommand(
      "replay", "Run kept records through the current mappings again; store those that pass");
  replay->add_option("--run", *quarantine_run, "Only those of this run");
  // Started by the API's replay (hub/supervise/replay_child.h): the results, on fd 3.
  auto report = std::make_shared<bool>(false);
  replay->add_flag("--report", *report)->group("");
  replay->callback([&action, quarantine_run, report] {
    action = [quarantine_run, report](Context& context) {
      auto results = replay_quarantine(context.config(), context.database(), context.plugins(),
                                       *quarantine_run);
      if (*report) {
        for (const auto& result : results)
          write_all(3, encode_replay_result(result) + "\n");
      }
      if (results.empty())
        std::cout << "nothing to replay\n";
      int code = exit_code::success;
      for (const auto& result : results) {
        std::cout << result.instance << ": ";
        if (!result.error.empty()) {
          std::cout << "failed: " << result.error << "\n";
          code = exit_code::instance_failed;
          continue;
        }
        std::cout << "run " << result.run_id << ": " << result.examined << " examined, "
                  << result.stored << " stored, " << result.still_quarantined
                  << " still quarantined\n";
        if (result.still_quarantined > 0 && code == exit_code::success) {
          code = exit_code::quarantined;
        }
      }
      return code;
    };
  });

  auto* state = app.add_subcommand("state", "Saved sync state");
  state->require_subcommand(1);
  auto reset_instance = std::make_shared<std::string>();
  auto stream = std::make_shared<std::optional<std::string>>();
  auto* reset = state->add_subcommand(
      "reset", "Forget saved cursors: the next sync of that stream starts from scratch");
  reset->add_option("--instance", *reset_instance, "The instance")->required();
  reset->add_option("--stream", *stream, "Only this stream (others keep their cursors)");
  reset->callback([&action, reset_instance, stream] {
    action = [reset_instance, stream](Context& context) {
      if (!context.config().instance(*reset_instance)) {
        throw ConfigError(context.config().file.string() + ": no instance named '" +
                          *reset_instance + "'");
      }
      auto removed = reset_cursors(context.database(), *reset_instance, *stream);
      std::cout << *reset_instance << ": " << removed << " cursor" << (removed == 1 ? "" : "s")
                << " reset\n";
      return exit_code::success;
    };
  });
}

}  // namespace hub
