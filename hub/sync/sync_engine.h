// Runs syncs: for each provider instance, take its lease, load its cursors, let its plugin
// stream records into a RecordSink, and record the run's summary. A failing instance fails
// only its own run.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/config/config.h"
#include "hub/loader/plugin_loader.h"
#include "hub/normalize/normalizer.h"
#include "hub/store/database.h"
#include "hub/store/run_log.h"
#include "hub/sync/instance_host.h"

namespace hub {

struct SyncOptions {
  std::vector<std::string> instances;  // empty: every configured instance
  bool full_refresh = false;
  bool dry_run = false;
  bool progress = false;  // a progress line on stderr per page
};

enum class Outcome { succeeded, partial, failed, skipped };

struct InstanceResult {
  std::string instance;
  Outcome outcome = Outcome::failed;
  RunSummary summary;
  std::string message;  // why it failed or was skipped
};

// Finds the plugins the config names, loading each once.
class PluginCatalog {
 public:
  explicit PluginCatalog(std::filesystem::path plugin_dir) : dir_(std::move(plugin_dir)) {}
  // Throws PluginError.
  const LoadedPlugin& get(const std::string& name);

 private:
  std::filesystem::path dir_;
  std::map<std::string, LoadedPlugin> loaded_;
};

// The plugin's status map with the instance's overrides laid over it.
StatusTable status_table(const PluginInfo& plugin, const StatusOverrides& overrides);

class SyncEngine {
 public:
  SyncEngine(const Config& config, Database& database, PluginCatalog& plugins,
             HttpFactory http_factory);

  // Throws ConfigError for an instance name the config does not have.
  std::vector<InstanceResult> run(const SyncOptions& options);

  // One instance; never throws.
  InstanceResult sync(const InstanceConfig& instance, const SyncOptions& options);

 private:
  const Config& config_;
  Database& database_;
  PluginCatalog& plugins_;
  HttpFactory http_factory_;
};

}  // namespace hub
