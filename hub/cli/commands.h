// The subcommands of `campaign-hub`, grouped by what they act on. Each one, when chosen on
// the command line, sets the action that main() runs with a Context.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "hub/cli/context.h"

namespace hub {

using Action = std::function<int(Context&)>;

void add_sync_command(CLI::App& app, Action& action);
void add_serve_command(CLI::App& app, Action& action);
void add_ui_command(CLI::App& app, Action& action);      // the API alone, without syncing
void add_tokens_command(CLI::App& app, Action& action);  // tokens new, tokens hash
// A run's own process, started by the supervisor of `sync` and `serve` (hidden).
void add_run_instance_command(CLI::App& app, Action& action);
void add_plugin_commands(CLI::App& app, Action& action);  // plugins, instances
void add_store_commands(CLI::App& app, Action& action);   // db, runs, quarantine, state
void add_data_commands(CLI::App& app, Action& action);    // campaigns, opportunities
void add_export_command(CLI::App& app, Action& action);   // export ENTITY

}  // namespace hub
