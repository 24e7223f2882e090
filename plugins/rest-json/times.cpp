#include "plugins/rest-json/times.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace rest_json {
namespace {

using namespace std::chrono;

struct NamedZone {
  std::string_view name;
  int standard_minutes;
  Zone::Summer summer;
};

constexpr std::array<NamedZone, 34> kZones = {{
    {"UTC", 0, Zone::Summer::none},
    {"Etc/UTC", 0, Zone::Summer::none},
    {"Europe/London", 0, Zone::Summer::eu},
    {"Europe/Dublin", 0, Zone::Summer::eu},
    {"Europe/Lisbon", 0, Zone::Summer::eu},
    {"Europe/Paris", 60, Zone::Summer::eu},
    {"Europe/Berlin", 60, Zone::Summer::eu},
    {"Europe/Brussels", 60, Zone::Summer::eu},
    {"Europe/Amsterdam", 60, Zone::Summer::eu},
    {"Europe/Luxembourg", 60, Zone::Summer::eu},
    {"Europe/Madrid", 60, Zone::Summer::eu},
    {"Europe/Rome", 60, Zone::Summer::eu},
    {"Europe/Vienna", 60, Zone::Summer::eu},
    {"Europe/Zurich", 60, Zone::Summer::eu},
    {"Europe/Stockholm", 60, Zone::Summer::eu},
    {"Europe/Oslo", 60, Zone::Summer::eu},
    {"Europe/Copenhagen", 60, Zone::Summer::eu},
    {"Europe/Prague", 60, Zone::Summer::eu},
    {"Europe/Warsaw", 60, Zone::Summer::eu},
    {"Europe/Budapest", 60, Zone::Summer::eu},
    {"Europe/Helsinki", 120, Zone::Summer::eu},
    {"Europe/Athens", 120, Zone::Summer::eu},
    {"Europe/Bucharest", 120, Zone::Summer::eu},
    {"Europe/Sofia", 120, Zone::Summer::eu},
    {"Europe/Riga", 120, Zone::Summer::eu},
    {"Europe/Tallinn", 120, Zone::Summer::eu},
    {"Europe/Vilnius", 120, Zone::Summer::eu},
    {"America/New_York", -300, Zone::Summer::us},
    {"America/Chicago", -360, Zone::Summer::us},
    {"America/Denver", -420, Zone::Summer::us},
    {"America/Phoenix", -420, Zone::Summer::none},
    {"America/Los_Angeles", -480, Zone::Summer::us},
    {"America/Anchorage", -540, Zone::Summer::us},
    {"Pacific/Honolulu", -600, Zone::Summer::none},
}};

bool digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
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

std::optional<int> parse_offset_minutes(std::string_view text) {
  int h = 0, m = 0;
  if (text.size() == 6 && (text[0] == '+' || text[0] == '-') && digits(text, 1, 2, h) &&
      text[3] == ':' && digits(text, 4, 2, m) && h <= 23 && m <= 59) {
    return (text[0] == '-' ? -1 : 1) * (h * 60 + m);
  }
  return std::nullopt;
}

std::optional<sys_days> civil_date(int y, int mo, int d) {
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok())
    return std::nullopt;
  return sys_days{date};
}

std::string format_date(sys_days date) {
  year_month_day ymd{date};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

// Summer time in UTC instants [begin, end) for `y`.
std::pair<sys_seconds, sys_seconds> summer_window(Zone::Summer rule, int y, seconds standard) {
  if (rule == Zone::Summer::eu) {
    // Last Sunday of March to last Sunday of October, 01:00 UTC both (EU directive 2000/84).
    sys_days begin{year_month_weekday_last{year{y} / March / weekday_last{Sunday}}};
    sys_days end{year_month_weekday_last{year{y} / October / weekday_last{Sunday}}};
    return {begin + hours{1}, end + hours{1}};
  }
  // Second Sunday of March 02:00 standard time to first Sunday of November 02:00 summer time.
  sys_days begin{year_month_weekday{year{y} / March / Sunday[2]}};
  sys_days end{year_month_weekday{year{y} / November / Sunday[1]}};
  return {begin + hours{2} - standard, end + hours{1} - standard};
}

}  // namespace

std::optional<Zone> Zone::named(std::string_view name) {
  Zone zone;
  zone.name_ = std::string(name);
  if (auto minutes = parse_offset_minutes(name)) {
    zone.standard_ = std::chrono::minutes{*minutes};
    return zone;
  }
  for (const auto& each : kZones) {
    if (each.name == name) {
      zone.standard_ = std::chrono::minutes{each.standard_minutes};
      zone.summer_ = each.summer;
      return zone;
    }
  }
  return std::nullopt;
}

const std::vector<std::string_view>& Zone::zone_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& each : kZones)
      out.push_back(each.name);
    return out;
  }();
  return names;
}

seconds Zone::offset_at(sys_seconds utc) const {
  if (summer_ == Summer::none)
    return standard_;
  int y = static_cast<int>(year_month_day{floor<days>(utc)}.year());
  auto [begin, end] = summer_window(summer_, y, standard_);
  return utc >= begin && utc < end ? standard_ + hours{1} : standard_;
}

sys_seconds Zone::to_utc(local_seconds local) const {
  const sys_seconds as_utc{local.time_since_epoch()};
  if (summer_ == Summer::none)
    return as_utc - standard_;
  const sys_seconds summer = as_utc - standard_ - hours{1};
  if (offset_at(summer) == standard_ + hours{1})
    return summer;  // valid in summer time; in the repeated hour, the first occurrence
  return as_utc - standard_;
}

local_seconds Zone::to_local(sys_seconds utc) const {
  return local_seconds{(utc + offset_at(utc)).time_since_epoch()};
}

std::optional<TimeFormat> TimeFormat::parse(std::string_view text, std::string& error) {
  TimeFormat format;
  format.text_ = std::string(text);
  if (text == "rfc3339") {
    format.kind_ = Kind::rfc3339;
    return format;
  }
  if (text == "epoch_seconds") {
    format.kind_ = Kind::epoch_seconds;
    return format;
  }
  if (text == "epoch_milliseconds") {
    format.kind_ = Kind::epoch_milliseconds;
    return format;
  }
  format.kind_ = Kind::pattern;
  bool seen_hour = false;
  int years = 0, months = 0, days_seen = 0, hours_seen = 0, minutes = 0, seconds_seen = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto rest = text.substr(i);
    if (rest.starts_with("YYYY")) {
      format.parts_.push_back({Token::year, 0});
      ++years;
      i += 4;
    } else if (rest.starts_with("MM")) {
      format.parts_.push_back({seen_hour ? Token::minute : Token::month, 0});
      ++(seen_hour ? minutes : months);
      i += 2;
    } else if (rest.starts_with("DD")) {
      format.parts_.push_back({Token::day, 0});
      ++days_seen;
      i += 2;
    } else if (rest.starts_with("HH")) {
      format.parts_.push_back({Token::hour, 0});
      seen_hour = true;
      ++hours_seen;
      i += 2;
    } else if (rest.starts_with("SS")) {
      format.parts_.push_back({Token::second, 0});
      ++seconds_seen;
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(text[i])) && text[i] != 'T') {
      error = "has '" + std::string(1, text[i]) +
              "', which is not part of YYYY, MM, DD, HH or SS; formats are rfc3339, "
              "epoch_seconds, epoch_milliseconds or a pattern such as DD/MM/YYYY HH:MM";
      return std::nullopt;
    } else {
      format.parts_.push_back({Token::literal, text[i]});
      ++i;
    }
  }
  if (years != 1 || months != 1 || days_seen != 1 || hours_seen > 1 || minutes > 1 ||
      seconds_seen > 1 || (hours_seen != minutes) || (seconds_seen && !minutes)) {
    error =
        "must have YYYY, MM and DD once each, and HH with MM (minutes) for a time of day; "
        "or be rfc3339, epoch_seconds or epoch_milliseconds";
    return std::nullopt;
  }
  return format;
}

bool TimeFormat::has_time_of_day() const {
  for (const auto& part : parts_) {
    if (part.token == Token::hour)
      return true;
  }
  return false;
}

std::optional<std::string> TimeFormat::read(std::string_view value, const Zone* zone) const {
  switch (kind_) {
    case Kind::rfc3339: {
      if (value.size() <= 10)
        return std::nullopt;  // a date is not RFC 3339 date-time
      return read_any_time(value);
    }
    case Kind::epoch_seconds:
    case Kind::epoch_milliseconds: {
      long long number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || end != value.data() + value.size() || number < 0)
        return std::nullopt;
      if (kind_ == Kind::epoch_milliseconds)
        number /= 1000;
      if (number > 253402300799LL)
        return std::nullopt;  // past year 9999
      return format_utc(sys_seconds{seconds{number}});
    }
    case Kind::pattern:
      break;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::size_t at = 0;
  for (const auto& part : parts_) {
    const auto take = [&](std::size_t width, int& out) {
      bool ok = digits(value, at, width, out);
      at += width;
      return ok;
    };
    bool ok = true;
    switch (part.token) {
      case Token::literal:
        ok = at < value.size() && value[at] == part.literal;
        ++at;
        break;
      case Token::year:
        ok = take(4, y);
        break;
      case Token::month:
        ok = take(2, mo);
        break;
      case Token::day:
        ok = take(2, d);
        break;
      case Token::hour:
        ok = take(2, h);
        break;
      case Token::minute:
        ok = take(2, mi);
        break;
      case Token::second:
        ok = take(2, s);
        break;
    }
    if (!ok)
      return std::nullopt;
  }
  if (at != value.size())
    return std::nullopt;
  auto date = civil_date(y, mo, d);
  if (!date)
    return std::nullopt;
  if (!has_time_of_day())
    return format_date(*date);
  if (h > 23 || mi > 59 || s > 59 || zone == nullptr)
    return std::nullopt;
  local_seconds local{(*date + hours{h} + minutes{mi} + seconds{s}).time_since_epoch()};
  return format_utc(zone->to_utc(local));
}

std::string TimeFormat::write(sys_seconds utc, const Zone* zone) const {
  switch (kind_) {
    case Kind::rfc3339:
      return format_utc(utc);
    case Kind::epoch_seconds:
      return std::to_string(utc.time_since_epoch().count());
    case Kind::epoch_milliseconds:
      return std::to_string(utc.time_since_epoch().count() * 1000);
    case Kind::pattern:
      break;
  }
  const auto wall =
      zone != nullptr ? zone->to_local(utc).time_since_epoch() : utc.time_since_epoch();
  const auto day_count = floor<days>(wall);
  year_month_day ymd{sys_days{day_count}};
  hh_mm_ss clock{wall - day_count};
  std::string out;
  char buffer[8];
  for (const auto& part : parts_) {
    switch (part.token) {
      case Token::literal:
        out += part.literal;
        continue;
      case Token::year:
        std::snprintf(buffer, sizeof buffer, "%04d", static_cast<int>(ymd.year()));
        break;
      case Token::month:
        std::snprintf(buffer, sizeof buffer, "%02u", static_cast<unsigned>(ymd.month()));
        break;
      case Token::day:
        std::snprintf(buffer, sizeof buffer, "%02u", static_cast<unsigned>(ymd.day()));
        break;
      case Token::hour:
        std::snprintf(buffer, sizeof buffer, "%02d", static_cast<int>(clock.hours().count()));
        break;
      case Token::minute:
        std::snprintf(buffer, sizeof buffer, "%02d", static_cast<int>(clock.minutes().count()));
        break;
      case Token::second:
        std::snprintf(buffer, sizeof buffer, "%02d", static_cast<int>(clock.seconds().count()));
        break;
    }
    out += buffer;
  }
  return out;
}

std::optional<std::string> read_any_time(std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 11)
      return std::nullopt;
    long long number = 0;
    std::from_chars(text.data(), text.data() + text.size(), number);
    return format_utc(sys_seconds{seconds{number}});
  }
  int y = 0, mo = 0, d = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  auto date = civil_date(y, mo, d);
  if (!date)
    return std::nullopt;
  if (text.size() == 10)
    return format_date(*date);
  int h = 0, mi = 0, s = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, h) ||
      text.size() < 19 || text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' ||
      !digits(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
      ++at;
  }
  auto zone = text.substr(at);
  int offset = 0;
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (auto minutes_east = parse_offset_minutes(zone)) {
    offset = *minutes_east;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    std::string with_colon = std::string(zone.substr(0, 3)) + ":" + std::string(zone.substr(3));
    auto parsed = parse_offset_minutes(with_colon);
    if (!parsed)
      return std::nullopt;
    offset = *parsed;
  } else {
    return std::nullopt;
  }
  sys_seconds utc = *date + hours{h} + minutes{mi} + seconds{std::min(s, 59)} - minutes{offset};
  return format_utc(utc);
}

std::optional<sys_seconds> parse_utc(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() != 20 || text[19] != 'Z' || !digits(text, 0, 4, y) || !digits(text, 5, 2, mo) ||
      !digits(text, 8, 2, d) || !digits(text, 11, 2, h) || !digits(text, 14, 2, mi) ||
      !digits(text, 17, 2, s)) {
    return std::nullopt;
  }
  auto date = civil_date(y, mo, d);
  if (!date)
    return std::nullopt;
  return *date + hours{h} + minutes{mi} + seconds{s};
}

std::string format_utc(sys_seconds utc) {
  auto day_count = floor<days>(utc);
  hh_mm_ss clock{utc - day_count};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02dZ", format_date(day_count).c_str(),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

}  // namespace rest_json
