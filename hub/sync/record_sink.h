// The emitter the hub hands a plugin: every record is normalized as it arrives, gathered
// into a batch, and the batch is written in one transaction with the cursors of the
// checkpoints it contains. A batch travels to the writer in parts of a thousand records.
//
// Writing runs on a thread of its own, one batch behind: while the store writes batch n, the
// plugin fetches and parses batch n+1. Memory holds two parts, however long the feed.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "campaign_hub/host.h"
#include "hub/normalize/normalizer.h"
#include "hub/store/record_store.h"
#include "hub/sync/listing.h"

namespace hub {

struct SinkCounts {
  std::int64_t read = 0;
  std::array<std::int64_t, kEntityCount> read_by_entity{};
  WriteCounts written;

  // Read and written, by entity name, as a run summary keeps them.
  std::map<std::string, EntityTally> by_entity() const;
  // Adds a batch the store wrote: each of its records counts as read.
  void add_written(const WriteCounts& counts);
  // Copies every count into `summary` (read, written, by entity).
  void fill(RunSummary& summary) const;
};

class RecordSink : public campaign_hub::Emitter {
 public:
  // What the plugin's next emit throws once a write failed: the hub's own error, so that the
  // store's exception never travels through the plugin's frames. finish() throws the store's.
  struct StoreFailed : std::runtime_error {
    StoreFailed() : std::runtime_error("the hub's store failed; the hub stops this run") {}
  };

  // Writes `batch` and answers what was written; runs on the writer thread. The engine's
  // writer renews the lease; a dry run only classifies.
  using Flush = std::function<WriteCounts(const Batch& batch)>;
  // Called on the plugin's thread with the records read so far.
  using Progress = std::function<void(std::int64_t read)>;

  RecordSink(const Normalizer& normalizer, std::size_t batch_size, Flush flush,
             Progress progress = {});
  ~RecordSink() override;  // stops the writer; call finish() first to keep its work

  void campaign(campaign_hub::Campaign record) override { take(std::move(record)); }
  void opportunity(campaign_hub::Opportunity record) override { take(std::move(record)); }
  void participant(campaign_hub::Participant record) override { take(std::move(record)); }
  void step(campaign_hub::Step record) override { take(std::move(record)); }
  void metrics(campaign_hub::Metrics record) override { take(std::move(record)); }
  void checkpoint(std::string_view stream, std::string_view cursor) override;
  // Settles pushed request `id` of the spool (taken, ignored or failed, with why) in the same
  // transaction as the records emitted for it: the hub's own, not the plugin's. Call it after
  // the request's records.
  void spooled(std::int64_t id, std::string state, std::string error);
  // Quarantines the record as the plugin says, keeping `raw` as the row's record (it is not a
  // hub record, so replay leaves it). Throws std::invalid_argument for an unknown entity.
  void reject(std::string_view entity, std::string_view external_id, std::string_view field,
              std::string_view reason, std::string raw) override;
  // Throws std::invalid_argument for an entity that is not one with ids of its own.
  void listed_all(std::string_view entity) override;

  // Writes what is left and waits for the writer. Called once the plugin returns (or throws:
  // what it emitted before is still valid; only checkpointed cursors move). Throws the
  // writer's error, if it had one.
  void finish();

  // Complete after finish().
  const SinkCounts& counts() const { return counts_; }
  // Every id emitted or rejected, and what the plugin said it listed in full.
  Listing& listing() { return listing_; }

 private:
  void take(AnyRecord record);
  // Gives the current part to the writer, waiting while it is busy; it commits the
  // transaction when the transaction is full or `last`.
  void hand_over(bool last);
  void write_loop();
  // Throws StoreFailed once a write failed.
  void stop_if_write_failed();

  const Normalizer& normalizer_;
  // A transaction of `batch_size_` records is handed to the writer in parts of at most
  // kPartSize: memory holds two parts, whatever the transaction's size.
  static constexpr std::size_t kPartSize = 1000;
  std::size_t batch_size_;
  std::size_t part_size_;
  std::size_t in_transaction_ = 0;              // records handed over in the open transaction
  bool transaction_open_ = false;               // a part without commit was handed over
  std::map<std::string, std::string> cursors_;  // checkpoints of the open transaction
  std::vector<SpoolMark> spooled_;              // pushed requests the open transaction settles
  Flush flush_;
  Progress progress_;
  Batch batch_;
  SinkCounts counts_;
  Listing listing_;  // the plugin's thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> handed_;  // the batch waiting for, or being written by, the writer
  bool closing_ = false;
  // A write that failed fails the run: later records are refused, not lost in silence.
  std::exception_ptr write_failure_;
  std::thread writer_;
};

}  // namespace hub
