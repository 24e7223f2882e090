#include "hub/sync/sync_engine.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "hub/logging/logging.h"
#include "hub/model/statuses.h"
#include "hub/model/time.h"
#include "hub/store/cursors.h"
#include "hub/store/leases.h"
#include "hub/store/record_store.h"
#include "hub/sync/deletions.h"
#include "hub/sync/record_sink.h"
#include "hub/sync/run_recorder.h"
#include "hub/sync/settings_check.h"
#include "hub/sync/webhook_ingest.h"

namespace hub {
namespace {

// A webhook ingestion run settles at most this many pushed requests; the next run the rest.
constexpr std::size_t kRequestsPerRun = 1000;

using Clock = std::chrono::steady_clock;

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

// Says in the run's details, and the log, how many records deletion detection marked deleted.
void note_deletions(InstanceHost& host, const std::string& instance, const WriteCounts& deleted) {
  std::string said;
  for (std::size_t i = 0; i < kEntityCount; ++i) {
    const std::int64_t n = deleted.by_entity[i].updated;
    if (n > 0) {
      said += (said.empty() ? "" : ", ") + std::string(entity_name(static_cast<Entity>(i))) + " " +
              std::to_string(n);
    }
  }
  if (said.empty())
    return;
  host.note("deleted_unlisted", said);
  spdlog::info("instance '{}': no longer listed by the provider, marked deleted: {}", instance,
               said);
}

// The emitter a plugin sees: the sink, plus a stop request honoured at the next checkpoint,
// once everything up to it is in the sink (and so is committed by its finish()).
class StoppableEmitter : public campaign_hub::Emitter {
 public:
  StoppableEmitter(RecordSink& sink, const std::atomic<bool>* stop) : sink_(sink), stop_(stop) {}

  void campaign(campaign_hub::Campaign record) override { sink_.campaign(std::move(record)); }
  void opportunity(campaign_hub::Opportunity record) override {
    sink_.opportunity(std::move(record));
  }
  void participant(campaign_hub::Participant record) override {
    sink_.participant(std::move(record));
  }
  void step(campaign_hub::Step record) override { sink_.step(std::move(record)); }
  void metrics(campaign_hub::Metrics record) override { sink_.metrics(std::move(record)); }
  void reject(std::string_view entity, std::string_view external_id, std::string_view field,
              std::string_view reason, std::string raw) override {
    sink_.reject(entity, external_id, field, reason, std::move(raw));
  }
  void listed_all(std::string_view entity) override { sink_.listed_all(entity); }
  void checkpoint(std::string_view stream, std::string_view cursor) override {
    sink_.checkpoint(stream, cursor);
    if (stop_ != nullptr && stop_->load())
      throw RunStopped();
  }

  struct RunStopped : std::runtime_error {
    RunStopped() : std::runtime_error("stopped") {}
  };

 private:
  RecordSink& sink_;
  const std::atomic<bool>* stop_;
};

}  // namespace

std::vector<const InstanceConfig*> select_instances(const Config& config,
                                                    const std::vector<std::string>& names) {
  std::vector<const InstanceConfig*> chosen;
  if (names.empty()) {
    for (const auto& instance : config.instances)
      chosen.push_back(&instance);
    return chosen;
  }
  for (const auto& name : names) {
    const InstanceConfig* instance = config.instance(name);
    if (!instance)
      throw ConfigError(config.file.string() + ": no instance named '" + name + "'");
    chosen.push_back(instance);
  }
  return chosen;
}

const LoadedPlugin& PluginCatalog::get(const std::string& name) {
  if (auto found = loaded_.find(name); found != loaded_.end())
    return found->second;
  return loaded_.emplace(name, load_named_plugin(path_, name)).first->second;
}

StatusTable status_table(const PluginInfo& plugin, campaign_hub::Provider& provider,
                         campaign_hub::Host& host, const InstanceConfig& instance) {
  std::vector<campaign_hub::StatusRule> rules;
  try {
    rules = provider.statuses(host);
  } catch (const std::exception& error) {
    throw std::runtime_error("plugin " + plugin.name + ": " + error.what());
  } catch (...) {
    throw std::runtime_error("plugin " + plugin.name +
                             ": its status map threw something that is not a std::exception");
  }
  StatusTable table;
  for (const auto& entry : plugin.status_map)
    table.add(entry.entity, entry.provider, entry.canonical);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i];
    if (!is_canonical_status(rule.entity, rule.canonical)) {
      throw std::runtime_error("plugin " + plugin.name + ": status rule " + std::to_string(i) +
                               ": '" + rule.canonical + "' is not a canonical " + rule.entity +
                               " status");
    }
    if (rule.provider)
      table.add(rule.entity, *rule.provider, rule.canonical, rule.match);
    else
      table.when_missing(rule.entity, rule.canonical);
  }
  for (const auto& [entity, entries] : instance.status_overrides) {
    for (const auto& [provider_word, canonical] : entries)
      table.add(entity, provider_word, canonical);
  }
  for (const auto& [entity, canonical] : instance.status_when_missing)
    table.when_missing(entity, canonical);
  return table;
}

SyncEngine::SyncEngine(const Config& config, Database& database, PluginCatalog& plugins,
                       HttpFactory http_factory)
    : config_(config),
      database_(database),
      plugins_(plugins),
      http_factory_(std::move(http_factory)) {}

std::vector<InstanceResult> SyncEngine::run(const SyncOptions& options) {
  std::vector<InstanceResult> results;
  for (const auto* instance : select_instances(config_, options.instances))
    results.push_back(sync(*instance, options));
  return results;
}

InstanceResult SyncEngine::sync(const InstanceConfig& instance, const SyncOptions& options) {
  InstanceResult result;
  RunRecorder recorder(database_);
  if (!recorder.begin(instance, options, result))
    return result;
  execute(instance, options, result);
  recorder.end(result);
  return result;
}

void SyncEngine::execute(const InstanceConfig& instance, const SyncOptions& options,
                         InstanceResult& result,
                         const std::function<void(const InstanceResult&)>& on_batch) {
  result.instance = instance.name;
  RunSummary& summary = result.summary;
  summary.instance = instance.name;
  summary.full_refresh = options.full_refresh;
  summary.dry_run = options.dry_run;
  if (summary.started_at.empty())
    summary.started_at = utc_now();
  try {
    if (!instance.secret_error.empty())
      throw ConfigError(instance.secret_error);
    const LoadedPlugin& plugin = plugins_.get(instance.plugin);
    if (auto error = settings_error(instance, plugin.info()))
      throw ConfigError(*error);

    if (options.webhooks && !(plugin.info().capabilities & campaign_hub::capability_webhook)) {
      throw ConfigError("plugin " + plugin.info().name +
                        " takes no webhooks (it has no webhook capability)");
    }
    // Read before the sink's writer thread starts: both would use the one connection.
    const std::vector<PendingRequest> pushed =
        options.webhooks ? pending_requests(database_, instance.name, kRequestsPerRun)
                         : std::vector<PendingRequest>{};
    auto cursors = options.full_refresh ? std::map<std::string, std::string>{}
                                        : load_cursors(database_, instance.name);
    RecordStore store(database_, instance.name);
    if (!options.dry_run)
      store.ensure_default_initiative(instance.default_initiative);

    InstanceHost host(instance.name, instance.settings_json, instance.http_json, std::move(cursors),
                      http_factory_);
    // Held outside the tries below: an exception thrown by the plugin lives in its library.
    std::shared_ptr<campaign_hub::Provider> provider = plugin.create();
    Normalizer normalizer(status_table(plugin.info(), *provider, host, instance),
                          plugin.info().name, instance.name, instance.default_initiative);
    std::optional<ProgressLine> progress;
    if (options.progress)
      progress.emplace(instance.name);
    // Counts of the batches written so far, for `on_batch`; only the writer thread uses them.
    SinkCounts committed;
    InstanceResult written = result;
    RecordSink sink(
        normalizer, instance.batch_size,
        [&](const Batch& batch) {
          WriteCounts counts = options.dry_run ? store.classify(batch)
                                               : store.write(batch, summary.id, lease_deadline());
          if (on_batch) {
            committed.add_written(counts);
            committed.fill(written.summary);
            on_batch(written);
          }
          return counts;
        },
        [&](std::int64_t read) {
          if (progress)
            progress->update(read);
        });
    StoppableEmitter emitter(sink, options.stop);

    std::string plugin_failure;
    bool stopped = false;
    IngestCounts ingested;
    try {
      if (options.webhooks) {
        ingested = ingest(*provider, host, emitter, sink, pushed, options.stop);
        stopped = ingested.stopped;
        host.note("webhooks", std::to_string(ingested.taken) + " taken, " +
                                  std::to_string(ingested.ignored) + " ignored, " +
                                  std::to_string(ingested.failed) + " failed");
      } else {
        provider->read(host, emitter);
      }
    } catch (const StoppableEmitter::RunStopped&) {
      stopped = true;
    } catch (const RecordSink::StoreFailed&) {
      // sink.finish() below throws the store's own error, which is the run's cause.
    } catch (const std::exception& error) {
      plugin_failure = error.what();
    } catch (...) {
      plugin_failure = "the plugin threw something that is not a std::exception";
    }
    // What the plugin emitted before it failed is valid; only checkpointed cursors move. A
    // store failure stopped the plugin at its next emit: it is the cause, not the plugin.
    std::string store_failure;
    bool lost_lease = false;
    try {
      sink.finish();
    } catch (const LeaseLost& error) {
      store_failure = error.what();
      lost_lease = true;
    } catch (const std::exception& error) {
      store_failure = error.what();
    }

    // Only a run that read everything it said it listed, and wrote it, can tell what is gone.
    SinkCounts counts = sink.counts();
    if (store_failure.empty() && !stopped && plugin_failure.empty() && !options.dry_run &&
        instance.detect_deletions) {
      try {
        WriteCounts deleted = delete_unlisted(store, sink.listing(), instance.name, summary.id,
                                              instance.batch_size, lease_deadline());
        counts.written += deleted;
        note_deletions(host, instance.name, deleted);
      } catch (const std::exception& error) {
        store_failure = error.what();
      }
    }
    if (store_failure.empty() && options.webhooks && !options.dry_run) {
      try {
        const int window =
            instance.webhook ? instance.webhook->dedup_hours : WebhookConfig{}.dedup_hours;
        if (auto pruned =
                prune_settled(database_, instance.name, window, std::chrono::system_clock::now())) {
          spdlog::info("instance '{}': {} settled pushed requests older than {} h pruned",
                       instance.name, pruned, window);
        }
      } catch (const std::exception& error) {
        store_failure = error.what();
      }
    }
    counts.fill(summary);
    auto http = host.http_counters();
    summary.http_requests = http.requests;
    summary.http_retries = http.retries;
    summary.http_bytes = http.bytes;
    summary.rate_limit_wait_ms = http.rate_limit_wait_ms;
    summary.details = redact(host.notes_json());

    if (lost_lease) {
      summary.state = run_state_name(RunState::lost_lease);
      mark_failed(result, store_failure);
    } else if (!store_failure.empty()) {
      mark_failed(result, store_failure);
    } else if (stopped) {
      summary.state = run_state_name(RunState::interrupted);
      mark_failed(result,
                  "stopped before it finished, with what it read committed; the next run "
                  "resumes from its cursor");
    } else if (!plugin_failure.empty()) {
      mark_failed(result, "plugin " + plugin.info().name + ": " + plugin_failure);
    } else if (summary.quarantined > 0 || ingested.failed > 0) {
      result.outcome = Outcome::partial;
      summary.state = run_state_name(RunState::partial);
    } else {
      result.outcome = Outcome::succeeded;
      summary.state = run_state_name(RunState::succeeded);
    }
  } catch (const std::exception& error) {
    mark_failed(result, error.what());
  }
}

}  // namespace hub
