#include "hub/model/time.h"

#include <optional>

#include "connectors/time/rfc3339.h"

namespace hub {
namespace {

using connectors::time::Instant;
using connectors::time::TimeProblem;

std::string sentence(TimeProblem problem) {
  switch (problem) {
    case TimeProblem::not_a_time:
      break;
    case TimeProblem::too_many_digits:
      return " is not epoch seconds (too many digits)";
    case TimeProblem::not_a_calendar_date:
      return " is not a calendar date";
    case TimeProblem::time_of_day_out_of_range:
      return " has a time of day out of range";
    case TimeProblem::offset_not_hh_mm:
      return " has an offset that is not +HH:MM";
    case TimeProblem::no_offset:
      return " has no offset or Z, so its time zone is unknown";
  }
  return " is not a time (expected RFC 3339 with an offset, YYYY-MM-DD, or epoch seconds)";
}

}  // namespace

std::variant<std::string, TimeError> normalize_time(std::string_view text) {
  auto read = connectors::time::read_time(text);
  if (const auto* instant = std::get_if<Instant>(&read)) {
    // With the precision it was sent with: milliseconds stay milliseconds, microseconds stay.
    return connectors::time::format_utc(*instant);
  }
  if (const auto* date = std::get_if<std::chrono::year_month_day>(&read))
    return connectors::time::format_date(*date);
  return TimeError{"'" + std::string(text) + "'" + sentence(std::get<TimeProblem>(read))};
}

bool earlier_utc(std::string_view a, std::string_view b) {
  auto instant = [](std::string_view text) -> std::optional<Instant> {
    auto read = connectors::time::read_time(text);
    if (const auto* at = std::get_if<Instant>(&read))
      return *at;
    if (const auto* date = std::get_if<std::chrono::year_month_day>(&read))
      return Instant{std::chrono::sys_days(*date), {}};
    return std::nullopt;
  };
  const auto first = instant(a);
  const auto second = instant(b);
  return first && second && *first < *second;
}

std::string format_utc(std::chrono::system_clock::time_point time) {
  return connectors::time::format_utc({std::chrono::floor<std::chrono::seconds>(time)});
}

std::string utc_now() {
  return format_utc(std::chrono::system_clock::now());
}

}  // namespace hub
