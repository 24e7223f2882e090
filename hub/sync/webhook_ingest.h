// A webhook ingestion run: the requests a provider pushed and serve kept (webhook_spool, still
// pending) are handed one by one, in the order they came, to the plugin's Provider::receive,
// and what it emits goes through the same sink and store as a pull sync. Each request is
// settled (taken, ignored, failed with why) in the transaction of its records.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "campaign_hub/plugin.h"
#include "hub/store/database.h"
#include "hub/sync/record_sink.h"

namespace hub {

struct PendingRequest {
  std::int64_t id = 0;
  campaign_hub::WebhookRequest request;
};

// The instance's pending requests, oldest first, at most `limit` (a run settles a bounded
// number; the next run takes the rest). Throws DatabaseError.
std::vector<PendingRequest> pending_requests(Database& database, const std::string& instance,
                                             std::size_t limit);

struct IngestCounts {
  std::int64_t taken = 0;
  std::int64_t ignored = 0;
  std::int64_t failed = 0;
  bool stopped = false;  // asked to stop: the requests not reached stay pending
};

// Hands each request to `provider` with `emit` (which feeds `sink`), and settles it in `sink`.
// A request the plugin throws for is settled failed with its message; the others go on. The
// store's failure passes through. Once `stop` is set, no further request is begun.
IngestCounts ingest(campaign_hub::Provider& provider, campaign_hub::Host& host,
                    campaign_hub::Emitter& emit, RecordSink& sink,
                    const std::vector<PendingRequest>& requests,
                    const std::atomic<bool>* stop = nullptr);

// Deletes the instance's requests settled `taken` or `ignored` that were received more than
// `dedup_hours` before `now`: the de-duplication window is over for them, and what they said
// is in the canonical tables. Pending ones wait for ingestion; failed ones stay, with their
// reason, for the operator. Answers how many went. Throws DatabaseError.
std::int64_t prune_settled(Database& database, const std::string& instance, int dedup_hours,
                           std::chrono::system_clock::time_point now);

}  // namespace hub
