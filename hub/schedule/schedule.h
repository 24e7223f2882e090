// When a provider instance runs under `campaign-hub serve`: every fixed interval, or at the
// times of a cron expression (crontab(5)) in a named IANA time zone, plus random jitter that
// the caller draws.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hub/schedule/cron.h"

namespace date {
class time_zone;
}

namespace hub {

class ScheduleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "90s", "15m", "1h", "1h30m", "2d": numbers each followed by a unit (d, h, m, s), largest
// unit first, positive in total and at most 3650d. Throws ScheduleError naming the text and
// what is expected.
std::chrono::seconds parse_duration(std::string_view text);

// A jitter: a duration as parse_duration reads it, or none at all ("0", "0s", "0m").
std::chrono::seconds parse_jitter(std::string_view text);

// The shortest text parse_duration reads back as `duration`: 90s gives "1m30s".
std::string format_duration(std::chrono::seconds duration);

struct ScheduleSpec {
  std::string every;              // a duration; exactly one of every / cron is set
  std::string cron;               // 5 fields or a macro
  std::string time_zone = "UTC";  // IANA name, for cron only
  std::chrono::seconds jitter{0};
};

class Schedule {
 public:
  // Throws ScheduleError with a message naming the field and the bad text, e.g.
  // "cron '61 * * * *': minute: 61 is out of 0-59", "unknown time zone 'Europe/Pariss'".
  // Refuses cron expressions that never fire ("0 0 30 2 *"). time_zone is not read for
  // `every`.
  static Schedule parse(const ScheduleSpec& spec);

  // The first firing time strictly after `after` (no jitter). For `every`: after + interval.
  // For cron, local times are those of the zone: a time skipped by a spring-forward gap fires
  // once, at the end of the gap; a time repeated by a fall-back fires once, the first time.
  std::chrono::system_clock::time_point next_after(
      std::chrono::system_clock::time_point after) const;

  std::chrono::seconds jitter() const { return jitter_; }
  // An `every` schedule, whose first run is at start and whose interval counts from each
  // run's start; cron runs only at its times.
  bool is_interval() const { return every_.count() > 0; }

  // "every 15m" or "cron '0 9 * * 1-5' in Europe/Paris", for logs; ", jitter up to 30s"
  // follows when there is jitter.
  std::string describe() const;

 private:
  Schedule() = default;

  std::chrono::system_clock::time_point next_cron_after(
      std::chrono::system_clock::time_point after) const;

  std::chrono::seconds every_{0};  // zero for cron
  std::string cron_text_;          // as written, for messages
  cron::Fields cron_;
  std::string zone_name_;
  const date::time_zone* zone_ = nullptr;  // owned by the date library's database
  std::chrono::seconds jitter_{0};
};

}  // namespace hub
