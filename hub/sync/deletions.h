// Deletion detection: after a run that listed every live record of an entity (a full read, to
// its end, without failure), the stored records of that entity it did not list are gone at the
// provider. Each is soft-deleted through the store's own write path, as the provider's own
// tombstone would be: deleted = 1, its other values kept, an event to "deleted" in its status
// history with the run that did it, and its campaign's opportunities unlinked for a campaign.
#pragma once

#include <cstdint>
#include <string>

#include "hub/store/record_store.h"
#include "hub/sync/listing.h"

namespace hub {

// Soft-deletes the unlisted records of each entity `listing` says is complete, in transactions
// of `batch_size`. Returns what was written (each deletion counts as an update of its entity).
// Throws the store's error.
// An entity of which a record came without an id is left alone, with a warning naming
// `instance`: its missing record cannot be told from a deleted one.
WriteCounts delete_unlisted(RecordStore& store, Listing& listing, const std::string& instance,
                            std::int64_t run_id, std::size_t batch_size,
                            const std::string& lease_expires);

}  // namespace hub
