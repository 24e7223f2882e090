#include "hub/sync/record_sink.h"

#include "hub/model/record_json.h"

namespace hub {

RecordSink::RecordSink(const Normalizer& normalizer, std::size_t batch_size, Flush flush,
                       Progress progress)
    : normalizer_(normalizer),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      flush_(std::move(flush)),
      progress_(std::move(progress)) {
  batch_.records.reserve(batch_size_);
}

void RecordSink::take(AnyRecord record) {
  if (write_failure_)
    std::rethrow_exception(write_failure_);
  ++counts_.read;
  Entity entity = entity_of(record);
  // Kept before normalizing, which edits the record: quarantine stores what was emitted.
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
    batch_.quarantined.push_back({entity, std::move(external_id), result.rejection.field,
                                  result.rejection.reason, std::move(*emitted)});
  }
  if (batch_.size() >= batch_size_)
    flush();
}

void RecordSink::checkpoint(std::string_view stream, std::string_view cursor) {
  batch_.cursors[std::string(stream)] = std::string(cursor);
  if (progress_)
    progress_(counts_);
}

void RecordSink::flush() {
  if (write_failure_)
    std::rethrow_exception(write_failure_);
  if (batch_.empty())
    return;
  try {
    counts_.written += flush_(batch_);
  } catch (...) {
    write_failure_ = std::current_exception();
    throw;
  }
  batch_.clear();
  if (progress_)
    progress_(counts_);
}

void RecordSink::finish() {
  flush();
}

}  // namespace hub
