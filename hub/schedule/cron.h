// The five fields of a crontab(5) expression as sets of allowed values, and the calendar test
// of a day. Part of hub-schedule: Schedule adds the time zone and the search for firing times.
#pragma once

#include <cstdint>
#include <string_view>

namespace hub::cron {

struct Fields {
  // Bit n set means value n is allowed.
  std::uint64_t minutes = 0;   // 0-59
  std::uint64_t hours = 0;     // 0-23
  std::uint64_t days = 0;      // 1-31
  std::uint64_t months = 0;    // 1-12
  std::uint64_t weekdays = 0;  // 0-6, Sunday 0 (a 7 in the text is stored as 0)
  // crontab(5): when neither day field starts with '*', a day matches if EITHER matches.
  bool either_day = false;

  // weekday: 0 for Sunday.
  bool matches_day(unsigned month, unsigned day, unsigned weekday) const;
};

inline bool has(std::uint64_t set, unsigned value) {
  return (set >> value) & 1U;
}

// Five fields or a macro (@yearly @annually @monthly @weekly @daily @midnight @hourly).
// Throws ScheduleError "cron '<text>': <field>: <problem>", and refuses @reboot and expressions
// whose days never occur ("0 0 30 2 *"), so that a search for the next firing always ends.
Fields parse(std::string_view text);

}  // namespace hub::cron
