#include "connectors/time/rfc3339.h"

#include <cstdio>

namespace connectors::time {
namespace {

using namespace std::chrono;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `width` digits at `at`.
bool digits(std::string_view text, std::size_t at, std::size_t width, int& out) {
  if (at + width > text.size())
    return false;
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (!is_digit(text[i]))
      return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// A date alone or an RFC 3339 date-time; epoch seconds are read_time's.
TimeRead read_date_or_date_time(std::string_view text) {
  int y = 0, mo = 0, d = 0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return TimeProblem::not_a_time;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok())
    return TimeProblem::not_a_calendar_date;
  if (text.size() == 10)
    return date;

  int h = 0, mi = 0, s = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, h) ||
      text.size() < 16 || text[13] != ':' || !digits(text, 14, 2, mi)) {
    return TimeProblem::not_a_time;
  }
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!digits(text, at + 1, 2, s))
      return TimeProblem::not_a_time;
    at += 3;
  }
  nanoseconds fraction{0};
  if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
    const std::size_t first = ++at;
    long long scale = 100'000'000;
    for (; at < text.size() && is_digit(text[at]); ++at, scale /= 10)
      fraction += nanoseconds{(text[at] - '0') * scale};  // digits past the ninth add 0
    if (at == first)
      return TimeProblem::not_a_time;
  }
  if (h > 23 || mi > 59 || s > 60)
    return TimeProblem::time_of_day_out_of_range;
  if (s == 60)
    s = 59;  // a leap second is kept inside its minute

  std::string_view zone = text.substr(at);
  minutes offset{0};
  if (zone.empty())
    return TimeProblem::no_offset;
  if (zone[0] == '+' || zone[0] == '-') {
    auto parsed = parse_utc_offset(zone);
    if (!parsed)
      return TimeProblem::offset_not_hh_mm;
    offset = *parsed;
  } else if (zone != "Z" && zone != "z") {
    return TimeProblem::not_a_time;
  }
  return Instant{sys_days{date} + hours{h} + minutes{mi} + seconds{s} - offset, fraction};
}

}  // namespace

TimeRead read_time(std::string_view text) {
  if (all_digits(text)) {
    if (text.size() > 11)
      return TimeProblem::too_many_digits;
    long long count = 0;
    for (char c : text)
      count = count * 10 + (c - '0');
    return Instant{sys_seconds{seconds{count}}};
  }
  return read_date_or_date_time(text);
}

std::optional<Instant> parse_rfc3339(std::string_view text) {
  TimeRead read = read_date_or_date_time(text);
  if (const auto* instant = std::get_if<Instant>(&read))
    return *instant;
  return std::nullopt;
}

std::optional<minutes> parse_utc_offset(std::string_view text) {
  const bool with_colon = text.size() == 6 && text[3] == ':';
  int h = 0, m = 0;
  if ((!with_colon && text.size() != 5) || (text[0] != '+' && text[0] != '-') ||
      !digits(text, 1, 2, h) || !digits(text, with_colon ? 4 : 3, 2, m) || h > 23 || m > 59) {
    return std::nullopt;
  }
  return minutes{(text[0] == '-' ? -1 : 1) * (h * 60 + m)};
}

std::string format_date(year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string format_utc(Instant instant) {
  const sys_days day = floor<days>(instant.seconds);
  const hh_mm_ss clock{instant.seconds - day};
  char buffer[48];
  int length = std::snprintf(
      buffer, sizeof buffer, "%sT%02d:%02d:%02d", format_date(year_month_day{day}).c_str(),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()));
  if (long long ns = instant.fraction.count(); ns != 0) {
    int width = 9;
    for (; ns % 1000 == 0; ns /= 1000)
      width -= 3;
    length += std::snprintf(buffer + length, sizeof buffer - length, ".%0*lld", width, ns);
  }
  std::snprintf(buffer + length, sizeof buffer - length, "Z");
  return buffer;
}

}  // namespace connectors::time
