// What one batch changes, decided without the database: from the batch's records and what the
// database holds of them (content hash and status per key), the rows to insert or update, the
// status events to record, the metrics snapshots to add, the campaigns whose opportunities lose
// their link, and the counts. The store then only carries the plan out.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/batch.h"

namespace hub {

// What the database holds of one record key; for metrics, of a campaign's latest snapshot.
struct StoredRecord {
  bool found = false;
  std::string hash;
  Value status;
  Value raw_status;
  bool deleted = false;  // a soft-deleted row
  // The provider's own time of the stored state: a record saying an earlier one is older news
  // (a late or replayed webhook, a pull that read before a push) and does not overwrite it.
  Value provider_updated_at = std::nullopt;
};

// Per entity (indexed by Entity), per external id.
using StoredRecords = std::array<std::unordered_map<std::string, StoredRecord>, kEntityCount>;

// One row to write: the last occurrence of its key in the batch. It refers to the batch's own
// record, which must outlive the plan, and copies it only when the batch changes it (a
// tombstone overlaid, a campaign's link removed): a first sync copies no record.
struct RowWrite {
  RowWrite(const CanonicalRecord& source, bool keep_known)
      : source(&source), keep_known(keep_known) {}

  const CanonicalRecord& record() const { return changed ? *changed : *source; }
  // The record to change, copied from the batch's the first time.
  CanonicalRecord& edit() {
    if (!changed)
      changed = *source;
    return *changed;
  }
  // Writes `other` instead, as it stands in the batch.
  void replace(const CanonicalRecord& other) {
    source = &other;
    changed.reset();
  }

  const CanonicalRecord* source;
  std::optional<CanonicalRecord> changed;
  std::string hash;
  // A tombstone keeps what the database knew of the record (a null keeps the stored value);
  // false once an earlier occurrence in the batch has rewritten the whole row.
  bool keep_known = false;
  std::size_t position = 0;  // in the batch, of the last occurrence
};

// A deletion is an event to "deleted"; a deleted record listed again, one from "deleted".
inline constexpr std::string_view kDeletedStatus = "deleted";

struct StatusEvent {
  Entity entity = Entity::campaign;
  std::string external_id;
  Value from;
  std::string to;
  Value from_raw;  // the provider's words, as raw_status holds them
  Value to_raw;
};

struct ChangePlan {
  // Per entity with a table of its own (all but metrics), in the order keys first appear.
  std::array<std::vector<RowWrite>, kEntityCount> rows;
  std::vector<CanonicalRecord> snapshots;  // metrics: each new snapshot, taken_at filled in
  std::vector<StatusEvent> events;
  // Campaigns the batch deletes: their opportunities in the database lose the link.
  std::vector<std::string> deleted_campaigns;
  WriteCounts counts;  // inserted, updated and unchanged per record; quarantine not counted
};

// Walks the records in order as if each were written in turn against `stored`: a record whose
// provider_updated_at is earlier than the stored one's is older news, counted unchanged and
// not written (the newer state stays, whatever order events came in); counts and
// status events are per record; the rows written are the last occurrence of each key, a
// tombstone overlaid on what the batch wrote before it. `now` stands in for a snapshot's
// missing taken_at.
ChangePlan plan_changes(const std::vector<CanonicalRecord>& records, StoredRecords stored,
                        const std::string& now);
// The plan refers to the records: they must outlive it.
ChangePlan plan_changes(std::vector<CanonicalRecord>&& records, StoredRecords stored,
                        const std::string& now) = delete;

// A short, stable digest of a record's values: equal values, equal digest. "x3" and 16 hex
// digits of XXH3-64; rows written before issue 14 hold 16 hex digits of FNV-1a instead.
std::string content_hash(const CanonicalRecord& record);

// Whether `stored`, a row's content_hash, says `record` (whose content_hash is `hash`) is
// unchanged. A row still holding the older FNV-1a digest is compared with that digest, so an
// upgrade rewrites no unchanged row.
bool same_content(const std::string& stored, const CanonicalRecord& record,
                  const std::string& hash);

// Whether the record marks its key deleted (its `deleted` column is "1").
bool is_tombstone(const CanonicalRecord& record);

}  // namespace hub
