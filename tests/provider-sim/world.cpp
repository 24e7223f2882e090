#include "world.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace provider_sim {
namespace {

struct Civil {
  int year;
  unsigned month, day;
  int hour, minute, second;
};

Civil civil(Epoch t) {
  using namespace std::chrono;
  sys_seconds tp{seconds{t}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  auto rest = (tp - day).count();
  return {static_cast<int>(ymd.year()),     static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), static_cast<int>(rest / 3600),
          static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60)};
}

bool read_int(std::string_view& text, int digits, int& out) {
  if (text.size() < static_cast<std::size_t>(digits))
    return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + digits, out);
  if (error != std::errc() || end != text.data() + digits)
    return false;
  text.remove_prefix(digits);
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || (text.front() | 0x20) != (c | 0x20))
    return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

std::string rfc3339(Epoch t, int offset_minutes) {
  Civil c = civil(t + offset_minutes * 60);
  char buffer[40];
  if (offset_minutes == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second);
  } else {
    int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", c.year,
                  c.month, c.day, c.hour, c.minute, c.second, offset_minutes < 0 ? '-' : '+',
                  m / 60, m % 60);
  }
  return buffer;
}

std::string iso_date(Epoch t) {
  return rfc3339(t).substr(0, 10);
}

std::string salesforce_time(Epoch t) {
  std::string s = rfc3339(t);
  return s.substr(0, 19) + ".000+0000";
}

std::string us_date(Epoch t) {
  Civil c = civil(t);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d", c.month, c.day, c.year);
  return buffer;
}

std::string french_time(Epoch t) {
  Civil c = civil(t + 3600);  // Europe/Paris in winter; the simulator does not model DST
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d %02d:%02d", c.day, c.month, c.year, c.hour,
                c.minute);
  return buffer;
}

bool parse_time(std::string_view text, Epoch& out) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!read_int(text, 4, year) || !expect(text, '-') || !read_int(text, 2, month) ||
      !expect(text, '-') || !read_int(text, 2, day)) {
    return false;
  }
  if (!text.empty()) {
    if (!expect(text, 'T') || !read_int(text, 2, hour) || !expect(text, ':') ||
        !read_int(text, 2, minute)) {
      return false;
    }
    if (!text.empty() && text.front() == ':' &&
        (text.remove_prefix(1), !read_int(text, 2, second))) {
      return false;
    }
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      while (!text.empty() && text.front() >= '0' && text.front() <= '9')
        text.remove_prefix(1);
    }
  }
  int offset = 0;
  if (!text.empty()) {
    if (text.front() == 'Z' || text.front() == 'z') {
      text.remove_prefix(1);
    } else if (text.front() == '+' || text.front() == '-') {
      int sign = text.front() == '-' ? -1 : 1;
      text.remove_prefix(1);
      int oh, om;
      if (!read_int(text, 2, oh))
        return false;
      if (!text.empty() && text.front() == ':')
        text.remove_prefix(1);
      if (!read_int(text, 2, om))
        return false;
      offset = sign * (oh * 60 + om);
    } else {
      return false;
    }
  }
  if (!text.empty())
    return false;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60)
    return false;
  out = sys_days{ymd}.time_since_epoch().count() * 86400 + hour * 3600 + minute * 60 + second -
        offset * 60;
  return true;
}

std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

Dice::Dice(std::uint64_t seed, std::uint64_t table, std::int64_t index)
    : state_(mix(seed ^ mix(table ^ mix(static_cast<std::uint64_t>(index))))) {}

std::uint64_t Dice::next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  return mix(state_);
}

Table::Table(std::string name, std::uint64_t seed, std::int64_t count, Epoch start, Epoch step)
    : name_(std::move(name)),
      seed_(seed),
      count_(count),
      start_(start),
      step_(step),
      clock_(start + count * step + 3600) {}

Row Table::row(std::int64_t index) const {
  std::shared_lock lock(mutex_);
  if (!changed_.empty() && changed_[index]) {
    Key key = keys_.at(index);
    return {index, key.updated, changed_order_.at(key)};
  }
  return {index, base_updated(index), false};
}

std::vector<Row> Table::after(Key after, std::size_t limit, bool include_deleted) const {
  std::vector<Row> rows;
  rows.reserve(std::min<std::size_t>(limit, 4096));
  std::shared_lock lock(mutex_);
  // Untouched rows first: their keys grow with the index, so the first one is computed.
  std::int64_t i = 0;
  if (after.updated >= start_)
    i = std::min<std::int64_t>((after.updated - start_) / step_, count_);
  while (i < count_ && Key{base_updated(i), i} <= after)
    ++i;
  for (; i < count_ && rows.size() < limit; ++i) {
    if (changed_.empty() || !changed_[i])
      rows.push_back({i, base_updated(i), false});
  }
  for (auto it = changed_order_.upper_bound(after);
       it != changed_order_.end() && rows.size() < limit; ++it) {
    if (include_deleted || !it->second)
      rows.push_back({it->first.index, it->first.updated, it->second});
  }
  return rows;
}

std::int64_t Table::count_after(Key after, bool include_deleted) const {
  std::shared_lock lock(mutex_);
  std::int64_t i = 0;
  if (after.updated >= start_)
    i = std::min<std::int64_t>((after.updated - start_) / step_, count_);
  while (i < count_ && Key{base_updated(i), i} <= after)
    ++i;
  std::int64_t n = count_ - i;
  if (!changed_.empty()) {
    for (std::int64_t j = i; j < count_; ++j)
      n -= changed_[j];
  }
  for (auto it = changed_order_.upper_bound(after); it != changed_order_.end(); ++it) {
    if (include_deleted || !it->second)
      ++n;
  }
  return n;
}

std::vector<Row> Table::slice(std::int64_t offset, std::size_t limit) const {
  std::vector<Row> rows;
  std::shared_lock lock(mutex_);
  if (deleted_ == 0) {
    for (std::int64_t i = std::max<std::int64_t>(offset, 0); i < count_ && rows.size() < limit;
         ++i) {
      rows.push_back(
          {i, changed_.empty() || !changed_[i] ? base_updated(i) : keys_.at(i).updated, false});
    }
    return rows;
  }
  std::int64_t seen = 0;
  for (std::int64_t i = 0; i < count_ && rows.size() < limit; ++i) {
    bool changed = !changed_.empty() && changed_[i];
    if (changed && changed_order_.at(keys_.at(i)))
      continue;
    if (seen++ < offset)
      continue;
    rows.push_back({i, changed ? keys_.at(i).updated : base_updated(i), false});
  }
  return rows;
}

std::int64_t Table::live() const {
  std::shared_lock lock(mutex_);
  return count_ - deleted_;
}

std::int64_t Table::touch(double fraction) {
  std::unique_lock lock(mutex_);
  if (changed_.empty())
    changed_.assign(static_cast<std::size_t>(count_), 0);
  ++rounds_;
  auto threshold = static_cast<std::uint64_t>(fraction * 1'000'000.0);
  std::int64_t touched = 0;
  for (std::int64_t i = 0; i < count_; ++i) {
    if (mix(seed_ ^ mix(static_cast<std::uint64_t>(rounds_) * 7919 + mix(i))) % 1'000'000 >=
        threshold) {
      continue;
    }
    if (changed_[i]) {
      auto it = keys_.find(i);
      if (changed_order_.at(it->second))
        continue;  // deleted stays deleted
      changed_order_.erase(it->second);
    }
    Key key{clock_++, i};
    changed_[i] = 1;
    keys_[i] = key;
    changed_order_[key] = false;
    ++touched;
  }
  return touched;
}

std::optional<Row> Table::touch_one(std::int64_t index) {
  std::unique_lock lock(mutex_);
  if (index < 0 || index >= count_)
    return std::nullopt;
  if (changed_.empty())
    changed_.assign(static_cast<std::size_t>(count_), 0);
  if (changed_[index]) {
    auto it = keys_.find(index);
    if (changed_order_.at(it->second))
      return std::nullopt;  // deleted stays deleted
    changed_order_.erase(it->second);
  }
  Key key{clock_++, index};
  changed_[index] = 1;
  keys_[index] = key;
  changed_order_[key] = false;
  return Row{index, key.updated, false};
}

bool Table::remove(std::int64_t index) {
  std::unique_lock lock(mutex_);
  if (index < 0 || index >= count_)
    return false;
  if (changed_.empty())
    changed_.assign(static_cast<std::size_t>(count_), 0);
  if (changed_[index]) {
    auto it = keys_.find(index);
    if (changed_order_.at(it->second))
      return false;
    changed_order_.erase(it->second);
  }
  Key key{clock_++, index};
  changed_[index] = 1;
  keys_[index] = key;
  changed_order_[key] = true;
  ++deleted_;
  return true;
}

std::string hex_id(std::string_view prefix, std::int64_t index, std::uint32_t multiplier) {
  auto scrambled = static_cast<std::uint32_t>(static_cast<std::uint32_t>(index) * multiplier);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", scrambled);
  return std::string(prefix) + buffer;
}

std::int64_t hex_id_index(std::string_view id, std::string_view prefix, std::uint32_t multiplier) {
  if (id.substr(0, prefix.size()) != prefix || id.size() != prefix.size() + 8)
    return -1;
  std::uint32_t value = 0;
  auto digits = id.substr(prefix.size());
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
  if (error != std::errc() || end != digits.data() + digits.size())
    return -1;
  // Inverse of an odd multiplier modulo 2^32, by Newton's iteration.
  std::uint32_t inverse = multiplier;
  for (int i = 0; i < 5; ++i)
    inverse *= 2 - multiplier * inverse;
  return static_cast<std::int64_t>(value * inverse);
}

}  // namespace provider_sim
