#include "connectors/time/zone.h"

#include <date/tz.h>

#include "connectors/time/rfc3339.h"

namespace connectors::time {

std::optional<Zone> Zone::named(std::string_view name) {
  Zone zone;
  zone.name_ = std::string(name);
  if (name == "UTC")
    return zone;
  if (auto offset = parse_utc_offset(name)) {
    zone.offset_ = *offset;
    return zone;
  }
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return std::nullopt;  // not in the database, or no database (tzdata not installed)
  }
  return zone;
}

std::chrono::sys_seconds Zone::to_utc(std::chrono::local_seconds local) const {
  if (zone_ == nullptr)
    return std::chrono::sys_seconds{local.time_since_epoch() - offset_};
  // date has a local clock of its own; the count of seconds is the same.
  const date::local_seconds wall{local.time_since_epoch()};
  // Unique: the one offset. Repeated: `first` is the earlier (summer) one. Skipped: `first`
  // is the offset before the gap.
  return std::chrono::sys_seconds{local.time_since_epoch() - zone_->get_info(wall).first.offset};
}

std::chrono::local_seconds Zone::to_local(std::chrono::sys_seconds utc) const {
  const std::chrono::seconds offset = zone_ == nullptr ? offset_ : zone_->get_info(utc).offset;
  return std::chrono::local_seconds{utc.time_since_epoch() + offset};
}

}  // namespace connectors::time
