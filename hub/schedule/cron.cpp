#include "hub/schedule/cron.h"

#include <array>
#include <cctype>
#include <span>
#include <string>
#include <vector>

#include <date/date.h>

#include "campaign_hub/ascii.h"
#include "hub/schedule/schedule.h"

namespace hub::cron {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

struct Rule {
  const char* field;  // as crontab(5) names it, for messages
  unsigned low;
  unsigned high;
  const char* what;  // "a month (1-12 or jan-dec)"
  std::span<const std::string_view> names = {};
  unsigned first_named = 0;  // the value of names[0]
};

const Rule kMinute{"minute", 0, 59, "a number (0-59)"};
const Rule kHour{"hour", 0, 23, "a number (0-23)"};
const Rule kDayOfMonth{"day of month", 1, 31, "a number (1-31)"};
const Rule kMonth{"month", 1, 12, "a month (1-12 or jan-dec)", kMonthNames, 1};
// 7 is Sunday as well as 0.
const Rule kDayOfWeek{"day of week", 0, 7, "a day (0-7 or sun-sat)", kDayNames, 0};

// Macros as cron itself expands them.
struct Macro {
  std::string_view name;
  std::string_view fields;
};
constexpr std::array<Macro, 7> kMacros = {{{"@yearly", "0 0 1 1 *"},
                                           {"@annually", "0 0 1 1 *"},
                                           {"@monthly", "0 0 1 * *"},
                                           {"@weekly", "0 0 * * 0"},
                                           {"@daily", "0 0 * * *"},
                                           {"@midnight", "0 0 * * *"},
                                           {"@hourly", "0 * * * *"}}};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos)
      return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_space(text[pos]))
      ++pos;
    std::size_t start = pos;
    while (pos < text.size() && !is_space(text[pos]))
      ++pos;
    if (pos > start)
      out.push_back(text.substr(start, pos - start));
  }
  return out;
}

bool all_digits(std::string_view text) {
  if (text.empty())
    return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

// Reads digits; more than four can only be out of range, and must not overflow.
unsigned number(std::string_view digits) {
  if (digits.size() > 4)
    return 99999;
  unsigned value = 0;
  for (char c : digits)
    value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

class FieldParser {
 public:
  FieldParser(std::string_view expression, const Rule& rule)
      : expression_(expression), rule_(rule) {}

  std::uint64_t parse(std::string_view field) const {
    std::uint64_t set = 0;
    for (std::string_view item : split(field, ',')) {
      if (item.empty())
        fail("empty item in list '" + std::string(field) + "'");
      set |= parse_item(item);
    }
    return set;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw ScheduleError("cron '" + std::string(expression_) + "': " + rule_.field + ": " + problem);
  }

  // "*", "a", "a-b", "*/n" or "a-b/n".
  std::uint64_t parse_item(std::string_view item) const {
    std::string_view range = item;
    unsigned step = 1;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      if (!all_digits(step_text))
        fail("step '" + std::string(step_text) + "' in '" + std::string(item) +
             "' is not a number");
      step = number(step_text);
      if (step == 0)
        fail("step 0 in '" + std::string(item) + "' must be at least 1");
      // cron reads "5/15" differently from one implementation to the next; ask for the
      // explicit form rather than guess.
      if (range != "*" && range.find('-') == std::string_view::npos)
        fail("a step needs a range or *, as in '" + std::string(range) + "-" +
             std::to_string(rule_.high) + "/" + std::string(step_text) + "' or '*/" +
             std::string(step_text) + "', not '" + std::string(item) + "'");
    }

    unsigned first = rule_.low;
    unsigned last = rule_.high;
    if (range != "*") {
      std::size_t dash = range.find('-');
      if (dash == std::string_view::npos) {
        first = last = value(range, item);
      } else {
        first = value(range.substr(0, dash), item);
        last = value(range.substr(dash + 1), item);
        if (first > last)
          fail("range '" + std::string(range) + "' runs backwards");
      }
    }

    std::uint64_t set = 0;
    for (unsigned v = first; v <= last; v += step)
      set |= std::uint64_t{1} << v;
    return set;
  }

  unsigned value(std::string_view token, std::string_view item) const {
    if (token.empty())
      fail("'" + std::string(item) + "' is missing a number");
    if (all_digits(token)) {
      unsigned v = number(token);
      if (v < rule_.low || v > rule_.high)
        fail(std::string(token) + " is out of " + std::to_string(rule_.low) + "-" +
             std::to_string(rule_.high));
      return v;
    }
    std::string name = campaign_hub::ascii_lower(token);
    for (std::size_t i = 0; i < rule_.names.size(); ++i) {
      if (rule_.names[i] == name)
        return rule_.first_named + static_cast<unsigned>(i);
    }
    fail("'" + std::string(token) + "' is not " + rule_.what);
  }

  std::string_view expression_;
  const Rule& rule_;
};

// True when some day in a 28-year span matches. Weekdays and leap years repeat every 28 years
// (between 1901 and 2099), so a pattern that matches no day in that span never matches.
bool matches_some_day(const Fields& fields) {
  using namespace date;
  const sys_days first = sys_days{year{2000} / January / 1};
  const sys_days end = sys_days{year{2028} / January / 1};
  for (sys_days day = first; day < end;) {
    year_month_day ymd{day};
    if (!has(fields.months, static_cast<unsigned>(ymd.month()))) {
      day = sys_days{(ymd.year() / ymd.month() + months{1}) / 1};
      continue;
    }
    if (fields.matches_day(static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                           weekday{day}.c_encoding()))
      return true;
    day += days{1};
  }
  return false;
}

}  // namespace

bool Fields::matches_day(unsigned month, unsigned day, unsigned weekday) const {
  if (!has(months, month))
    return false;
  bool day_ok = has(days, day);
  bool weekday_ok = has(weekdays, weekday);
  return either_day ? (day_ok || weekday_ok) : (day_ok && weekday_ok);
}

Fields parse(std::string_view text) {
  std::vector<std::string_view> parts = words(text);
  std::string_view expanded;
  if (parts.size() == 1 && parts[0].starts_with('@')) {
    std::string name = campaign_hub::ascii_lower(parts[0]);
    if (name == "@reboot")
      throw ScheduleError("cron '" + std::string(text) +
                          "': @reboot runs once when cron starts, which a schedule cannot "
                          "express; use 5 fields, a macro such as @daily, or 'every'");
    for (const Macro& macro : kMacros) {
      if (macro.name == name)
        expanded = macro.fields;
    }
    if (expanded.empty())
      throw ScheduleError("cron '" + std::string(text) +
                          "': unknown macro (expected @yearly, @annually, @monthly, @weekly, "
                          "@daily, @midnight or @hourly)");
    parts = words(expanded);
  }
  if (parts.size() != 5)
    throw ScheduleError("cron '" + std::string(text) + "': expected 5 fields (minute hour " +
                        "day-of-month month day-of-week) or a macro such as @daily, got " +
                        std::to_string(parts.size()));

  Fields fields;
  fields.minutes = FieldParser(text, kMinute).parse(parts[0]);
  fields.hours = FieldParser(text, kHour).parse(parts[1]);
  fields.days = FieldParser(text, kDayOfMonth).parse(parts[2]);
  fields.months = FieldParser(text, kMonth).parse(parts[3]);
  fields.weekdays = FieldParser(text, kDayOfWeek).parse(parts[4]);
  if (has(fields.weekdays, 7))
    fields.weekdays = (fields.weekdays & ~(std::uint64_t{1} << 7)) | 1U;
  // As cron decides it: by the first character, so "*/2" counts as unrestricted.
  fields.either_day = !parts[2].starts_with('*') && !parts[4].starts_with('*');

  if (!matches_some_day(fields))
    throw ScheduleError("cron '" + std::string(text) +
                        "': never fires: no date has that day of month, month and day of week");
  return fields;
}

}  // namespace hub::cron
