// Schedules: durations, crontab(5)'s own examples and field rules, the refusals and their
// messages, and firing times across daylight-saving changes in real IANA zones (the system
// tzdata, read through the date library).
#include "hub/schedule/schedule.h"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hub {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// "2026-03-29T01:00:00Z" (seconds optional) to a time point.
system_clock::time_point utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) < 5)
    ADD_FAILURE() << "bad test time " << text;
  std::chrono::sys_days day{std::chrono::year{y} / mo / d};
  return day + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

std::string iso(system_clock::time_point time) {
  auto day = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::seconds>(time - day)};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

Schedule cron(const std::string& expression, const std::string& zone = "UTC") {
  ScheduleSpec spec;
  spec.cron = expression;
  spec.time_zone = zone;
  return Schedule::parse(spec);
}

// The next `count` firings after `after`, each found from the one before.
std::vector<std::string> firings(const Schedule& schedule, const std::string& after, int count) {
  std::vector<std::string> out;
  system_clock::time_point time = utc(after);
  for (int i = 0; i < count; ++i) {
    time = schedule.next_after(time);
    out.push_back(iso(time));
  }
  return out;
}

std::string next(const std::string& expression, const std::string& after,
                 const std::string& zone = "UTC") {
  return iso(cron(expression, zone).next_after(utc(after)));
}

using Strings = std::vector<std::string>;

// The message of the ScheduleError that parsing `spec` throws, or "accepted".
std::string refusal(const ScheduleSpec& spec) {
  try {
    Schedule::parse(spec);
  } catch (const ScheduleError& error) {
    return error.what();
  }
  return "accepted";
}

std::string cron_refusal(const std::string& expression, const std::string& zone = "UTC") {
  ScheduleSpec spec;
  spec.cron = expression;
  spec.time_zone = zone;
  return refusal(spec);
}

std::string duration_refusal(const std::string& text) {
  try {
    auto value = parse_duration(text);
    return "accepted as " + std::to_string(value.count()) + "s";
  } catch (const ScheduleError& error) {
    return error.what();
  }
}

::testing::AssertionResult contains(const std::string& text, const std::string& fragment) {
  if (text.find(fragment) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' lacks '" << fragment << "'";
}

// --- durations ---

TEST(ParseDuration, ReadsEachUnitAndCombinations) {
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("15m"), 15min);
  EXPECT_EQ(parse_duration("1h"), 1h);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration("1d2h3m4s"), 24h + 2h + 3min + 4s);
  EXPECT_EQ(parse_duration("0h5m"), 5min);  // a zero part is fine when the total is not
}

TEST(ParseDuration, RefusesTextThatIsNotAPositiveDuration) {
  const std::string expected =
      "expected a positive number with a unit (s, m, h, d), e.g. 90s, 15m, 1h30m, 2d";
  EXPECT_EQ(duration_refusal("15"), "duration '15': " + expected);
  EXPECT_EQ(duration_refusal("m"), "duration 'm': " + expected);
  EXPECT_EQ(duration_refusal("-5m"), "duration '-5m': " + expected);
  EXPECT_EQ(duration_refusal(""), "duration '': " + expected);
  EXPECT_EQ(duration_refusal("0m"), "duration '0m': must be longer than zero");
  EXPECT_EQ(duration_refusal("0s0m"),
            "duration '0s0m': units go largest first, each once, as in 1h30m");
  EXPECT_TRUE(contains(duration_refusal("1.5h"), "duration '1.5h': expected"));
  EXPECT_TRUE(contains(duration_refusal("15 m"), "duration '15 m': expected"));
  EXPECT_TRUE(contains(duration_refusal("15M"), "duration '15M': expected"));
  EXPECT_TRUE(contains(duration_refusal("1w"), "duration '1w': expected"));
  EXPECT_TRUE(contains(duration_refusal("30m1h"), "largest first"));
  EXPECT_TRUE(contains(duration_refusal("1h1h"), "largest first"));
  EXPECT_TRUE(contains(duration_refusal("3651d"), "too long"));
  EXPECT_TRUE(contains(duration_refusal("99999999999999999999s"), "too long"));
}

TEST(ParseJitter, NoJitterMayBeWrittenAsZero) {
  EXPECT_EQ(parse_jitter("0"), 0s);
  EXPECT_EQ(parse_jitter("0s"), 0s);
  EXPECT_EQ(parse_jitter("00m"), 0s);
  EXPECT_EQ(parse_jitter("30s"), 30s);
  EXPECT_THROW(parse_jitter(""), ScheduleError);
  EXPECT_THROW(parse_jitter("0x"), ScheduleError);
  EXPECT_THROW(parse_jitter("s"), ScheduleError);
}

TEST(FormatDuration, WritesTheShortestForm) {
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(15min), "15m");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(48h + 1s), "2d1s");
}

// --- every ---

TEST(Every, FiresOneIntervalAfterTheGivenTime) {
  ScheduleSpec spec;
  spec.every = "15m";
  Schedule schedule = Schedule::parse(spec);
  auto after = utc("2026-03-29T00:50:00Z") + 250ms;
  EXPECT_EQ(schedule.next_after(after), after + 15min);
  EXPECT_EQ(schedule.describe(), "every 15m");
  EXPECT_EQ(schedule.jitter(), 0s);
}

TEST(Every, KeepsJitterAndDescribesIt) {
  ScheduleSpec spec;
  spec.every = "1h30m";
  spec.jitter = 30s;
  Schedule schedule = Schedule::parse(spec);
  EXPECT_EQ(schedule.jitter(), 30s);
  EXPECT_EQ(schedule.describe(), "every 1h30m, jitter up to 30s");
  // Jitter is the caller's to draw; next_after never adds it.
  EXPECT_EQ(schedule.next_after(utc("2026-01-01T00:00:00Z")), utc("2026-01-01T01:30:00Z"));
}

TEST(Every, DoesNotReadTheTimeZone) {
  ScheduleSpec spec;
  spec.every = "1h";
  spec.time_zone = "Not/AZone";
  EXPECT_EQ(Schedule::parse(spec).describe(), "every 1h");
}

TEST(Every, RefusesABadDuration) {
  ScheduleSpec spec;
  spec.every = "15";
  EXPECT_TRUE(contains(refusal(spec), "duration '15': expected a positive number"));
  spec.every = "0m";
  EXPECT_EQ(refusal(spec), "duration '0m': must be longer than zero");
}

TEST(Spec, RefusesBothAndNeitherOfEveryAndCron) {
  ScheduleSpec both;
  both.every = "15m";
  both.cron = "0 * * * *";
  EXPECT_EQ(refusal(both),
            "schedule: set one of 'every' and 'cron', not both (every '15m', cron '0 * * * *')");
  ScheduleSpec neither;
  EXPECT_EQ(refusal(neither),
            "schedule: set one of 'every' (e.g. \"15m\") or 'cron' (e.g. \"0 9 * * 1-5\")");
  neither.every = "  ";
  EXPECT_TRUE(contains(refusal(neither), "set one of"));
}

TEST(Spec, RefusesNegativeJitter) {
  ScheduleSpec spec;
  spec.every = "15m";
  spec.jitter = -5s;
  EXPECT_EQ(refusal(spec), "schedule: jitter -5s is negative");
}

// --- crontab(5)'s EXAMPLE section ---

TEST(CrontabExamples, FiveMinutesAfterMidnightEveryDay) {
  EXPECT_EQ(next("5 0 * * *", "2026-01-10T12:00:00Z"), "2026-01-11T00:05:00Z");
  // Strictly after: a firing time itself gives the next day's.
  EXPECT_EQ(next("5 0 * * *", "2026-01-11T00:05:00Z"), "2026-01-12T00:05:00Z");
  EXPECT_EQ(next("5 0 * * *", "2026-01-11T00:04:59Z"), "2026-01-11T00:05:00Z");
}

TEST(CrontabExamples, QuarterPastTwoPmOnTheFirstOfEveryMonth) {
  EXPECT_EQ(firings(cron("15 14 1 * *"), "2026-01-01T14:15:00Z", 3),
            (Strings{"2026-02-01T14:15:00Z", "2026-03-01T14:15:00Z", "2026-04-01T14:15:00Z"}));
}

TEST(CrontabExamples, TenPmOnWeekdays) {
  // 2026-01-09 is a Friday: the next is Monday the 12th.
  EXPECT_EQ(firings(cron("0 22 * * 1-5"), "2026-01-09T22:00:00Z", 5),
            (Strings{"2026-01-12T22:00:00Z", "2026-01-13T22:00:00Z", "2026-01-14T22:00:00Z",
                     "2026-01-15T22:00:00Z", "2026-01-16T22:00:00Z"}));
}

TEST(CrontabExamples, TwentyThreeMinutesAfterEveryEvenHour) {
  Strings expected;
  for (int hour = 0; hour < 24; hour += 2) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "2026-01-01T%02d:23:00Z", hour);
    expected.push_back(buffer);
  }
  expected.push_back("2026-01-02T00:23:00Z");
  EXPECT_EQ(firings(cron("23 0-23/2 * * *"), "2026-01-01T00:00:00Z", 13), expected);
}

TEST(CrontabExamples, FiveAfterFourEverySunday) {
  // 2026-01-01 is a Thursday.
  EXPECT_EQ(firings(cron("5 4 * * sun"), "2026-01-01T00:00:00Z", 2),
            (Strings{"2026-01-04T04:05:00Z", "2026-01-11T04:05:00Z"}));
}

TEST(CrontabExamples, EveryFourthHourOnTheFirstAndOnEveryMonday) {
  // Both day fields restricted: the 1st (a Sunday in February 2026) OR a Monday.
  EXPECT_EQ(firings(cron("0 */4 1 * mon"), "2026-01-31T12:00:00Z", 8),
            (Strings{"2026-02-01T00:00:00Z", "2026-02-01T04:00:00Z", "2026-02-01T08:00:00Z",
                     "2026-02-01T12:00:00Z", "2026-02-01T16:00:00Z", "2026-02-01T20:00:00Z",
                     "2026-02-02T00:00:00Z", "2026-02-02T04:00:00Z"}));
}

TEST(CrontabExamples, MidnightOnSundaysThatFallOnAnOddDate) {
  // "*/2" starts with '*', so both fields must match: January 2026's Sundays are the 4th,
  // 11th, 18th and 25th; February 1st is a Sunday too.
  EXPECT_EQ(firings(cron("0 0 */2 * sun"), "2026-01-01T00:00:00Z", 3),
            (Strings{"2026-01-11T00:00:00Z", "2026-01-25T00:00:00Z", "2026-02-01T00:00:00Z"}));
}

TEST(CrontabRules, FirstAndFifteenthOrMondayWhenBothDayFieldsAreRestricted) {
  EXPECT_EQ(firings(cron("0 0 1,15 * 1"), "2026-01-01T00:00:00Z", 7),
            (Strings{"2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z",
                     "2026-01-19T00:00:00Z", "2026-01-26T00:00:00Z", "2026-02-01T00:00:00Z",
                     "2026-02-02T00:00:00Z"}));
}

TEST(CrontabRules, BothDayFieldsMustMatchWhenOneIsAStar) {
  EXPECT_EQ(firings(cron("0 0 1,15 * *"), "2026-01-01T00:00:00Z", 3),
            (Strings{"2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z", "2026-02-15T00:00:00Z"}));
  EXPECT_EQ(firings(cron("0 0 * * 1"), "2026-01-01T00:00:00Z", 2),
            (Strings{"2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z"}));
}

TEST(CrontabRules, SevenAndZeroAreBothSunday) {
  for (const char* sunday : {"0", "7", "sun", "SUN", "Sun"})
    EXPECT_EQ(next(std::string("0 0 * * ") + sunday, "2026-01-01T00:00:00Z"),
              "2026-01-04T00:00:00Z")
        << sunday;
  // A range up to 7 reaches Sunday: Friday 2nd, Saturday 3rd, Sunday 4th, then Friday 9th.
  EXPECT_EQ(firings(cron("0 0 * * 5-7"), "2026-01-01T00:00:00Z", 4),
            (Strings{"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
                     "2026-01-09T00:00:00Z"}));
}

TEST(CrontabRules, NamesAreCaseInsensitiveAndWorkInRangesAndLists) {
  // Noon on weekdays in March and December only: 2026-02-27 is a Friday.
  EXPECT_EQ(firings(cron("0 12 * MAR,dec Mon-fri"), "2026-02-27T00:00:00Z", 2),
            (Strings{"2026-03-02T12:00:00Z", "2026-03-03T12:00:00Z"}));
  EXPECT_EQ(next("0 12 * mar-Apr sat", "2026-04-30T00:00:00Z"), "2027-03-06T12:00:00Z");
  EXPECT_EQ(next("0 0 1 Jan *", "2026-06-01T00:00:00Z"), "2027-01-01T00:00:00Z");
}

TEST(CrontabRules, StepsOverStarsAndRanges) {
  EXPECT_EQ(firings(cron("*/15 * * * *"), "2026-01-01T10:07:00Z", 4),
            (Strings{"2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z",
                     "2026-01-01T11:00:00Z"}));
  EXPECT_EQ(firings(cron("10-30/10 * * * *"), "2026-01-01T10:00:00Z", 4),
            (Strings{"2026-01-01T10:10:00Z", "2026-01-01T10:20:00Z", "2026-01-01T10:30:00Z",
                     "2026-01-01T11:10:00Z"}));
  // Months 1, 4, 7, 10; a list mixing a step, a range and a single value.
  EXPECT_EQ(firings(cron("0 0 1 */3 *"), "2026-01-01T00:00:00Z", 2),
            (Strings{"2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"}));
  EXPECT_EQ(firings(cron("0,20-22,50-59/5 8 * * *"), "2026-01-01T00:00:00Z", 7),
            (Strings{"2026-01-01T08:00:00Z", "2026-01-01T08:20:00Z", "2026-01-01T08:21:00Z",
                     "2026-01-01T08:22:00Z", "2026-01-01T08:50:00Z", "2026-01-01T08:55:00Z",
                     "2026-01-02T08:00:00Z"}));
}

TEST(CrontabRules, EveryMinuteFromAnInstantInsideAMinute) {
  auto after = utc("2026-01-01T10:07:30Z") + 500ms;
  EXPECT_EQ(iso(cron("* * * * *").next_after(after)), "2026-01-01T10:08:00Z");
  EXPECT_EQ(next("* * * * *", "2026-01-01T10:08:00Z"), "2026-01-01T10:09:00Z");
}

TEST(CrontabRules, Macros) {
  const std::string after = "2026-01-01T00:00:00Z";
  EXPECT_EQ(next("@yearly", after), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", after), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("@monthly", after), "2026-02-01T00:00:00Z");
  EXPECT_EQ(next("@weekly", after), "2026-01-04T00:00:00Z");  // Sunday
  EXPECT_EQ(next("@daily", after), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@midnight", after), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@hourly", after), "2026-01-01T01:00:00Z");
  EXPECT_EQ(next("@Daily", after), "2026-01-02T00:00:00Z");
  EXPECT_EQ(cron("@daily", "Europe/Paris").describe(), "cron '@daily' in Europe/Paris");
}

TEST(CrontabRules, YearBoundary) {
  EXPECT_EQ(next("0 0 1 1 *", "2026-12-31T23:59:59Z"), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("59 23 31 12 *", "2026-12-31T23:59:00Z"), "2027-12-31T23:59:00Z");
  EXPECT_EQ(next("* * * * *", "2026-12-31T23:59:00Z"), "2027-01-01T00:00:00Z");
  // Local New Year in Paris is 23:00 UTC the day before.
  EXPECT_EQ(next("0 0 1 1 *", "2026-06-01T00:00:00Z", "Europe/Paris"), "2026-12-31T23:00:00Z");
}

TEST(CrontabRules, TwentyNinthOfFebruaryWaitsForALeapYear) {
  EXPECT_EQ(next("0 0 29 2 *", "2026-01-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 29 2 *", "2028-02-29T00:00:00Z"), "2032-02-29T00:00:00Z");
}

// --- refusals ---

TEST(CronErrors, FieldCount) {
  EXPECT_EQ(cron_refusal("0 0 * *"),
            "cron '0 0 * *': expected 5 fields (minute hour day-of-month month day-of-week) or a "
            "macro such as @daily, got 4");
  EXPECT_TRUE(contains(cron_refusal("0 0 0 * * *"), "got 6"));
  EXPECT_TRUE(contains(cron_refusal("0 0 * * * /bin/job"), "got 6"));
}

TEST(CronErrors, OutOfRange) {
  EXPECT_EQ(cron_refusal("61 * * * *"), "cron '61 * * * *': minute: 61 is out of 0-59");
  EXPECT_EQ(cron_refusal("0 24 * * *"), "cron '0 24 * * *': hour: 24 is out of 0-23");
  EXPECT_EQ(cron_refusal("0 0 0 * *"), "cron '0 0 0 * *': day of month: 0 is out of 1-31");
  EXPECT_EQ(cron_refusal("0 0 32 * *"), "cron '0 0 32 * *': day of month: 32 is out of 1-31");
  EXPECT_EQ(cron_refusal("0 0 * 13 *"), "cron '0 0 * 13 *': month: 13 is out of 1-12");
  EXPECT_EQ(cron_refusal("0 0 * * 8"), "cron '0 0 * * 8': day of week: 8 is out of 0-7");
  EXPECT_EQ(cron_refusal("0 0-30 * * *"), "cron '0 0-30 * * *': hour: 30 is out of 0-23");
  EXPECT_EQ(cron_refusal("0 0 * * 1,99999999"),
            "cron '0 0 * * 1,99999999': day of week: 99999999 is out of 0-7");
}

TEST(CronErrors, BadSteps) {
  EXPECT_EQ(cron_refusal("*/0 * * * *"),
            "cron '*/0 * * * *': minute: step 0 in '*/0' must be at least 1");
  EXPECT_EQ(cron_refusal("*/x * * * *"),
            "cron '*/x * * * *': minute: step 'x' in '*/x' is not a number");
  EXPECT_TRUE(contains(cron_refusal("*/ * * * *"), "step '' in '*/' is not a number"));
  EXPECT_TRUE(contains(cron_refusal("1-5/2/3 * * * *"), "step '2/3' in '1-5/2/3' is not a number"));
  EXPECT_EQ(cron_refusal("5/15 * * * *"),
            "cron '5/15 * * * *': minute: a step needs a range or *, as in '5-59/15' or '*/15', "
            "not '5/15'");
}

TEST(CronErrors, BadNamesAndItems) {
  EXPECT_EQ(cron_refusal("0 0 * foo *"),
            "cron '0 0 * foo *': month: 'foo' is not a month (1-12 or jan-dec)");
  EXPECT_EQ(cron_refusal("0 0 * * funday"),
            "cron '0 0 * * funday': day of week: 'funday' is not a day (0-7 or sun-sat)");
  // Names belong to their own field only.
  EXPECT_EQ(cron_refusal("jan * * * *"),
            "cron 'jan * * * *': minute: 'jan' is not a number (0-59)");
  EXPECT_EQ(cron_refusal("0 0 * mon *"),
            "cron '0 0 * mon *': month: 'mon' is not a month (1-12 or jan-dec)");
  EXPECT_EQ(cron_refusal("0 0 * * january"),
            "cron '0 0 * * january': day of week: 'january' is not a day (0-7 or sun-sat)");
  EXPECT_EQ(cron_refusal("0 5-1 * * *"), "cron '0 5-1 * * *': hour: range '5-1' runs backwards");
  EXPECT_EQ(cron_refusal("1,,2 * * * *"), "cron '1,,2 * * * *': minute: empty item in list '1,,2'");
  EXPECT_EQ(cron_refusal("-5 * * * *"), "cron '-5 * * * *': minute: '-5' is missing a number");
  EXPECT_TRUE(contains(cron_refusal("? * * * *"), "minute: '?' is not a number (0-59)"));
}

TEST(CronErrors, Macros) {
  EXPECT_EQ(cron_refusal("@reboot"),
            "cron '@reboot': @reboot runs once when cron starts, which a schedule cannot express; "
            "use 5 fields, a macro such as @daily, or 'every'");
  EXPECT_TRUE(contains(cron_refusal("@fortnightly"), "cron '@fortnightly': unknown macro"));
  EXPECT_TRUE(contains(cron_refusal("@daily 5"), "expected 5 fields"));
}

TEST(CronErrors, ExpressionsThatNeverFire) {
  EXPECT_EQ(cron_refusal("0 0 30 2 *"),
            "cron '0 0 30 2 *': never fires: no date has that day of month, month and day of week");
  EXPECT_TRUE(contains(cron_refusal("0 0 31 4,6,9,11 *"), "never fires"));
  // With the day of week restricted too, the OR rule makes it fire on Mondays.
  EXPECT_EQ(next("0 0 30 2 1", "2026-01-01T00:00:00Z"), "2026-02-02T00:00:00Z");
}

TEST(CronErrors, UnknownTimeZone) {
  EXPECT_EQ(cron_refusal("0 9 * * *", "Europe/Pariss"),
            "unknown time zone 'Europe/Pariss' (expected an IANA name such as Europe/Paris or "
            "UTC)");
  EXPECT_TRUE(contains(cron_refusal("0 9 * * *", ""), "unknown time zone ''"));
  EXPECT_TRUE(contains(cron_refusal("0 9 * * *", "+02:00"), "unknown time zone '+02:00'"));
}

// --- time zones ---

TEST(TimeZones, DescribeNamesTheExpressionAndZone) {
  EXPECT_EQ(cron("0 9 * * 1-5", "Europe/Paris").describe(), "cron '0 9 * * 1-5' in Europe/Paris");
  ScheduleSpec spec;
  spec.cron = "  0 9 * * 1-5 ";
  spec.jitter = 5min;
  EXPECT_EQ(Schedule::parse(spec).describe(), "cron '0 9 * * 1-5' in UTC, jitter up to 5m");
}

TEST(TimeZones, EuropeParisIsReadFromTheSystemTzdata) {
  // 09:00 in Paris is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
  EXPECT_EQ(next("0 9 * * *", "2026-01-15T12:00:00Z", "Europe/Paris"), "2026-01-16T08:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "2026-07-15T12:00:00Z", "Europe/Paris"), "2026-07-16T07:00:00Z");
}

TEST(TimeZones, ParisSpringForwardFiresASkippedTimeOnceAtTheEndOfTheGap) {
  // 2026-03-29: at 02:00 CET (01:00 UTC) clocks go to 03:00 CEST, so 02:30 does not exist.
  EXPECT_EQ(firings(cron("30 2 * * *", "Europe/Paris"), "2026-03-27T12:00:00Z", 3),
            (Strings{"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}));
  // 02:00 and 02:30 both fall in the gap: one firing, not two.
  EXPECT_EQ(firings(cron("*/30 2 * * *", "Europe/Paris"), "2026-03-28T12:00:00Z", 3),
            (Strings{"2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:30:00Z"}));
  // Every quarter hour: the hour from 01:00 CET runs straight on into 03:00 CEST.
  EXPECT_EQ(firings(cron("*/15 * * * *", "Europe/Paris"), "2026-03-29T00:30:00Z", 4),
            (Strings{"2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z",
                     "2026-03-29T01:30:00Z"}));
}

TEST(TimeZones, ParisFallBackFiresARepeatedTimeOnceTheFirstTime) {
  // 2026-10-25: at 03:00 CEST (01:00 UTC) clocks go back to 02:00 CET; 02:30 happens twice,
  // at 00:30 UTC and at 01:30 UTC. Only the first fires.
  EXPECT_EQ(firings(cron("30 2 * * *", "Europe/Paris"), "2026-10-23T12:00:00Z", 3),
            (Strings{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}));
  // From inside the second pass of the hour (02:10 CET), the repeated 02:30 is already past.
  EXPECT_EQ(next("30 2 * * *", "2026-10-25T01:10:00Z", "Europe/Paris"), "2026-10-26T01:30:00Z");
  EXPECT_EQ(firings(cron("30 * * * *", "Europe/Paris"), "2026-10-24T23:00:00Z", 4),
            (Strings{"2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z",
                     "2026-10-25T03:30:00Z"}));
}

TEST(TimeZones, ParisChangeDaysCountEachLocalQuarterHourOnce) {
  Schedule schedule = cron("*/15 * * * *", "Europe/Paris");
  auto count_local_day = [&](const std::string& from, const std::string& to) {
    int count = 0;
    for (auto time = schedule.next_after(utc(from)); time <= utc(to);
         time = schedule.next_after(time))
      ++count;
    return count;
  };
  // Local midnight to midnight: 23 hours in March, 25 in October of which one repeats.
  EXPECT_EQ(count_local_day("2026-03-28T22:59:59Z", "2026-03-29T21:59:59Z"), 23 * 4);
  EXPECT_EQ(count_local_day("2026-10-24T21:59:59Z", "2026-10-25T22:59:59Z"), 24 * 4);
}

TEST(TimeZones, NewYorkWeekdayMorningsAcrossItsSpringForward) {
  // 2026-03-08 (a Sunday): 02:00 EST becomes 03:00 EDT. 09:00 is 14:00 UTC before, 13:00 after.
  EXPECT_EQ(firings(cron("0 9 * * 1-5", "America/New_York"), "2026-03-05T15:00:00Z", 3),
            (Strings{"2026-03-06T14:00:00Z", "2026-03-09T13:00:00Z", "2026-03-10T13:00:00Z"}));
  EXPECT_EQ(next("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York"), "2026-03-08T07:00:00Z");
  EXPECT_EQ(next("30 2 * * *", "2026-03-08T07:00:00Z", "America/New_York"), "2026-03-09T06:30:00Z");
  // 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 fires at its EDT occurrence.
  EXPECT_EQ(firings(cron("30 1 * * *", "America/New_York"), "2026-10-31T12:00:00Z", 2),
            (Strings{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}));
}

}  // namespace
}  // namespace hub
