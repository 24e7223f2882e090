// The feed's RFC 3339 times as instants, so that "2026-03-01T09:30:00+01:00" and
// "2026-03-01T08:30:00Z" compare equal: the cursor needs the order, not the text.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connect_scouting {

struct Instant {
  std::int64_t seconds = 0;  // since the Unix epoch, UTC
  std::int32_t nanos = 0;    // fraction of a second, 0 to 999'999'999
  auto operator<=>(const Instant&) const = default;
};

// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`; `t` or a space for `T`, `z` for `Z`.
// Nothing for anything else, a local time without an offset included.
std::optional<Instant> parse_rfc3339(std::string_view text);

// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
std::string format_utc(Instant instant);

}  // namespace connect_scouting
