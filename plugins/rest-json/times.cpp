#include "plugins/rest-json/times.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace rest_json {
namespace {

using namespace std::chrono;
using connectors::time::Instant;

// Exactly `width` digits of `text` at `at`.
bool read_field(std::string_view text, std::size_t at, std::size_t width, int& out) {
  if (at + width > text.size())
    return false;
  const std::string_view field = text.substr(at, width);
  if (field.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  std::from_chars(field.data(), field.data() + field.size(), out);
  return true;
}

}  // namespace

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
      if (auto instant = connectors::time::parse_rfc3339(value))
        return connectors::time::format_utc(*instant);
      return std::nullopt;  // a date alone or epoch seconds are not RFC 3339 date-times
    }
    case Kind::epoch_seconds:
    case Kind::epoch_milliseconds: {
      long long number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || end != value.data() + value.size() || number < 0)
        return std::nullopt;
      Instant instant{sys_seconds{seconds{number}}};
      if (kind_ == Kind::epoch_milliseconds)
        instant = {sys_seconds{seconds{number / 1000}}, milliseconds{number % 1000}};
      if (instant.seconds.time_since_epoch().count() > 253402300799LL)
        return std::nullopt;  // past year 9999
      return connectors::time::format_utc(instant);
    }
    case Kind::pattern:
      break;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::size_t at = 0;
  for (const auto& part : parts_) {
    const auto take = [&](std::size_t width, int& out) {
      bool ok = read_field(value, at, width, out);
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
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok())
    return std::nullopt;
  if (!has_time_of_day())
    return connectors::time::format_date(date);
  if (h > 23 || mi > 59 || s > 59 || zone == nullptr)
    return std::nullopt;
  local_seconds local{(sys_days{date} + hours{h} + minutes{mi} + seconds{s}).time_since_epoch()};
  return connectors::time::format_utc({zone->to_utc(local)});
}

std::string TimeFormat::write(Instant instant, const Zone* zone) const {
  const sys_seconds utc = instant.seconds;
  switch (kind_) {
    case Kind::rfc3339:
      return connectors::time::format_utc(instant);
    case Kind::epoch_seconds:
      return std::to_string(utc.time_since_epoch().count());
    case Kind::epoch_milliseconds:
      return std::to_string(utc.time_since_epoch().count() * 1000 +
                            floor<milliseconds>(instant.fraction).count());
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
  auto read = connectors::time::read_time(text);
  if (const auto* instant = std::get_if<Instant>(&read))
    return connectors::time::format_utc(*instant);
  if (const auto* date = std::get_if<year_month_day>(&read))
    return connectors::time::format_date(*date);
  return std::nullopt;
}

}  // namespace rest_json
