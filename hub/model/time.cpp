#include "hub/model/time.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace hub {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size())
    return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

TimeError expected(std::string_view text) {
  return {"'" + std::string(text) +
          "' is not a time (expected RFC 3339 with an offset, YYYY-MM-DD, or epoch seconds)"};
}

std::string format_date(year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string format(sys_time<milliseconds> time) {
  auto day = floor<days>(time);
  hh_mm_ss clock{time - day};
  char buffer[40];
  int length = std::snprintf(
      buffer, sizeof buffer, "%sT%02d:%02d:%02d", format_date(year_month_day{day}).c_str(),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()));
  if (auto ms = clock.subseconds().count(); ms != 0) {
    length += std::snprintf(buffer + length, sizeof buffer - length, ".%03d", static_cast<int>(ms));
  }
  std::snprintf(buffer + length, sizeof buffer - length, "Z");
  return buffer;
}

}  // namespace

std::variant<std::string, TimeError> normalize_time(std::string_view text) {
  if (text.empty())
    return expected(text);

  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 11) {
      return TimeError{"'" + std::string(text) + "' is not epoch seconds (too many digits)"};
    }
    long long seconds_since = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds_since);
    return format(sys_time<milliseconds>{seconds{seconds_since}});
  }

  int y = 0, mo = 0, d = 0;
  if (!read_digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !read_digits(text, 5, 2, mo) || text[7] != '-' || !read_digits(text, 8, 2, d)) {
    return expected(text);
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok())
    return TimeError{"'" + std::string(text) + "' is not a calendar date"};
  if (text.size() == 10)
    return format_date(date);

  int h = 0, mi = 0, s = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_digits(text, 11, 2, h) ||
      text.size() < 16 || text[13] != ':' || !read_digits(text, 14, 2, mi)) {
    return expected(text);
  }
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_digits(text, pos + 1, 2, s))
      return expected(text);
    pos += 3;
  }
  int millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    std::size_t digits = 0;
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 3)
        millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0)
      return expected(text);
    for (std::size_t i = digits; i < 3; ++i)
      millis *= 10;
  }
  if (h > 23 || mi > 59 || s > 60) {
    return TimeError{"'" + std::string(text) + "' has a time of day out of range"};
  }
  if (s == 60)
    s = 59;  // a leap second is kept inside its minute

  int offset_minutes = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    int oh = 0, om = 0;
    bool with_colon = zone.size() == 6 && zone[3] == ':';
    bool without_colon = zone.size() == 5;
    if (!(with_colon || without_colon) || !read_digits(zone, 1, 2, oh) ||
        !read_digits(zone, with_colon ? 4 : 3, 2, om) || oh > 23 || om > 59) {
      return TimeError{"'" + std::string(text) + "' has an offset that is not +HH:MM"};
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else if (zone.empty()) {
    return TimeError{"'" + std::string(text) + "' has no offset or Z, so its time zone is unknown"};
  } else {
    return expected(text);
  }

  sys_time<milliseconds> local =
      sys_days{date} + hours{h} + minutes{mi} + seconds{s} + milliseconds{millis};
  return format(local - minutes{offset_minutes});
}

std::string format_utc(system_clock::time_point time) {
  return format(floor<seconds>(time));
}

std::string utc_now() {
  return format_utc(system_clock::now());
}

}  // namespace hub
