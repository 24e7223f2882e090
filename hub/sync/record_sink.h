// The emitter the hub hands a plugin: every record is normalized as it arrives, gathered
// into a batch, and the batch is written in one transaction with the cursors of the
// checkpoints it contains. Memory holds one batch, however long the feed.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>

#include "campaign_hub/host.h"
#include "hub/normalize/normalizer.h"
#include "hub/store/record_store.h"

namespace hub {

struct SinkCounts {
  std::int64_t read = 0;
  WriteCounts written;
};

class RecordSink : public campaign_hub::Emitter {
 public:
  // Flushes `batch` and answers what was written. The engine's writer takes the lease into
  // account; a dry run only classifies.
  using Flush = std::function<WriteCounts(const Batch& batch)>;
  using Progress = std::function<void(const SinkCounts& counts)>;

  RecordSink(const Normalizer& normalizer, std::size_t batch_size, Flush flush,
             Progress progress = {});

  void campaign(campaign_hub::Campaign record) override { take(std::move(record)); }
  void opportunity(campaign_hub::Opportunity record) override { take(std::move(record)); }
  void participant(campaign_hub::Participant record) override { take(std::move(record)); }
  void step(campaign_hub::Step record) override { take(std::move(record)); }
  void metrics(campaign_hub::Metrics record) override { take(std::move(record)); }
  void checkpoint(std::string_view stream, std::string_view cursor) override;

  // Writes what is left. Called once the plugin returns (or throws: what it emitted before
  // is still valid; only checkpointed cursors move).
  void finish();

  const SinkCounts& counts() const { return counts_; }

 private:
  void take(AnyRecord record);
  void flush();

  const Normalizer& normalizer_;
  std::size_t batch_size_;
  Flush flush_;
  Progress progress_;
  Batch batch_;
  SinkCounts counts_;
  // A write that failed fails the run: later records are refused, not lost in silence.
  std::exception_ptr write_failure_;
};

}  // namespace hub
