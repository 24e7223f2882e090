#include "hub/sync/sync_engine.h"

#include <chrono>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "hub/logging/logging.h"
#include "hub/model/time.h"
#include "hub/store/cursors.h"
#include "hub/store/leases.h"
#include "hub/store/record_store.h"
#include "hub/sync/record_sink.h"
#include "hub/sync/settings_check.h"

namespace hub {
namespace {

using Clock = std::chrono::steady_clock;

// Renewed with every batch; a run that stops renewing loses it after this long.
constexpr auto kLeaseTime = std::chrono::minutes(15);

std::string lease_deadline() {
  return format_utc(std::chrono::system_clock::now() + kLeaseTime);
}

// "\r<instance>: 12,000 records, 3,400/s" on a terminal, throttled to a few per second.
class ProgressLine {
 public:
  explicit ProgressLine(std::string instance) : instance_(std::move(instance)) {}
  void update(std::int64_t read) {
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200))
      return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r%s: %lld records, %.0f/s   ", instance_.c_str(),
                 static_cast<long long>(read), seconds > 0 ? read / seconds : 0.0);
    std::fflush(stderr);
    shown_ = true;
  }
  ~ProgressLine() {
    if (shown_)
      std::fprintf(stderr, "\n");
  }

 private:
  std::string instance_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace

const LoadedPlugin& PluginCatalog::get(const std::string& name) {
  if (auto found = loaded_.find(name); found != loaded_.end())
    return found->second;
  return loaded_.emplace(name, load_named_plugin(dir_, name)).first->second;
}

StatusTable status_table(const PluginInfo& plugin, const StatusOverrides& overrides) {
  StatusTable table;
  for (const auto& entry : plugin.status_map) {
    table[entry.entity][entry.provider] = entry.canonical;
  }
  for (const auto& [entity, entries] : overrides) {
    for (const auto& [provider, canonical] : entries)
      table[entity][provider] = canonical;
  }
  return table;
}

SyncEngine::SyncEngine(const Config& config, Database& database, PluginCatalog& plugins,
                       HttpFactory http_factory)
    : config_(config),
      database_(database),
      plugins_(plugins),
      http_factory_(std::move(http_factory)) {}

std::vector<InstanceResult> SyncEngine::run(const SyncOptions& options) {
  std::vector<const InstanceConfig*> chosen;
  if (options.instances.empty()) {
    for (const auto& instance : config_.instances)
      chosen.push_back(&instance);
  } else {
    for (const auto& name : options.instances) {
      const InstanceConfig* instance = config_.instance(name);
      if (!instance) {
        throw ConfigError(config_.file.string() + ": no instance named '" + name + "'");
      }
      chosen.push_back(instance);
    }
  }
  std::vector<InstanceResult> results;
  for (const auto* instance : chosen)
    results.push_back(sync(*instance, options));
  return results;
}

InstanceResult SyncEngine::sync(const InstanceConfig& instance, const SyncOptions& options) {
  InstanceResult result;
  result.instance = instance.name;
  RunSummary& summary = result.summary;
  summary.instance = instance.name;
  summary.full_refresh = options.full_refresh;
  summary.dry_run = options.dry_run;
  summary.started_at = utc_now();
  auto started = Clock::now();
  RunLog runs(database_);
  Leases leases(database_);
  bool leased = false;

  auto fail = [&](const std::string& message) {
    result.outcome = Outcome::failed;
    result.message = redact(message);
    summary.state = run_state_name(RunState::failed);
    summary.error = result.message;
    spdlog::error("instance '{}' failed: {}", instance.name, result.message);
  };

  try {
    const LoadedPlugin& plugin = plugins_.get(instance.plugin);
    if (auto error = settings_error(instance, plugin.info()))
      throw ConfigError(*error);

    if (!options.dry_run) {
      summary.id = runs.begin(instance.name, options.full_refresh, options.dry_run);
      auto lease = leases.acquire(instance.name, summary.id, lease_deadline());
      if (!lease.acquired) {
        result.outcome = Outcome::skipped;
        result.message = "run " + std::to_string(lease.holder.run_id) + " (" + lease.holder.holder +
                         ") has held its lease since " + lease.holder.acquired_at;
        summary.state = run_state_name(RunState::skipped);
        summary.error = result.message;
        summary.finished_at = utc_now();
        runs.finish(summary);
        spdlog::warn("instance '{}' skipped: {}", instance.name, result.message);
        return result;
      }
      leased = true;
      if (lease.taken_over) {
        runs.mark_interrupted(*lease.taken_over);
        spdlog::warn("instance '{}': took over the stale lease of run {}", instance.name,
                     *lease.taken_over);
      }
    }

    auto cursors = options.full_refresh ? std::map<std::string, std::string>{}
                                        : load_cursors(database_, instance.name);
    RecordStore store(database_, instance.name);
    if (!options.dry_run)
      store.ensure_default_initiative(instance.default_initiative);

    Normalizer normalizer(status_table(plugin.info(), instance.status_overrides),
                          plugin.info().name, instance.name, instance.default_initiative);
    std::optional<ProgressLine> progress;
    if (options.progress)
      progress.emplace(instance.name);
    RecordSink sink(
        normalizer, instance.batch_size,
        [&](const Batch& batch) {
          return options.dry_run ? store.classify(batch)
                                 : store.write(batch, summary.id, lease_deadline());
        },
        [&](std::int64_t read) {
          if (progress)
            progress->update(read);
        });
    InstanceHost host(instance.name, instance.settings_json, instance.http_json, std::move(cursors),
                      http_factory_);

    std::string plugin_failure;
    // Held outside the try: an exception thrown by the plugin lives in its library.
    std::shared_ptr<campaign_hub::Provider> provider;
    try {
      provider = plugin.create();
      provider->read(host, sink);
    } catch (const std::exception& error) {
      plugin_failure = error.what();
    } catch (...) {
      plugin_failure = "the plugin threw something that is not a std::exception";
    }
    // What the plugin emitted before it failed is valid; only checkpointed cursors move.
    sink.finish();

    const auto& counts = sink.counts();
    summary.read = counts.read;
    summary.inserted = counts.written.inserted;
    summary.updated = counts.written.updated;
    summary.unchanged = counts.written.unchanged;
    summary.quarantined = counts.written.quarantined;
    auto http = host.http_counters();
    summary.http_requests = http.requests;
    summary.http_retries = http.retries;
    summary.http_bytes = http.bytes;
    summary.rate_limit_wait_ms = http.rate_limit_wait_ms;
    summary.details = redact(host.notes_json());

    if (!plugin_failure.empty()) {
      fail("plugin " + plugin.info().name + ": " + plugin_failure);
    } else if (summary.quarantined > 0) {
      result.outcome = Outcome::partial;
      summary.state = run_state_name(RunState::partial);
    } else {
      result.outcome = Outcome::succeeded;
      summary.state = run_state_name(RunState::succeeded);
    }
  } catch (const std::exception& error) {
    fail(error.what());
  }

  summary.finished_at = utc_now();
  summary.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (summary.id != 0) {
    try {
      runs.finish(summary);
      if (leased)
        leases.release(instance.name, summary.id);
    } catch (const std::exception& error) {
      spdlog::error("instance '{}': could not record the end of run {}: {}", instance.name,
                    summary.id, redact(error.what()));
    }
  }
  return result;
}

}  // namespace hub
