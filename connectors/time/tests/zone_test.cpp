// Zone: wall-clock times to UTC and back, on the system's tzdata.
#include "connectors/time/zone.h"

#include <gtest/gtest.h>

#include "connectors/time/rfc3339.h"

namespace connectors::time {
namespace {

using namespace std::chrono;

Zone zone(std::string_view name) {
  auto found = Zone::named(name);
  EXPECT_TRUE(found) << name;
  return found.value_or(*Zone::named("UTC"));
}

// A wall-clock "YYYY-MM-DD HH:MM" in `name` to the hub's UTC form.
std::string utc_of(std::string_view name, year_month_day date, hours h, minutes m = {}) {
  local_seconds local{(sys_days{date} + h + m).time_since_epoch()};
  return format_utc(Instant{zone(name).to_utc(local)});
}

TEST(Zone, ParisSpringGapReadsWithTheStandardOffset) {
  constexpr auto day = year{2026} / March / 29;  // 02:00 -> 03:00
  EXPECT_EQ(utc_of("Europe/Paris", day, hours{1}, minutes{59}), "2026-03-29T00:59:00Z");
  EXPECT_EQ(utc_of("Europe/Paris", day, hours{2}, minutes{30}), "2026-03-29T01:30:00Z");
  EXPECT_EQ(utc_of("Europe/Paris", day, hours{3}), "2026-03-29T01:00:00Z");
}

TEST(Zone, ParisAutumnRepeatReadsAsTheFirstOccurrence) {
  constexpr auto day = year{2026} / October / 25;  // 03:00 -> 02:00
  EXPECT_EQ(utc_of("Europe/Paris", day, hours{2}, minutes{30}), "2026-10-25T00:30:00Z");
  EXPECT_EQ(utc_of("Europe/Paris", day, hours{3}), "2026-10-25T02:00:00Z");
}

TEST(Zone, ZonesBeyondEuropeAndTheUnitedStates) {
  // Sydney's summer is in January (+11:00), its winter in July (+10:00).
  EXPECT_EQ(utc_of("Australia/Sydney", year{2026} / 1 / 15, hours{9}), "2026-01-14T22:00:00Z");
  EXPECT_EQ(utc_of("Australia/Sydney", year{2026} / 7 / 15, hours{9}), "2026-07-14T23:00:00Z");
  EXPECT_EQ(utc_of("Asia/Kolkata", year{2026} / 7 / 1, hours{12}), "2026-07-01T06:30:00Z");
}

TEST(Zone, FixedOffsetsAndUtc) {
  EXPECT_EQ(utc_of("+05:30", year{2026} / 7 / 1, hours{12}), "2026-07-01T06:30:00Z");
  EXPECT_EQ(utc_of("-05:00", year{2026} / 7 / 1, hours{12}), "2026-07-01T17:00:00Z");
  EXPECT_EQ(utc_of("UTC", year{2026} / 7 / 1, hours{12}), "2026-07-01T12:00:00Z");
  EXPECT_EQ(zone("Europe/Paris").name(), "Europe/Paris");
}

TEST(Zone, ToLocalFollowsSummerTime) {
  const sys_seconds winter = sys_days{year{2026} / 1 / 15} + hours{12};
  const sys_seconds summer = sys_days{year{2026} / 7 / 15} + hours{12};
  EXPECT_EQ(zone("America/New_York").to_local(winter).time_since_epoch(),
            (winter - hours{5}).time_since_epoch());
  EXPECT_EQ(zone("America/New_York").to_local(summer).time_since_epoch(),
            (summer - hours{4}).time_since_epoch());
  EXPECT_EQ(zone("+01:00").to_local(summer).time_since_epoch(),
            (summer + hours{1}).time_since_epoch());
}

TEST(Zone, UnknownNamesAreNothing) {
  EXPECT_FALSE(Zone::named("Mars/Olympus"));
  EXPECT_FALSE(Zone::named("Europe/Pariss"));
  EXPECT_FALSE(Zone::named(""));
  EXPECT_FALSE(Zone::named("../../etc/passwd"));
}

}  // namespace
}  // namespace connectors::time
