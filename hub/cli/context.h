// What every command starts from: the config, and on demand the database and the plugins.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "hub/config/config.h"
#include "hub/store/database.h"
#include "hub/sync/instance_host.h"
#include "hub/sync/sync_engine.h"

namespace hub {

struct GlobalOptions {
  std::string config_path;    // empty: $CAMPAIGN_HUB_CONFIG, ./campaign-hub.json, or defaults;
                              // "-": standard input
  std::string config_origin;  // with "-": the file the text came from (a run's process)
  std::string log_level;      // empty: the config's
  std::string log_format;     // empty: the config's
};

class Context {
 public:
  explicit Context(const GlobalOptions& options);

  const Config& config() const { return config_; }
  // Opened and migrated on first use.
  Database& database();
  PluginCatalog& plugins();
  const std::filesystem::path& plugin_dir() const { return plugin_dir_; }
  HttpFactory http_factory() const;
  const GlobalOptions& options() const { return options_; }

 private:
  GlobalOptions options_;
  Config config_;
  std::filesystem::path plugin_dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<PluginCatalog> plugins_;
};

}  // namespace hub
