// The status table: the order of its layers, its match modes, and what it never guesses.
#include <gtest/gtest.h>

#include "hub/normalize/status_table.h"

namespace hub {
namespace {

using Match = StatusTable::Match;

TEST(StatusTable, ExactEntryWinsOverALooserOneForTheSameText) {
  StatusTable table;
  table.add("opportunity", "Closed", "closed", Match::case_insensitive);
  table.add("opportunity", "CLOSED", "won");
  EXPECT_EQ(table.find("opportunity", "CLOSED"), "won");
  EXPECT_EQ(table.find("opportunity", "closed"), "closed");
  EXPECT_EQ(table.find("opportunity", "Closed"), "closed");
}

TEST(StatusTable, ALaterEntryForTheSameTextReplacesTheEarlierOne) {
  StatusTable table;
  table.add("campaign", "Closed", "completed").add("campaign", "Closed", "cancelled");
  EXPECT_EQ(table.find("campaign", "Closed"), "cancelled");
  EXPECT_EQ(table.size(), 1u);
}

TEST(StatusTable, EachMatchModeFoldsOnlyWhatItSays) {
  StatusTable table;
  table.add("campaign", "Terminée", "completed", Match::case_insensitive);
  table.add("campaign", "Prêt à tester", "testing", Match::accent_insensitive);
  EXPECT_EQ(table.find("campaign", "TERMINÉE"), "completed");
  EXPECT_EQ(table.find("campaign", "Terminee"), std::nullopt);  // an accent is not case
  EXPECT_EQ(table.find("campaign", "pret  a tester"), "testing");
  EXPECT_EQ(table.find("campaign", "Prêt à tester "), "testing");
}

TEST(StatusTable, MissingStatusMapsOnlyThroughWhenMissing) {
  StatusTable table;
  table.add("step", "sent", "done");
  EXPECT_EQ(table.find("step", std::nullopt), std::nullopt);
  table.when_missing("step", "pending");
  EXPECT_EQ(table.find("step", std::nullopt), "pending");
  // A provider word that reads "null" is a word, not a missing status.
  EXPECT_EQ(table.find("step", "null"), std::nullopt);
}

TEST(StatusTable, EntitiesAreKeptApart) {
  StatusTable table;
  table.add("campaign", "Live", "active");
  EXPECT_EQ(table.find("opportunity", "Live"), std::nullopt);
  EXPECT_EQ(table.find("metrics", std::nullopt), std::nullopt);
}

}  // namespace
}  // namespace hub
