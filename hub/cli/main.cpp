// campaign-hub: syncs campaigns from provider plugins into one SQL database.
#include <iostream>

#include <spdlog/spdlog.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/loader/plugin_loader.h"
#include "hub/logging/logging.h"

int main(int argc, char** argv) {
  CLI::App app{
      "campaign-hub: syncs campaigns, opportunities, participants and metrics from provider "
      "plugins into one SQL database.\nExit codes: 0 success, 1 records quarantined, "
      "2 an instance failed, 3 config error, 4 database error, 64 usage error."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Every command and option");
  app.set_version_flag("--version", std::string("campaign-hub ") + CAMPAIGN_HUB_VERSION +
                                        " (plugin API " +
                                        std::to_string(campaign_hub::api_version) + ")");

  hub::GlobalOptions globals;
  app.add_option("--config", globals.config_path,
                 "Config file (default: $CAMPAIGN_HUB_CONFIG, then ./campaign-hub.json)");
  app.add_option("--config-origin", globals.config_origin,
                 "With --config -: the file the text on standard input was read from")
      ->group("");
  app.add_option("--log-level", globals.log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  app.add_option("--log-format", globals.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));

  hub::Action action;
  hub::add_sync_command(app, action);
  hub::add_serve_command(app, action);
  hub::add_ui_command(app, action);
  hub::add_tokens_command(app, action);
  hub::add_run_instance_command(app, action);
  hub::add_plugin_commands(app, action);
  hub::add_store_commands(app, action);
  hub::add_data_commands(app, action);
  hub::add_export_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : hub::exit_code::usage;
  }

  try {
    hub::Context context(globals);
    return action(context);
  } catch (const hub::ConfigError& error) {
    std::cerr << "config error: " << hub::redact(error.what()) << "\n";
    return hub::exit_code::config_error;
  } catch (const hub::DatabaseError& error) {
    std::cerr << "database error: " << hub::redact(error.what()) << "\n";
    return hub::exit_code::database_error;
  } catch (const soci::soci_error& error) {
    std::cerr << "database error: " << hub::redact(hub::database_message(error.what())) << "\n";
    return hub::exit_code::database_error;
  } catch (const hub::PluginError& error) {
    std::cerr << hub::redact(error.what()) << "\n";
    return hub::exit_code::instance_failed;
  } catch (const std::exception& error) {
    std::cerr << "error: " << hub::redact(error.what()) << "\n";
    return hub::exit_code::instance_failed;
  }
}
