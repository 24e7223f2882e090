// Provider times in explicit formats and zones, to the hub's UTC form.
#include "plugins/rest-json/times.h"

#include <gtest/gtest.h>

namespace rest_json {
namespace {

TimeFormat format(std::string_view text) {
  std::string error;
  auto parsed = TimeFormat::parse(text, error);
  EXPECT_TRUE(parsed) << error;
  return *parsed;
}

const Zone kParis = *Zone::named("Europe/Paris");
const Zone kNewYork = *Zone::named("America/New_York");

TEST(TimeFormatTest, UsDateIsADate) {
  EXPECT_EQ(format("MM/DD/YYYY").read("03/14/2026", nullptr), "2026-03-14");
  EXPECT_EQ(format("MM/DD/YYYY").read("14/03/2026", nullptr), std::nullopt);  // month 14
  EXPECT_EQ(format("MM/DD/YYYY").read("02/30/2026", nullptr), std::nullopt);  // no such day
  EXPECT_EQ(format("MM/DD/YYYY").read("3/14/2026", nullptr), std::nullopt);   // two digits
}

TEST(TimeFormatTest, FrenchWinterTimeIsOneHourAheadOfUtc) {
  EXPECT_EQ(format("DD/MM/YYYY HH:MM").read("02/03/2026 09:00", &kParis), "2026-03-02T08:00:00Z");
}

TEST(TimeFormatTest, FrenchSummerTimeIsTwoHoursAhead) {
  EXPECT_EQ(format("DD/MM/YYYY HH:MM").read("31/05/2026 18:00", &kParis), "2026-05-31T16:00:00Z");
}

TEST(TimeFormatTest, ParisChangesOnTheLastSundaysOfMarchAndOctober) {
  auto f = format("DD/MM/YYYY HH:MM");
  // 29 March 2026: 02:00 -> 03:00.
  EXPECT_EQ(f.read("29/03/2026 01:59", &kParis), "2026-03-29T00:59:00Z");
  EXPECT_EQ(f.read("29/03/2026 03:00", &kParis), "2026-03-29T01:00:00Z");
  EXPECT_EQ(f.read("29/03/2026 02:30", &kParis), "2026-03-29T01:30:00Z");  // the gap: +01:00
  // 25 October 2026: 03:00 -> 02:00; the repeated hour reads as its first (summer) occurrence.
  EXPECT_EQ(f.read("25/10/2026 01:59", &kParis), "2026-10-24T23:59:00Z");
  EXPECT_EQ(f.read("25/10/2026 02:30", &kParis), "2026-10-25T00:30:00Z");
  EXPECT_EQ(f.read("25/10/2026 03:00", &kParis), "2026-10-25T02:00:00Z");
}

TEST(TimeFormatTest, NewYorkFollowsTheUsRule) {
  auto f = format("MM/DD/YYYY HH:MM");
  EXPECT_EQ(f.read("03/07/2026 12:00", &kNewYork), "2026-03-07T17:00:00Z");  // EST
  EXPECT_EQ(f.read("03/09/2026 12:00", &kNewYork), "2026-03-09T16:00:00Z");  // EDT from 8 March
  EXPECT_EQ(f.read("11/02/2026 12:00", &kNewYork), "2026-11-02T17:00:00Z");  // EST from 1 Nov
}

TEST(TimeFormatTest, Rfc3339ToUtc) {
  auto f = format("rfc3339");
  EXPECT_EQ(f.read("2026-02-10T07:00:00Z", nullptr), "2026-02-10T07:00:00Z");
  EXPECT_EQ(f.read("2026-03-01T09:30:00+01:00", nullptr), "2026-03-01T08:30:00Z");
  EXPECT_EQ(f.read("2026-03-01T09:30:00.250-0500", nullptr), "2026-03-01T14:30:00.250Z");
  EXPECT_EQ(f.read("2026-03-01T09:30:00", nullptr), std::nullopt);  // no offset
  EXPECT_EQ(f.read("2026-03-01", nullptr), std::nullopt);
  EXPECT_EQ(f.read("1767225600", nullptr), std::nullopt);  // epoch seconds are not RFC 3339
}

TEST(TimeFormatTest, FractionOfASecondIsKeptToTheNanosecond) {
  EXPECT_EQ(format("rfc3339").read("2026-03-01T09:30:00.123456789+01:00", nullptr),
            "2026-03-01T08:30:00.123456789Z");
  EXPECT_EQ(read_any_time("2026-03-01T09:30:00.000001Z"), "2026-03-01T09:30:00.000001Z");
}

TEST(TimeFormatTest, EpochSeconds) {
  EXPECT_EQ(format("epoch_seconds").read("1767225600", nullptr), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format("epoch_milliseconds").read("1767225600123", nullptr),
            "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(format("epoch_seconds").read("17672x", nullptr), std::nullopt);
}

TEST(TimeFormatTest, WritesTheCursorInTheZonesWallClock) {
  auto utc = connectors::time::parse_rfc3339("2026-03-04T09:02:00.250Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(format("YYYY-MM-DDTHH:MM:SS").write(*utc, &kParis), "2026-03-04T10:02:00");
  EXPECT_EQ(format("rfc3339").write(*utc, nullptr), "2026-03-04T09:02:00.250Z");
  EXPECT_EQ(format("epoch_seconds").write(*utc, nullptr), "1772614920");
  EXPECT_EQ(format("epoch_milliseconds").write(*utc, nullptr), "1772614920250");
}

TEST(TimeFormatTest, RejectsPatternsWithoutTheWholeDate) {
  std::string error;
  EXPECT_FALSE(TimeFormat::parse("MM/YYYY", error));
  EXPECT_FALSE(TimeFormat::parse("DD/MM/YYYY HH", error));
  EXPECT_FALSE(TimeFormat::parse("DD/MM/YY", error));
}

TEST(TimeFormatTest, AnyIanaZoneOfTheSystemTzdata) {
  auto f = format("DD/MM/YYYY HH:MM");
  const Zone sydney = *Zone::named("Australia/Sydney");
  EXPECT_EQ(f.read("15/01/2026 09:00", &sydney), "2026-01-14T22:00:00Z");  // AEDT, +11:00
  EXPECT_EQ(f.read("15/07/2026 09:00", &sydney), "2026-07-14T23:00:00Z");  // AEST, +10:00
  const Zone kolkata = *Zone::named("Asia/Kolkata");
  EXPECT_EQ(f.read("01/07/2026 12:00", &kolkata), "2026-07-01T06:30:00Z");
}

TEST(ZoneTest, FixedOffsetsAndUtc) {
  auto plus = Zone::named("+05:30");
  ASSERT_TRUE(plus);
  EXPECT_EQ(format("DD/MM/YYYY HH:MM").read("01/07/2026 12:00", &*plus), "2026-07-01T06:30:00Z");
  EXPECT_TRUE(Zone::named("UTC"));
  EXPECT_FALSE(Zone::named("Mars/Olympus"));
}

}  // namespace
}  // namespace rest_json
