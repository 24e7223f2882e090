// Writes an instance's records: upsert keyed on (instance, external id), unchanged records
// left alone, a status event for every change of canonical status, quarantine and cursors,
// all of a batch in one transaction.
#pragma once

#include <array>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/batch.h"
#include "hub/store/change_plan.h"
#include "hub/store/database.h"
#include "hub/store/row_writer.h"

namespace hub {

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

  // The ids of the instance's live (not deleted) records of `entity` for which `listed` says
  // false, read as a stream: deletion detection's candidates.
  std::vector<std::string> unlisted_ids(Entity entity,
                                        const std::function<bool(std::string_view)>& listed);

  // Makes sure the instance's default initiative exists; it is flagged and never deleted.
  void ensure_default_initiative(const std::string& name);

 private:
  // What the database holds now of the batch's records (hash and status).
  StoredRecords fetch_stored(const Batch& batch);
  WriteCounts write_batch(const Batch& batch, std::int64_t run_id,
                          const std::string& lease_expires);

  Database& database_;
  std::string instance_;
  std::unique_ptr<RowWriter> rows_;        // the dialect's way with record rows
  std::optional<soci::transaction> open_;  // between the parts of one transaction
  bool open_quarantine_ = false;           // the instance has unresolved quarantine rows
};

}  // namespace hub
