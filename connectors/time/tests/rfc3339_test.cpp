// read_time and format_utc: provider times in, the hub's UTC form out.
#include "connectors/time/rfc3339.h"

#include <gtest/gtest.h>

namespace connectors::time {
namespace {

using namespace std::chrono;

// The hub's form of what `text` reads as; "refused" when it does not read.
std::string read(std::string_view text) {
  TimeRead result = read_time(text);
  if (const auto* instant = std::get_if<Instant>(&result))
    return format_utc(*instant);
  if (const auto* date = std::get_if<year_month_day>(&result))
    return format_date(*date);
  return "refused";
}

Instant at(sys_seconds seconds, nanoseconds fraction = {}) {
  return Instant{seconds, fraction};
}

constexpr sys_seconds k2026 = sys_days{year{2026} / 1 / 1};

TEST(ReadTime, OffsetsAreShiftedToUtc) {
  EXPECT_EQ(read("2026-03-01T09:30:00+01:00"), "2026-03-01T08:30:00Z");
  EXPECT_EQ(read("2026-03-01T21:15:00-05:00"), "2026-03-02T02:15:00Z");
  EXPECT_EQ(read("2026-03-01T00:30:00-05:30"), "2026-03-01T06:00:00Z");
  EXPECT_EQ(read("2026-03-01T09:30:00+0130"), "2026-03-01T08:00:00Z");
}

TEST(ReadTime, LowerCaseTAndZAndASpaceAreAccepted) {
  EXPECT_EQ(read("2026-03-01t09:30:00z"), "2026-03-01T09:30:00Z");
  EXPECT_EQ(read("2026-03-01 09:30:00Z"), "2026-03-01T09:30:00Z");
  EXPECT_EQ(read("2026-03-01T09:30Z"), "2026-03-01T09:30:00Z");  // no seconds
}

TEST(ReadTime, FractionIsKeptToTheNanosecond) {
  EXPECT_EQ(read_time("2026-01-01T00:00:00.123456789Z"),
            TimeRead{at(k2026, nanoseconds{123'456'789})});
  EXPECT_EQ(read("2026-01-01T00:00:00.123456789Z"), "2026-01-01T00:00:00.123456789Z");
  EXPECT_EQ(read("2026-01-01T00:00:00,5+01:00"), "2025-12-31T23:00:00.500Z");
  EXPECT_EQ(read("2026-01-01T00:00:00.0000012Z"), "2026-01-01T00:00:00.000001200Z");
  // Past the ninth digit nothing is kept.
  EXPECT_EQ(read("2026-01-01T00:00:00.1234567891Z"), "2026-01-01T00:00:00.123456789Z");
}

TEST(ReadTime, DateAloneStaysADate) {
  EXPECT_EQ(read_time("2026-03-01"), TimeRead{year_month_day{year{2026} / 3 / 1}});
}

TEST(ReadTime, EpochSecondsAreAnInstant) {
  EXPECT_EQ(read_time("1767225600"), TimeRead{at(k2026)});
  EXPECT_EQ(read("0"), "1970-01-01T00:00:00Z");
  EXPECT_EQ(read("99999999999"), "5138-11-16T09:46:39Z");
  EXPECT_EQ(read("123456789012"), "refused");
}

TEST(ReadTime, LeapSecondStaysInItsMinute) {
  EXPECT_EQ(read("2016-12-31T23:59:60.5Z"), "2016-12-31T23:59:59.500Z");
}

TEST(ReadTime, RefusalsSayWhatIsWrong) {
  const auto problem = [](std::string_view text) -> std::optional<TimeProblem> {
    TimeRead result = read_time(text);
    if (const auto* refused = std::get_if<TimeProblem>(&result))
      return *refused;
    return std::nullopt;
  };
  EXPECT_EQ(problem(""), TimeProblem::not_a_time);
  EXPECT_EQ(problem("yesterday"), TimeProblem::not_a_time);
  EXPECT_EQ(problem("2026-03-01T09:30:00.Z"), TimeProblem::not_a_time);
  EXPECT_EQ(problem("2026-03-01T09:30:00Zjunk"), TimeProblem::not_a_time);
  EXPECT_EQ(problem("123456789012"), TimeProblem::too_many_digits);
  EXPECT_EQ(problem("2026-02-30"), TimeProblem::not_a_calendar_date);
  EXPECT_EQ(problem("2026-13-01T00:00:00Z"), TimeProblem::not_a_calendar_date);
  EXPECT_EQ(problem("2026-03-01T24:00:00Z"), TimeProblem::time_of_day_out_of_range);
  EXPECT_EQ(problem("2026-03-01T09:30:00+1"), TimeProblem::offset_not_hh_mm);
  EXPECT_EQ(problem("2026-03-01T09:30:00+24:00"), TimeProblem::offset_not_hh_mm);
  EXPECT_EQ(problem("2026-03-01T09:30:00"), TimeProblem::no_offset);
}

TEST(ParseRfc3339, OffsetsGiveTheSameInstant) {
  EXPECT_EQ(parse_rfc3339("2026-03-01T09:30:00+01:00"), parse_rfc3339("2026-03-01T08:30:00Z"));
  EXPECT_LT(*parse_rfc3339("2026-03-01T08:29:59.999999999Z"),
            *parse_rfc3339("2026-03-01T09:30:00+01:00"));
}

TEST(ParseRfc3339, OnlyADateTime) {
  EXPECT_EQ(parse_rfc3339("2026-03-01"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("1767225600"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2026-03-01T09:30:00"), std::nullopt);
}

TEST(ParseUtcOffset, HoursAndMinutesWithOrWithoutAColon) {
  EXPECT_EQ(parse_utc_offset("+05:30"), minutes{330});
  EXPECT_EQ(parse_utc_offset("-0500"), minutes{-300});
  EXPECT_EQ(parse_utc_offset("Z"), std::nullopt);
  EXPECT_EQ(parse_utc_offset("+5:30"), std::nullopt);
  EXPECT_EQ(parse_utc_offset(""), std::nullopt);
}

TEST(FormatUtc, FractionInTheFewestGroupsOfThreeDigits) {
  EXPECT_EQ(format_utc(at(k2026)), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(at(k2026, milliseconds{250})), "2026-01-01T00:00:00.250Z");
  EXPECT_EQ(format_utc(at(k2026, microseconds{250'001})), "2026-01-01T00:00:00.250001Z");
  EXPECT_EQ(format_utc(at(k2026, nanoseconds{1})), "2026-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_utc(at(k2026 - seconds{1})), "2025-12-31T23:59:59Z");
}

}  // namespace
}  // namespace connectors::time
