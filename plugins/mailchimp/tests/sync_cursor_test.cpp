#include "plugins/mailchimp/sync_cursor.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mailchimp {
namespace {

TEST(SyncCursorTest, AFirstSyncHasNoPassAndNothingKnown) {
  auto cursor = SyncCursor::parse(std::nullopt);
  EXPECT_EQ(cursor.resume_offset(), std::nullopt);
  cursor.start_pass();
  EXPECT_EQ(cursor.pass(), 1);
  EXPECT_EQ(cursor.resume_offset(), 0);
  EXPECT_EQ(cursor.fingerprint("a"), std::nullopt);
}

TEST(SyncCursorTest, RoundTripsAnUnfinishedPass) {
  auto cursor = SyncCursor::parse(std::nullopt);
  cursor.start_pass();
  cursor.remember("a", "f1");
  cursor.set_offset(5);
  const std::string json = cursor.to_json();
  EXPECT_EQ(json, R"({"version":1,"pass":1,"offset":5,"campaigns":{"a":["f1",1]}})");
  const auto again = SyncCursor::parse(json);
  EXPECT_EQ(again.resume_offset(), 5);
  EXPECT_EQ(again.pass(), 1);
  EXPECT_EQ(again.fingerprint("a"), "f1");
}

TEST(SyncCursorTest, CampaignsNotListedByThisPassAreNamed) {
  auto cursor =
      SyncCursor::parse(R"({"version":1,"pass":1,"campaigns":{"a":["f",1],"b":["f",1]}})");
  cursor.start_pass();
  cursor.remember("a", "g");
  EXPECT_EQ(cursor.unlisted(), std::vector<std::string>{"b"});
  EXPECT_EQ(cursor.listed(), 1);
  cursor.forget("b");
  cursor.end_pass();
  EXPECT_EQ(cursor.to_json(), R"({"version":1,"pass":2,"campaigns":{"a":["g",2]}})");
}

TEST(SyncCursorTest, ACursorOfAnotherShapeSaysHowToRecover) {
  for (const char* bad :
       {"{", "[]", R"({"version":2,"pass":1,"campaigns":{}})", R"({"version":1,"campaigns":{}})",
        R"({"version":1,"pass":1,"campaigns":{"a":"f"}})"}) {
    try {
      SyncCursor::parse(std::string(bad));
      FAIL() << bad;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("--full-refresh"), std::string::npos) << bad;
    }
  }
}

}  // namespace
}  // namespace mailchimp
