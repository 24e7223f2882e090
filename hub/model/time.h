// Provider times and dates to the hub's one form: UTC, ISO 8601.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace hub {

struct TimeError {
  std::string message;
};

// Accepts what connectors/time reads: RFC 3339 with an offset or Z ("2026-03-01T09:30:00+01:00",
// "...Z", "...+0000", a space for the T, fractions of a second), a date ("2026-03-01", kept as a
// date), or epoch seconds ("1767225600"). Answers "2026-03-01T08:30:00Z" (a fraction that is
// not zero before the Z, with the precision it was sent with, in groups of three digits:
// ".250", ".250001", ".123456789"), "2026-03-01", or an error saying what was expected. A time
// without an offset is refused: its zone is unknown, and guessing it shifts it by hours.
std::variant<std::string, TimeError> normalize_time(std::string_view text);

// Whether `a` is earlier than `b`, both in that form (a date counts as its midnight; a
// fraction compares by its value, not its digits). A text in another form is never earlier.
bool earlier_utc(std::string_view a, std::string_view b);

// The current time in that form, to the second.
std::string utc_now();
std::string format_utc(std::chrono::system_clock::time_point time);

}  // namespace hub
