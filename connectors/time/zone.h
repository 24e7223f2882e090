// A time zone for wall-clock times that providers send without an offset: UTC, a fixed offset,
// or any IANA zone of the system's tzdata (Howard Hinnant's date/tz, its OS-database build).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace connectors::time {

class Zone {
 public:
  // "UTC", a fixed offset ("+01:00", "-05:00"), or an IANA name ("Europe/Paris",
  // "Australia/Sydney"); nothing for any other text, or when the system has no tzdata.
  static std::optional<Zone> named(std::string_view name);

  // A wall-clock time in this zone to UTC, with the offset in force just before it: in a spring
  // gap that is the standard offset (Paris 02:30 reads as 03:30 summer time), in an autumn's
  // repeated hour the summer one (its first occurrence).
  std::chrono::sys_seconds to_utc(std::chrono::local_seconds local) const;
  std::chrono::local_seconds to_local(std::chrono::sys_seconds utc) const;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  const date::time_zone* zone_ = nullptr;  // owned by date's database; none for a fixed offset
  std::chrono::seconds offset_{0};         // a fixed offset's
};

// How to name a zone, for the message that refuses an unknown one.
inline constexpr std::string_view kZoneNaming =
    "use UTC, a fixed offset such as +01:00, or an IANA name such as Europe/Paris from the "
    "system's tzdata (`timedatectl list-timezones` lists them)";

}  // namespace connectors::time
