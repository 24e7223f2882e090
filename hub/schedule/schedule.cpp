#include "hub/schedule/schedule.h"

#include <array>
#include <cctype>
#include <utility>

#include <date/tz.h>

namespace hub {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr seconds kLongestDuration = std::chrono::hours{24 * 3650};

// Longer than the 28 years in which cron::parse found a matching day, so reaching it means a
// bug rather than a schedule that is merely rare.
constexpr date::days kSearchLimit{29 * 366};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

[[noreturn]] void bad_duration(std::string_view text, std::string_view problem) {
  throw ScheduleError("duration '" + std::string(text) + "': " + std::string(problem));
}

// The instant at which a local wall-clock time fires.
system_clock::time_point resolve(const date::time_zone& zone, date::local_seconds local) {
  date::local_info info = zone.get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      // Skipped by a spring-forward: the first instant after the gap.
      return info.second.begin;
    default:
      // Unique, or repeated by a fall-back: then `first` is the earlier offset, so this is the
      // first occurrence.
      return date::sys_seconds{local.time_since_epoch() - info.first.offset};
  }
}

}  // namespace

seconds parse_duration(std::string_view text) {
  static constexpr std::string_view kExpected =
      "expected a positive number with a unit (s, m, h, d), e.g. 90s, 15m, 1h30m, 2d";
  static constexpr std::string_view kUnits = "dhms";
  static constexpr std::array<long long, 4> kUnitSeconds = {86400, 3600, 60, 1};
  if (text.empty())
    bad_duration(text, kExpected);

  long long total = 0;
  std::size_t previous_unit = std::string_view::npos;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
      ++pos;
    if (pos == start || pos == text.size())
      bad_duration(text, kExpected);
    std::size_t unit = kUnits.find(text[pos]);
    if (unit == std::string_view::npos)
      bad_duration(text, kExpected);
    if (previous_unit != std::string_view::npos && unit <= previous_unit)
      bad_duration(text, "units go largest first, each once, as in 1h30m");
    previous_unit = unit;
    // Ten digits of days already exceed the limit; stopping there keeps the sum in range.
    if (pos - start > 10)
      bad_duration(text, "is too long (at most 3650d)");
    long long count = std::stoll(std::string(text.substr(start, pos - start)));
    total += count * kUnitSeconds[unit];
    ++pos;
  }
  if (total == 0)
    bad_duration(text, "must be longer than zero");
  if (seconds{total} > kLongestDuration)
    bad_duration(text, "is too long (at most 3650d)");
  return seconds{total};
}

std::chrono::seconds parse_jitter(std::string_view text) {
  const auto digits = text.find_first_not_of('0');
  if (!text.empty() && digits != 0 &&
      (digits == std::string_view::npos ||
       (text.size() - digits == 1 &&
        std::string_view("dhms").find(text[digits]) != std::string_view::npos))) {
    return std::chrono::seconds(0);
  }
  return parse_duration(text);
}

std::string format_duration(seconds duration) {
  if (duration <= seconds::zero())
    return std::to_string(duration.count()) + "s";
  static constexpr std::array<std::pair<long long, char>, 4> kUnits = {
      {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  std::string out;
  long long rest = duration.count();
  for (auto [size, unit] : kUnits) {
    if (rest >= size) {
      out += std::to_string(rest / size) + unit;
      rest %= size;
    }
  }
  return out;
}

Schedule Schedule::parse(const ScheduleSpec& spec) {
  std::string_view every = trim(spec.every);
  std::string_view cron = trim(spec.cron);
  if (!every.empty() && !cron.empty())
    throw ScheduleError("schedule: set one of 'every' and 'cron', not both (every '" +
                        std::string(every) + "', cron '" + std::string(cron) + "')");
  if (every.empty() && cron.empty())
    throw ScheduleError(
        "schedule: set one of 'every' (e.g. \"15m\") or 'cron' (e.g. \"0 9 * * 1-5\")");
  if (spec.jitter < seconds::zero())
    throw ScheduleError("schedule: jitter " + std::to_string(spec.jitter.count()) +
                        "s is negative");

  Schedule schedule;
  schedule.jitter_ = spec.jitter;
  if (!every.empty()) {
    schedule.every_ = parse_duration(every);
    return schedule;
  }

  schedule.cron_ = cron::parse(cron);
  schedule.cron_text_ = std::string(cron);
  schedule.zone_name_ = spec.time_zone;
  try {
    schedule.zone_ = date::locate_zone(spec.time_zone);
  } catch (const std::exception&) {
    // The library's message names its database, not the setting.
    throw ScheduleError("unknown time zone '" + spec.time_zone +
                        "' (expected an IANA name such as Europe/Paris or UTC)");
  }
  return schedule;
}

system_clock::time_point Schedule::next_after(system_clock::time_point after) const {
  if (every_ > seconds::zero())
    return after + every_;
  return next_cron_after(after);
}

// Walks the zone's local calendar forward from the local time of `after`, skipping months and
// days that do not match, and takes the first matching minute that falls strictly after
// `after`. Local times map to instants in order (the repeated hour counts once, the skipped
// hour maps to the end of the gap), so the first such minute is the earliest firing.
system_clock::time_point Schedule::next_cron_after(system_clock::time_point after) const {
  using namespace date;
  const auto local_after = zone_->to_local(after);
  const local_days first_day = floor<days>(local_after);
  for (local_days day = first_day; day <= first_day + kSearchLimit;) {
    year_month_day ymd{day};
    if (!cron::has(cron_.months, static_cast<unsigned>(ymd.month()))) {
      day = local_days{(ymd.year() / ymd.month() + months{1}) / 1};
      continue;
    }
    if (!cron_.matches_day(static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                           weekday{day}.c_encoding())) {
      day += days{1};
      continue;
    }
    for (unsigned hour = 0; hour < 24; ++hour) {
      if (!cron::has(cron_.hours, hour))
        continue;
      const local_seconds hour_start = day + std::chrono::hours{hour};
      if (hour_start + std::chrono::minutes{59} <= local_after)
        continue;
      for (unsigned minute = 0; minute < 60; ++minute) {
        if (!cron::has(cron_.minutes, minute))
          continue;
        const local_seconds local = hour_start + std::chrono::minutes{minute};
        // Not after `after` in local time means not after it as an instant either.
        if (local <= local_after)
          continue;
        // In the second pass of a repeated hour, a local time later than `after` can still
        // resolve to its first, earlier, occurrence.
        if (system_clock::time_point when = resolve(*zone_, local); when > after)
          return when;
      }
    }
    day += days{1};
  }
  throw ScheduleError("cron '" + cron_text_ + "' in " + zone_name_ +
                      ": no firing time found within 29 years");
}

std::string Schedule::describe() const {
  std::string out = every_ > seconds::zero() ? "every " + format_duration(every_)
                                             : "cron '" + cron_text_ + "' in " + zone_name_;
  if (jitter_ > seconds::zero())
    out += ", jitter up to " + format_duration(jitter_);
  return out;
}

}  // namespace hub
