// The simulated providers' data: generated on the fly from (seed, table, index), plus the few
// mutations tests ask for (touched and deleted records). Nothing is pre-built, so a million
// records cost a byte each.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provider_sim {

// Seconds since the Unix epoch, UTC.
using Epoch = std::int64_t;

std::string rfc3339(Epoch t, int offset_minutes = 0);  // 2026-03-01T09:30:00+01:00 or ...Z
std::string iso_date(Epoch t);                         // 2026-03-01
std::string salesforce_time(Epoch t);                  // 2026-03-01T08:30:00.000+0000
std::string us_date(Epoch t);                          // 03/01/2026
std::string french_time(Epoch t);                      // 01/03/2026 09:30 (Paris, +01:00)
// RFC 3339 / ISO 8601 date-time (offset or Z, fraction ignored; no offset means UTC);
// false if it is not one.
bool parse_time(std::string_view text, Epoch& out);

// Deterministic pseudo-random stream for one record.
class Dice {
 public:
  Dice(std::uint64_t seed, std::uint64_t table, std::int64_t index);
  std::uint64_t next();
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

std::uint64_t mix(std::uint64_t x);

// Ordering key of a record in "updated, oldest first" order.
struct Key {
  Epoch updated = INT64_MIN;
  std::int64_t index = -1;
  friend bool operator<(const Key& a, const Key& b) {
    return a.updated != b.updated ? a.updated < b.updated : a.index < b.index;
  }
  friend bool operator<=(const Key& a, const Key& b) { return !(b < a); }
};

struct Row {
  std::int64_t index;
  Epoch updated;
  bool deleted;
};

// One record list. Record i was last updated at start + i * step until touched; a touched or
// deleted record moves past every untouched one, as on a real provider.
class Table {
 public:
  Table(std::string name, std::uint64_t seed, std::int64_t count, Epoch start, Epoch step);

  const std::string& name() const { return name_; }
  std::int64_t count() const { return count_; }
  Epoch base_updated(std::int64_t index) const { return start_ + index * step_; }
  Row row(std::int64_t index) const;

  // Rows whose key is after `after`, oldest first, at most `limit`.
  std::vector<Row> after(Key after, std::size_t limit, bool include_deleted) const;
  std::int64_t count_after(Key after, bool include_deleted) const;
  // Live rows in index order, from the `offset`-th live row.
  std::vector<Row> slice(std::int64_t offset, std::size_t limit) const;
  std::int64_t live() const;

  // Bumps updated_at of about `fraction` of the live records; returns how many.
  std::int64_t touch(double fraction);
  // Bumps updated_at of live record `index` (a change the provider pushes); its row after,
  // or nothing when it is deleted or out of range.
  std::optional<Row> touch_one(std::int64_t index);
  bool remove(std::int64_t index);

 private:
  std::string name_;
  std::uint64_t seed_;
  std::int64_t count_;
  Epoch start_, step_;
  mutable std::shared_mutex mutex_;
  std::vector<std::uint8_t> changed_;           // sized on first mutation
  std::map<Key, bool> changed_order_;           // key -> deleted
  std::unordered_map<std::int64_t, Key> keys_;  // index -> key, for changed rows
  std::int64_t deleted_ = 0;
  std::int64_t rounds_ = 0;
  Epoch clock_;
};

// Ids: bijective in the index, so that ids are unique and can be mapped back.
std::string hex_id(std::string_view prefix, std::int64_t index, std::uint32_t multiplier);
std::int64_t hex_id_index(std::string_view id, std::string_view prefix, std::uint32_t multiplier);

}  // namespace provider_sim
