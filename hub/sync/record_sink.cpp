#include "hub/sync/record_sink.h"

#include <algorithm>
#include <stdexcept>

#include "hub/model/record_json.h"
#include "hub/model/utf8.h"

namespace hub {

std::map<std::string, EntityTally> SinkCounts::by_entity() const {
  std::map<std::string, EntityTally> tallies;
  for (std::size_t i = 0; i < kEntityCount; ++i) {
    EntityTally tally = written.by_entity[i];
    tally.read = read_by_entity[i];
    if (tally.read || tally.inserted || tally.updated || tally.unchanged || tally.quarantined)
      tallies[std::string(entity_name(static_cast<Entity>(i)))] = tally;
  }
  return tallies;
}

void SinkCounts::add_written(const WriteCounts& counts) {
  written += counts;
  for (std::size_t i = 0; i < kEntityCount; ++i) {
    const EntityTally& more = counts.by_entity[i];
    const std::int64_t records = more.inserted + more.updated + more.unchanged + more.quarantined;
    read_by_entity[i] += records;
    read += records;
  }
}

void SinkCounts::fill(RunSummary& summary) const {
  summary.read = read;
  summary.inserted = written.inserted;
  summary.updated = written.updated;
  summary.unchanged = written.unchanged;
  summary.quarantined = written.quarantined;
  summary.entities = by_entity();
}

RecordSink::RecordSink(const Normalizer& normalizer, std::size_t batch_size, Flush flush,
                       Progress progress)
    : normalizer_(normalizer),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      part_size_(std::min(batch_size_, kPartSize)),
      flush_(std::move(flush)),
      progress_(std::move(progress)) {
  batch_.records.reserve(part_size_);
  writer_ = std::thread([this] { write_loop(); });
}

RecordSink::~RecordSink() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable())
    writer_.join();
}

void RecordSink::take(AnyRecord record) {
  stop_if_write_failed();
  ++counts_.read;
  Entity entity = entity_of(record);
  ++counts_.read_by_entity[static_cast<std::size_t>(entity)];
  std::visit(
      [&](const auto& r) {
        if constexpr (requires { r.external_id; })
          listing_.saw(entity, r.external_id);
      },
      record);
  // Normalizing edits the record, and quarantine keeps what was emitted: the original is
  // serialized only when it fails.
  std::optional<std::string> emitted;
  Normalized result = [&] {
    auto copy = record;
    auto normalized = normalizer_.normalize(std::move(copy));
    if (!normalized.record)
      emitted = record_to_json(record);
    return normalized;
  }();
  if (result.record) {
    batch_.records.push_back(std::move(*result.record));
  } else {
    std::string external_id = std::visit(
        [](const auto& r) {
          if constexpr (requires { r.external_id; }) {
            return r.external_id;
          } else {
            return r.campaign_id;
          }
        },
        record);
    // The row must be storable whatever the record held: bad bytes become U+FFFD.
    batch_.quarantined.push_back({entity, storable_text(external_id),
                                  storable_text(result.rejection.field),
                                  storable_text(result.rejection.reason), storable_text(*emitted)});
  }
  if (batch_.size() >= std::min(part_size_, batch_size_ - in_transaction_))
    hand_over(false);
}

void RecordSink::reject(std::string_view entity, std::string_view external_id,
                        std::string_view field, std::string_view reason, std::string raw) {
  stop_if_write_failed();
  auto known = entity_from_name(entity);
  if (!known) {
    throw std::invalid_argument("the plugin rejected a record of unknown entity '" +
                                std::string(entity) +
                                "' (campaign, opportunity, participant, step or metrics)");
  }
  ++counts_.read;
  ++counts_.read_by_entity[static_cast<std::size_t>(*known)];
  if (*known != Entity::metrics)
    listing_.saw(*known, external_id);
  batch_.quarantined.push_back({*known, storable_text(external_id), storable_text(field),
                                reason.empty() ? "rejected by the plugin" : storable_text(reason),
                                storable_text(raw)});
  if (batch_.size() >= std::min(part_size_, batch_size_ - in_transaction_))
    hand_over(false);
}

void RecordSink::listed_all(std::string_view entity) {
  auto known = entity_from_name(entity);
  if (!known || *known == Entity::metrics) {
    throw std::invalid_argument("the plugin said it listed all of '" + std::string(entity) +
                                "', which is not campaign, opportunity, participant or step");
  }
  listing_.listed_all(*known);
}

void RecordSink::checkpoint(std::string_view stream, std::string_view cursor) {
  cursors_[std::string(stream)] = std::string(cursor);
  if (progress_)
    progress_(counts_.read);
}

void RecordSink::spooled(std::int64_t id, std::string state, std::string error) {
  stop_if_write_failed();
  spooled_.push_back({id, std::move(state), std::move(error)});
}

void RecordSink::hand_over(bool last) {
  in_transaction_ += batch_.size();
  // The transaction ends at its size, or at the end of the feed; its cursors go with the part
  // that commits it.
  bool commit = last || in_transaction_ >= batch_size_;
  if (commit) {
    batch_.cursors = std::move(cursors_);
    cursors_.clear();
    batch_.spooled = std::move(spooled_);
    spooled_.clear();
    in_transaction_ = 0;
  }
  batch_.commit = commit;
  if (batch_.empty() && !(commit && transaction_open_))
    return;
  transaction_open_ = !commit;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !handed_ || write_failure_; });
  if (write_failure_) {
    if (last)
      std::rethrow_exception(write_failure_);  // finish(): the engine's own frame
    throw StoreFailed();
  }
  handed_.emplace(std::move(batch_));
  lock.unlock();
  changed_.notify_all();
  batch_ = Batch{};
  batch_.records.reserve(part_size_);
  if (progress_)
    progress_(counts_.read);
}

void RecordSink::write_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return handed_ || closing_; });
    if (!handed_)
      return;  // closing, nothing left
    lock.unlock();
    // Only a batch the store wrote counts: the counts exist only where the write returned.
    std::exception_ptr failure;
    try {
      const WriteCounts written = flush_(*handed_);
      lock.lock();
      counts_.written += written;
    } catch (...) {
      failure = std::current_exception();
      if (!lock.owns_lock())
        lock.lock();
      write_failure_ = failure;
    }
    handed_.reset();
    changed_.notify_all();
    if (failure)
      return;  // nothing more is written after a failed batch
  }
}

void RecordSink::stop_if_write_failed() {
  std::lock_guard lock(mutex_);
  if (write_failure_)
    throw StoreFailed();
}

void RecordSink::finish() {
  hand_over(true);
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !handed_ || write_failure_; });
    closing_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable())
    writer_.join();
  if (write_failure_)
    std::rethrow_exception(write_failure_);
}

}  // namespace hub
