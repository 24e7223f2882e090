// What one write of the store carries (a Batch: records, quarantine entries, cursors) and what
// it did (WriteCounts).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/run_log.h"

namespace hub {

struct QuarantineEntry {
  Entity entity = Entity::campaign;
  std::string external_id;
  std::string field;
  std::string reason;
  std::string record_json;  // the record as the plugin emitted it (hub/model/record_json.h)
};

// What became of one request a provider pushed (webhook_spool's row `id`): taken (what it
// said is in this transaction), ignored (not for the plugin), or failed (the plugin could not
// read it; `error` says why). Written in the same transaction as the records it gave.
struct SpoolMark {
  std::int64_t id = 0;
  std::string state;
  std::string error;
};

// What one write carries: a whole transaction, or a part of one. `cursors` holds the last
// checkpoint of each stream among the transaction's records: committing it with them is what
// makes a crash lose nothing. A transaction may be written in parts (so that memory holds a
// part, not the whole transaction); only the part with `commit` set ends it, with the cursors.
struct Batch {
  std::vector<CanonicalRecord> records;
  std::vector<QuarantineEntry> quarantined;
  std::map<std::string, std::string> cursors;
  // Quarantine rows whose records are among `records` now (a replay): marked resolved.
  std::vector<std::int64_t> resolved_quarantine;
  // Pushed requests this transaction settles (a webhook ingestion run).
  std::vector<SpoolMark> spooled;
  bool commit = true;

  std::size_t size() const { return records.size() + quarantined.size(); }
  bool empty() const {
    return records.empty() && quarantined.empty() && cursors.empty() && spooled.empty();
  }
  void clear() {
    records.clear();
    quarantined.clear();
    cursors.clear();
    resolved_quarantine.clear();
    spooled.clear();
    commit = true;
  }
};

struct WriteCounts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t quarantined = 0;
  // The same, by entity (indexed by Entity); `read` stays 0 here.
  std::array<EntityTally, kEntityCount> by_entity{};

  void count_inserted(Entity entity) {
    ++inserted;
    ++by_entity[static_cast<std::size_t>(entity)].inserted;
  }
  void count_updated(Entity entity) {
    ++updated;
    ++by_entity[static_cast<std::size_t>(entity)].updated;
  }
  void count_unchanged(Entity entity) {
    ++unchanged;
    ++by_entity[static_cast<std::size_t>(entity)].unchanged;
  }
  void count_quarantined(const std::vector<QuarantineEntry>& entries) {
    for (const auto& entry : entries) {
      ++quarantined;
      ++by_entity[static_cast<std::size_t>(entry.entity)].quarantined;
    }
  }

  WriteCounts& operator+=(const WriteCounts& other) {
    inserted += other.inserted;
    updated += other.updated;
    unchanged += other.unchanged;
    quarantined += other.quarantined;
    for (std::size_t i = 0; i < by_entity.size(); ++i) {
      by_entity[i].inserted += other.by_entity[i].inserted;
      by_entity[i].updated += other.by_entity[i].updated;
      by_entity[i].unchanged += other.by_entity[i].unchanged;
      by_entity[i].quarantined += other.by_entity[i].quarantined;
    }
    return *this;
  }
};

}  // namespace hub
