// Provider times in a mapping's explicit formats and zones to the hub's form:
// "2026-03-02T08:00:00Z" for a time, "2026-03-02" for a date. Reading RFC 3339, writing UTC
// and the zones themselves are connectors/time's; the formats are the mapping's language.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/time/rfc3339.h"
#include "connectors/time/zone.h"

namespace rest_json {

// "UTC", "+01:00" / "-05:00", or any IANA name of the system's tzdata.
using connectors::time::Zone;

// A time format: "rfc3339", "epoch_seconds", "epoch_milliseconds", or a pattern of YYYY, MM,
// DD, HH, MM (minutes, after HH), SS and literal characters, e.g. "MM/DD/YYYY",
// "DD/MM/YYYY HH:MM", "YYYY-MM-DDTHH:MM:SS".
class TimeFormat {
 public:
  // Nothing, and `error` set to a sentence, when `text` is not a format.
  static std::optional<TimeFormat> parse(std::string_view text, std::string& error);

  const std::string& text() const { return text_; }
  bool has_time_of_day() const;  // needs a zone unless rfc3339 or epoch
  bool is_pattern() const { return kind_ == Kind::pattern; }

  // `value` read in this format: a UTC time ("...Z") or a date ("YYYY-MM-DD"). Nothing when
  // it does not match. `zone` is used for a pattern with a time of day.
  std::optional<std::string> read(std::string_view value, const Zone* zone) const;
  // An instant written in this format (a pattern in `zone`'s wall-clock time, to the second).
  std::string write(connectors::time::Instant instant, const Zone* zone) const;

 private:
  enum class Kind { rfc3339, epoch_seconds, epoch_milliseconds, pattern };
  enum class Token { literal, year, month, day, hour, minute, second };
  struct Part {
    Token token;
    char literal;
  };
  Kind kind_ = Kind::rfc3339;
  std::string text_;
  std::vector<Part> parts_;
};

// RFC 3339 with an offset or Z, a date, or epoch seconds (what the hub accepts) to the hub's
// UTC form, the fraction of a second kept; nothing for anything else.
std::optional<std::string> read_any_time(std::string_view value);

}  // namespace rest_json
