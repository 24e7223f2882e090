#include <gtest/gtest.h>

#include "plugins/connect-scouting/feed_cursor.h"

namespace connect_scouting {
namespace {

using connectors::time::parse_rfc3339;

TEST(FeedCursor, FirstSyncHasNoUpdatedSince) {
  auto cursor = FeedCursor::parse("campaigns", std::nullopt);
  EXPECT_TRUE(cursor.empty());
  EXPECT_FALSE(cursor.updated_since().has_value());
  EXPECT_FALSE(cursor.seen(*parse_rfc3339("2026-03-01T08:30:00Z"), "c1"));
}

TEST(FeedCursor, RoundTripsAndStepsBackOneSecond) {
  auto cursor = FeedCursor::parse(
      "campaigns", R"({"updated_at":"2026-03-01T09:30:00+01:00","ids":["c1","c2"]})");
  EXPECT_EQ(cursor.updated_since(), "2026-03-01T08:29:59Z");
  EXPECT_EQ(cursor.text(), R"({"updated_at":"2026-03-01T09:30:00+01:00","ids":["c1","c2"]})");
  auto at = *parse_rfc3339("2026-03-01T08:30:00Z");
  EXPECT_TRUE(cursor.seen(at, "c1"));
  EXPECT_FALSE(cursor.seen(at, "c3"));
  EXPECT_TRUE(cursor.seen(*parse_rfc3339("2026-03-01T08:29:59.5Z"), "c9"));
  EXPECT_FALSE(cursor.seen(*parse_rfc3339("2026-03-01T08:30:01Z"), "c1"));
}

TEST(FeedCursor, StepsBackOneSecondKeepingTheFractionToTheNanosecond) {
  auto cursor = FeedCursor::parse("campaigns", "2026-03-01T09:30:00.123456789+01:00");
  EXPECT_EQ(cursor.updated_since(), "2026-03-01T08:29:59.123456789Z");
  EXPECT_TRUE(cursor.seen(*parse_rfc3339("2026-03-01T08:30:00.123456788Z"), "c1"));
  EXPECT_FALSE(cursor.seen(*parse_rfc3339("2026-03-01T08:30:00.12345679Z"), "c1"));
}

TEST(FeedCursor, AdvanceKeepsOnlyTheIdsOfTheLatestInstant) {
  FeedCursor cursor;
  cursor.advance(*parse_rfc3339("2026-03-01T08:30:00Z"), "2026-03-01T08:30:00Z", "a");
  cursor.advance(*parse_rfc3339("2026-03-01T09:30:00+01:00"), "2026-03-01T09:30:00+01:00", "b");
  EXPECT_EQ(cursor.text(), R"({"updated_at":"2026-03-01T08:30:00Z","ids":["a","b"]})");
  cursor.advance(*parse_rfc3339("2026-03-01T08:30:01Z"), "2026-03-01T08:30:01Z", "c");
  EXPECT_EQ(cursor.text(), R"({"updated_at":"2026-03-01T08:30:01Z","ids":["c"]})");
  cursor.advance(*parse_rfc3339("2026-03-01T08:00:00Z"), "2026-03-01T08:00:00Z", "d");
  EXPECT_EQ(cursor.text(), R"({"updated_at":"2026-03-01T08:30:01Z","ids":["c"]})");
}

TEST(FeedCursor, BadSavedTextNamesTheStreamAndTheWayOut) {
  for (const char* bad : {"{", R"({"ids": []})", R"({"updated_at": "soon"})",
                          R"({"updated_at": "2026-03-01T08:30:00Z", "ids": [1]})", "yesterday"}) {
    try {
      FeedCursor::parse("opportunities", std::string(bad));
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& error) {
      std::string message = error.what();
      EXPECT_NE(message.find("stream opportunities"), std::string::npos) << message;
      EXPECT_NE(message.find("--full-refresh"), std::string::npos) << message;
    }
  }
}

}  // namespace
}  // namespace connect_scouting
