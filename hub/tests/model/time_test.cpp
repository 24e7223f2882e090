// normalize_time: every provider time to UTC "YYYY-MM-DDTHH:MM:SS[.fraction]Z", or a refusal that
// names the text.
#include "hub/model/time.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

// The normalized text, or the error message prefixed with "error: ".
std::string normalized(std::string_view text) {
  auto result = normalize_time(text);
  if (auto* error = std::get_if<TimeError>(&result))
    return "error: " + error->message;
  return std::get<std::string>(result);
}

::testing::AssertionResult refused(std::string_view text, std::string_view fragment) {
  auto result = normalize_time(text);
  auto* error = std::get_if<TimeError>(&result);
  if (!error)
    return ::testing::AssertionFailure() << "accepted as " << std::get<0>(result);
  if (error->message.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "message '" << error->message << "' lacks '" << fragment << "'";
  }
  return ::testing::AssertionSuccess();
}

TEST(NormalizeTime, PositiveColonOffsetIsShiftedToUtcZ) {
  EXPECT_EQ(normalized("2026-03-01T09:30:00+01:00"), "2026-03-01T08:30:00Z");
}

TEST(NormalizeTime, NegativeOffsetIsShiftedForwards) {
  EXPECT_EQ(normalized("2026-03-01T21:15:00-05:00"), "2026-03-02T02:15:00Z");
}

TEST(NormalizeTime, OffsetThatCrossesMidnightChangesTheDate) {
  EXPECT_EQ(normalized("2026-03-01T00:30:00+01:00"), "2026-02-28T23:30:00Z");
}

TEST(NormalizeTime, OffsetWithoutColonIsAccepted) {
  EXPECT_EQ(normalized("2026-03-01T09:30:00+0000"), "2026-03-01T09:30:00Z");
  EXPECT_EQ(normalized("2026-03-01T09:30:00+0130"), "2026-03-01T08:00:00Z");
}

TEST(NormalizeTime, ZuluAndSpaceSeparatorAreAccepted) {
  EXPECT_EQ(normalized("2026-03-01T09:30:00Z"), "2026-03-01T09:30:00Z");
  EXPECT_EQ(normalized("2026-03-01 09:30:00Z"), "2026-03-01T09:30:00Z");
}

TEST(NormalizeTime, FractionOfASecondKeepsThePrecisionItWasSentWith) {
  EXPECT_EQ(normalized("2026-03-01T09:30:00.25Z"), "2026-03-01T09:30:00.250Z");
  EXPECT_EQ(normalized("2026-03-01T09:30:00.250+01:00"), "2026-03-01T08:30:00.250Z");
  // The precision it was sent with (issue 15): nothing cut.
  EXPECT_EQ(normalized("2026-03-01T09:30:00.123456789Z"), "2026-03-01T09:30:00.123456789Z");
  EXPECT_EQ(normalized("2026-03-01T09:30:00.1234+01:00"), "2026-03-01T08:30:00.123400Z");
}

TEST(NormalizeTime, ZeroFractionIsDropped) {
  EXPECT_EQ(normalized("2026-03-01T09:30:00.000Z"), "2026-03-01T09:30:00Z");
}

TEST(NormalizeTime, DateStaysADate) {
  EXPECT_EQ(normalized("2026-03-01"), "2026-03-01");
}

TEST(NormalizeTime, EpochSecondsBecomeUtc) {
  EXPECT_EQ(normalized("1767225600"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(normalized("0"), "1970-01-01T00:00:00Z");
}

TEST(NormalizeTime, TimeWithoutOffsetIsRefusedNamingIt) {
  EXPECT_TRUE(refused("2026-03-01T09:30:00", "'2026-03-01T09:30:00'"));
  EXPECT_TRUE(refused("2026-03-01T09:30:00", "no offset"));
}

TEST(NormalizeTime, ImpossibleCalendarDateIsRefused) {
  EXPECT_TRUE(refused("2026-02-30", "'2026-02-30' is not a calendar date"));
  EXPECT_TRUE(refused("2026-02-30T10:00:00Z", "is not a calendar date"));
  EXPECT_TRUE(refused("2026-13-01", "is not a calendar date"));
}

TEST(NormalizeTime, HourOutOfRangeIsRefused) {
  EXPECT_TRUE(refused("2026-03-01T24:00:00Z", "out of range"));
  EXPECT_TRUE(refused("2026-03-01T10:60:00Z", "out of range"));
}

TEST(NormalizeTime, MalformedTextIsRefusedSayingWhatWasExpected) {
  EXPECT_TRUE(refused("", "expected RFC 3339"));
  EXPECT_TRUE(refused("yesterday", "'yesterday' is not a time"));
  EXPECT_TRUE(refused("2026-03-01T09:30:00+1", "offset"));
  EXPECT_TRUE(refused("123456789012", "too many digits"));
}

TEST(FormatUtc, DropsSubsecondsAndEndsInZ) {
  using namespace std::chrono;
  auto time = sys_days{year{2026} / 3 / 1} + hours{8} + minutes{30} + milliseconds{999};
  EXPECT_EQ(format_utc(time), "2026-03-01T08:30:00Z");
}

}  // namespace
// Stored provider times compare by their value: a fraction by what it means, not its digits;
// a date as its midnight; a text that is not a time is never earlier.
TEST(EarlierUtc, ComparesInstantsNotTexts) {
  EXPECT_TRUE(earlier_utc("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.250Z"));
  EXPECT_FALSE(earlier_utc("2026-03-01T10:00:00.250Z", "2026-03-01T10:00:00Z"));
  EXPECT_TRUE(earlier_utc("2026-03-01T10:00:00.25Z", "2026-03-01T10:00:00.250001Z"));
  EXPECT_FALSE(earlier_utc("2026-03-01T10:00:00.500Z", "2026-03-01T10:00:00.5Z"));
  EXPECT_TRUE(earlier_utc("2026-02-28", "2026-03-01T00:00:00Z"));
  EXPECT_FALSE(earlier_utc("2026-03-01", "2026-03-01T00:00:00Z"));
  EXPECT_FALSE(earlier_utc("soon", "2026-03-01T00:00:00Z"));
  EXPECT_FALSE(earlier_utc("2026-03-01T00:00:00Z", "later"));
}

}  // namespace hub
