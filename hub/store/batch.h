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
  bool commit = true;

  std::size_t size() const { return records.size() + quarantined.size(); }
  bool empty() const { return records.empty() && quarantined.empty() && cursors.empty(); }
  void clear() {
    records.clear();
    quarantined.clear();
    cursors.clear();
    resolved_quarantine.clear();
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
