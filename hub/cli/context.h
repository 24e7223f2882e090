// What every command starts from: the config, and on demand the database and the plugins.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  // Where plugins are looked for, in order: the config's plugin_dir (or
  // $CAMPAIGN_HUB_PLUGIN_DIR, or the bundled folder beside the executable), then
  // /usr/local/lib/campaign-hub/plugins and /usr/lib/campaign-hub/plugins.
  const std::vector<std::filesystem::path>& plugin_path() const { return plugin_path_; }
  HttpFactory http_factory() const;
  const GlobalOptions& options() const { return options_; }

 private:
  GlobalOptions options_;
  Config config_;
  std::vector<std::filesystem::path> plugin_path_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<PluginCatalog> plugins_;
};

}  // namespace hub
