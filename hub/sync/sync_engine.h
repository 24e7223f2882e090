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
#include "hub/sync/run_types.h"

namespace hub {

// Finds the plugins the config names, loading each once.
class PluginCatalog {
 public:
  // `path`: the folders searched in order; the first that has a plugin wins.
  explicit PluginCatalog(std::vector<std::filesystem::path> path) : path_(std::move(path)) {}
  explicit PluginCatalog(std::filesystem::path plugin_dir)
      : PluginCatalog(std::vector{std::move(plugin_dir)}) {}
  // Throws PluginError.
  const LoadedPlugin& get(const std::string& name);

 private:
  std::vector<std::filesystem::path> path_;
  std::map<std::string, LoadedPlugin> loaded_;
};

// An instance's status table: the plugin's fixed map, then the rules `provider` gives for the
// settings of the instance `host` serves (Provider::statuses), then the instance's
// status_overrides and status_when_missing. Throws std::runtime_error naming the plugin when it
// fails, or gives a rule whose entity or canonical status is not one of the model's.
StatusTable status_table(const PluginInfo& plugin, campaign_hub::Provider& provider,
                         campaign_hub::Host& host, const InstanceConfig& instance);

// The instances `names` asks for, in config order; every instance when `names` is empty.
// Throws ConfigError for a name the config does not have.
std::vector<const InstanceConfig*> select_instances(const Config& config,
                                                    const std::vector<std::string>& names);

class SyncEngine {
 public:
  SyncEngine(const Config& config, Database& database, PluginCatalog& plugins,
             HttpFactory http_factory);

  // Each chosen instance in turn, in this process. Throws ConfigError for an instance name
  // the config does not have.
  std::vector<InstanceResult> run(const SyncOptions& options);

  // One instance, in this process: begins its run, reads, ends it. Never throws.
  InstanceResult sync(const InstanceConfig& instance, const SyncOptions& options);

  // The reading part of a run that RunRecorder began (`result.summary.id`, 0 for a dry run):
  // loads the plugin, lets it stream records into the store, and fills in `result`. Never
  // throws. `on_batch`, when given, sees the counts after each batch written.
  void execute(const InstanceConfig& instance, const SyncOptions& options, InstanceResult& result,
               const std::function<void(const InstanceResult&)>& on_batch = {});

 private:
  const Config& config_;
  Database& database_;
  PluginCatalog& plugins_;
  HttpFactory http_factory_;
};

}  // namespace hub
