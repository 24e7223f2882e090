#include "hub/sync/deletions.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace hub {
namespace {

// A tombstone that knows only its key: every other value is null, so the store keeps it.
CanonicalRecord tombstone(Entity entity, std::string external_id) {
  CanonicalRecord record{entity, std::move(external_id), std::nullopt,
                         std::vector<Value>(columns(entity).size())};
  record.values[*find_column(entity, "deleted")].emplace(1, '1');  // "1"
  return record;
}

}  // namespace

WriteCounts delete_unlisted(RecordStore& store, Listing& listing, const std::string& instance,
                            std::int64_t run_id, std::size_t batch_size,
                            const std::string& lease_expires) {
  WriteCounts total;
  if (listing.complete().empty())
    return total;
  listing.seal();
  batch_size = std::max<std::size_t>(batch_size, 1);
  for (Entity entity : listing.complete()) {
    if (listing.unidentified(entity)) {
      spdlog::warn(
          "instance '{}': the provider listed every {} record, but some came without an id; "
          "none is marked deleted by this run",
          instance, entity_name(entity));
      continue;
    }
    const auto gone = store.unlisted_ids(
        entity, [&](std::string_view id) { return listing.contains(entity, id); });
    Batch batch;
    for (std::size_t at = 0; at < gone.size(); at += batch_size) {
      batch.clear();
      const std::size_t end = std::min(gone.size(), at + batch_size);
      for (std::size_t i = at; i < end; ++i)
        batch.records.push_back(tombstone(entity, gone[i]));
      total += store.write(batch, run_id, lease_expires);
    }
  }
  return total;
}

}  // namespace hub
