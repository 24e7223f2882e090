// The one reader of provider times (RFC 3339, a date alone, epoch seconds) and the one writer of
// the hub's UTC form, "2026-03-01T08:30:00Z".
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace connectors::time {

// A point in time, UTC, to the nanosecond. Whole seconds and the fraction apart, so that years
// up to 9999 fit (nanoseconds since 1970 in 64 bits end in 2262). Ordered as instants:
// "09:30:00+01:00" equals "08:30:00Z".
struct Instant {
  std::chrono::sys_seconds seconds{};
  std::chrono::nanoseconds fraction{0};  // 0 to 999'999'999
  auto operator<=>(const Instant&) const = default;
};

// Why a text is not a time; each caller words it for its readers.
enum class TimeProblem {
  not_a_time,                // none of the forms below
  too_many_digits,           // epoch seconds of more than 11 digits
  not_a_calendar_date,       // 2026-02-30, month 13
  time_of_day_out_of_range,  // hour 24, minute 60
  offset_not_hh_mm,          // "+1", "+25:00"
  no_offset,                 // a local time: its zone is unknown
};

using TimeRead = std::variant<Instant, std::chrono::year_month_day, TimeProblem>;

// RFC 3339 with an offset or Z ("2026-03-01T09:30:00+01:00", "...Z", also "...+0000", `t` or a
// space for the T, `z`, no seconds, a fraction of a second after '.' or ',' kept to the
// nanosecond), a date alone ("2026-03-01", answered as a date), or epoch seconds
// ("1767225600", up to 11 digits). A leap second (:60) is read as :59 of its minute. A time
// without an offset is refused: guessing its zone shifts it by hours.
TimeRead read_time(std::string_view text);

// An RFC 3339 date-time as read_time reads it; nothing for a date alone, epoch seconds or
// anything else.
std::optional<Instant> parse_rfc3339(std::string_view text);

// "+01:00", "-0500": minutes east of UTC; nothing for any other text (Z included).
std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text);

// "2026-03-01T08:30:00Z"; a fraction that is not zero goes before the Z in the fewest groups of
// three digits that keep it (".250", ".250001", ".250000001").
std::string format_utc(Instant instant);
// "2026-03-01".
std::string format_date(std::chrono::year_month_day date);

}  // namespace connectors::time
