// Writes an instance's records: upsert keyed on (instance, external id), unchanged records
// left alone, a status event for every change of canonical status, quarantine and cursors,
// all of a batch in one transaction.
#pragma once

#include <array>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/database.h"
#include "hub/store/postgresql_rows.h"
#include "hub/store/run_log.h"
#include "hub/store/sqlite_rows.h"

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

  WriteCounts& operator+=(const WriteCounts& other);
};

// Thrown when the instance's lease was taken over while this run held it: the batch is
// rolled back, so two runs never both write.
class LeaseLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RecordStore {
 public:
  RecordStore(Database& database, std::string instance);
  ~RecordStore();
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;

  // Writes the batch into the open transaction (opening it, and extending the run's lease to
  // `lease_expires`, when none is open); commits when `batch.commit`. On any failure the
  // transaction is rolled back whole.
  WriteCounts write(const Batch& batch, std::int64_t run_id, const std::string& lease_expires);

  // What `write` would do, writing nothing (for --dry-run). Duplicates inside the batch
  // count once per occurrence, as the first occurrence would be written.
  WriteCounts classify(const Batch& batch);

  // Makes sure the instance's default initiative exists; it is flagged and never deleted.
  void ensure_default_initiative(const std::string& name);

 private:
  struct Known;
  // What the database holds now of the batch's records (hash and status), fetched in chunks.
  Known fetch_known(const Batch& batch);
  WriteCounts write_batch(const Batch& batch, std::int64_t run_id,
                          const std::string& lease_expires);

  Database& database_;
  std::string instance_;
  std::unique_ptr<SqliteRows> sqlite_;          // SQLite's row-at-a-time fast path; null elsewhere
  std::unique_ptr<PostgresqlRows> postgresql_;  // PostgreSQL's COPY path; null elsewhere
  std::optional<soci::transaction> open_;       // between the parts of one transaction
  bool open_quarantine_ = false;                // the instance has unresolved quarantine rows
};

// A short, stable digest of a record's values: equal values, equal digest.
std::string content_hash(const CanonicalRecord& record);

}  // namespace hub
