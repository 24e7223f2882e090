#include "hub/sync/replay.h"

#include <chrono>
#include <set>

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "hub/model/record_json.h"
#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/record_store.h"
#include "hub/store/row_values.h"
#include "hub/sync/run_recorder.h"

namespace hub {
namespace {

struct Kept {
  std::int64_t id;
  Entity entity;
  std::string record;
};

// Whether a kept record is a hub record (what RecordSink keeps when the hub's checks refuse
// a record) rather than the provider's raw record a plugin rejected (Emitter::reject): the
// quarantine row does not say, but record_to_json always writes a "raw" string and a
// provider's record, read as a hub record, would keep only the fields whose names it shares.
bool is_hub_record(const std::string& json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseNanAndInfFlag>(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject())
    return false;
  auto raw = document.FindMember("raw");
  return raw != document.MemberEnd() && raw->value.IsString();
}

std::vector<std::string> instances_with_quarantine(Database& database,
                                                   std::optional<std::int64_t> run_id) {
  std::vector<std::string> names;
  long long run = run_id.value_or(0);
  soci::rowset<soci::row> rows =
      (database.session().prepare
           << "SELECT DISTINCT instance FROM quarantine WHERE replayed_run_id IS NULL"
           << (run_id ? " AND (run_id = :r OR last_run_id = :r)" : " AND :r = :r")
           << " ORDER BY instance",
       soci::use(run));
  for (const auto& row : rows)
    names.push_back(column_text(row, 0).value_or(""));
  return names;
}

std::vector<Kept> kept_records(Database& database, const std::string& instance,
                               std::optional<std::int64_t> run_id) {
  std::vector<Kept> kept;
  long long run = run_id.value_or(0);
  soci::rowset<soci::row> rows =
      (database.session().prepare
           << "SELECT id, entity, record FROM quarantine WHERE replayed_run_id IS NULL "
              "AND instance = :i"
           << (run_id ? " AND (run_id = :r OR last_run_id = :r)" : " AND :r = :r")
           << " ORDER BY id",
       soci::use(instance), soci::use(run));
  for (const auto& row : rows) {
    auto entity = entity_from_name(column_text(row, 1).value_or(""));
    if (!entity)
      continue;
    kept.push_back({column_integer(row, 0), *entity, column_text(row, 2).value_or("")});
  }
  return kept;
}

}  // namespace

std::vector<ReplayResult> replay_quarantine(const Config& config, Database& database,
                                            PluginCatalog& plugins,
                                            std::optional<std::int64_t> run_id) {
  std::vector<ReplayResult> results;
  RunLog runs(database);
  Leases leases(database);
  for (const auto& name : instances_with_quarantine(database, run_id)) {
    ReplayResult result;
    result.instance = name;
    const InstanceConfig* instance = config.instance(name);
    if (!instance) {
      result.error = "instance '" + name + "' is no longer in the config";
      results.push_back(result);
      continue;
    }
    RunSummary summary;
    summary.instance = name;
    summary.started_at = utc_now();
    bool leased = false;
    try {
      const LoadedPlugin& plugin = plugins.get(instance->plugin);
      summary.id = result.run_id = runs.begin(name, false, false);
      auto lease = leases.acquire(name, summary.id, lease_deadline());
      if (!lease.acquired) {
        throw std::runtime_error("run " + std::to_string(lease.holder.run_id) +
                                 " holds the lease of instance '" + name + "'");
      }
      leased = true;
      // The status map is the plugin's for this instance's settings, as in a sync; replay
      // makes no request, so the host has no HTTP connector.
      InstanceHost host(name, instance->settings_json, instance->http_json, {}, nullptr);
      auto provider = plugin.create();
      Normalizer normalizer(status_table(plugin.info(), *provider, host, *instance),
                            plugin.info().name, name, instance->default_initiative);
      RecordStore store(database, name);
      Batch batch;
      auto flush = [&] {
        auto counts = store.write(batch, summary.id, lease_deadline());
        summary.inserted += counts.inserted;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
        batch.clear();
      };
      std::int64_t rejected_by_plugin = 0;
      for (const auto& kept : kept_records(database, name, run_id)) {
        ++result.examined;
        if (!is_hub_record(kept.record)) {
          // The plugin could not express it: nothing to map again until the plugin reads it.
          ++rejected_by_plugin;
          ++result.still_quarantined;
          continue;
        }
        Normalized normalized;
        try {
          normalized = normalizer.normalize(record_from_json(kept.entity, kept.record));
        } catch (const std::invalid_argument& error) {
          normalized.rejection = {"", std::string("kept record is unreadable: ") + error.what()};
        }
        if (!normalized.record) {
          ++result.still_quarantined;
          continue;
        }
        batch.records.push_back(std::move(*normalized.record));
        batch.resolved_quarantine.push_back(kept.id);
        ++result.stored;
        if (batch.size() >= instance->batch_size)
          flush();
      }
      flush();
      summary.read = result.examined;
      summary.state = run_state_name(RunState::succeeded);
      summary.details =
          "{\"replay\":true,\"still_quarantined\":" + std::to_string(result.still_quarantined) +
          ",\"rejected_by_plugin\":" + std::to_string(rejected_by_plugin) + "}";
      if (rejected_by_plugin > 0) {
        spdlog::warn(
            "instance '{}': {} quarantined record(s) were rejected by the plugin and stay in "
            "quarantine: fix the plugin or its mapping, then sync again to read them again",
            name, rejected_by_plugin);
      }
    } catch (const std::exception& error) {
      result.error = error.what();
      summary.state = run_state_name(RunState::failed);
      summary.error = result.error;
      spdlog::error("replay of instance '{}' failed: {}", name, result.error);
    }
    summary.finished_at = utc_now();
    if (summary.id != 0) {
      runs.finish(summary);
      if (leased)
        leases.release(name, summary.id);
    }
    results.push_back(result);
  }
  return results;
}

}  // namespace hub
