// Provider times in a mapping's explicit formats, and the few time zones the plugin knows, to
// the hub's form: "2026-03-02T08:00:00Z" for a time, "2026-03-02" for a date.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rest_json {

// A zone's rule: a standard offset and, for the named zones, the EU or US summer-time rule.
// Built with the system's zoneinfo out of reach on purpose: a few named rules are exact for
// the dates our providers send, and nothing global (TZ) is touched.
class Zone {
 public:
  enum class Summer { none, eu, us };

  // "UTC", "+01:00" / "-05:00", or a named zone (zone_names()); nothing for any other text.
  static std::optional<Zone> named(std::string_view name);
  static const std::vector<std::string_view>& zone_names();

  // The offset from UTC at a UTC instant.
  std::chrono::seconds offset_at(std::chrono::sys_seconds utc) const;
  // A wall-clock time in this zone to UTC. In the spring gap the standard offset is used
  // (02:30 reads as 03:30 summer time); in the autumn's repeated hour, the first (summer) one.
  std::chrono::sys_seconds to_utc(std::chrono::local_seconds local) const;
  std::chrono::local_seconds to_local(std::chrono::sys_seconds utc) const;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::chrono::seconds standard_{0};
  Summer summer_ = Summer::none;
};

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
  // A UTC instant written in this format (a pattern in `zone`'s wall-clock time).
  std::string write(std::chrono::sys_seconds utc, const Zone* zone) const;

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
// UTC form; nothing for anything else.
std::optional<std::string> read_any_time(std::string_view value);

// "2026-03-02T08:00:00Z" back to an instant; nothing for a date or other text.
std::optional<std::chrono::sys_seconds> parse_utc(std::string_view text);
std::string format_utc(std::chrono::sys_seconds utc);

}  // namespace rest_json
