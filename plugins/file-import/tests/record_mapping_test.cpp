#include "plugins/file-import/record_mapping.h"

#include <string>
#include <vector>

#include <algorithm>

#include <gtest/gtest.h>

namespace file_import {
namespace {

TEST(ParseNumber, PlainDecimalNumbers) {
  EXPECT_EQ(parse_number("1200"), 1200.0);
  EXPECT_EQ(parse_number(" -3.5 "), -3.5);
  EXPECT_EQ(parse_number("+7"), 7.0);
  EXPECT_EQ(parse_number("1e3"), 1000.0);
}

TEST(ParseNumber, AnythingElseIsNotGuessed) {
  for (const char* text :
       {"", " ", "12k", "1,200", "1 200", "€300", "45%", "nan", "inf", "0x10", "1.2.3", "++1"}) {
    EXPECT_EQ(parse_number(text), std::nullopt) << text;
  }
}

TEST(ParseCount, WholeNumbersIncludingSpreadsheetDecimals) {
  EXPECT_EQ(parse_count("12"), 12);
  EXPECT_EQ(parse_count("12.0"), 12);
  EXPECT_EQ(parse_count(" 9223372036854775807 "), INT64_MAX);
  EXPECT_EQ(parse_count("12.5"), std::nullopt);
  EXPECT_EQ(parse_count("1e30"), std::nullopt);
  EXPECT_EQ(parse_count("twelve"), std::nullopt);
}

TEST(SameColumn, IgnoresCaseOuterSpacesAndSeparators) {
  EXPECT_TRUE(same_column("Contact email", "contact_email"));
  EXPECT_TRUE(same_column(" External-ID ", "external_id"));
  EXPECT_TRUE(same_column("STATUS", "status"));
  EXPECT_FALSE(same_column("Contact e-mail", "contact_email"));
  EXPECT_FALSE(same_column("Status (raw)", "status"));
}

TEST(FieldNames, FollowTheRecords) {
  const auto campaign = field_names(Entity::campaign);
  EXPECT_EQ(campaign.front(), "external_id");
  EXPECT_EQ(campaign.size(), 20u);
  EXPECT_NE(std::find(campaign.begin(), campaign.end(), "currency"), campaign.end());
  const auto opportunity = field_names(Entity::opportunity);
  EXPECT_EQ(opportunity.front(), "external_id");
  EXPECT_EQ(opportunity.size(), 18u);
  for (std::string_view seed :
       {"summary", "country", "readiness_level", "attachment_count", "owner"})
    EXPECT_NE(std::find(opportunity.begin(), opportunity.end(), seed), opportunity.end()) << seed;
}

TEST(MakeOpportunity, FillsFieldsByTypeAndReportsBadNumbers) {
  const auto names = field_names(Entity::opportunity);
  std::vector<FieldText> fields(names.size());
  auto set = [&](std::string_view field, std::string_view column, std::string_view text) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == field) {
        fields[i] = {column, text};
      }
    }
  };
  set("external_id", "ID", "O-1");
  set("title", "Title", "");
  set("amount", "Amount", "about 5k");
  set("probability", "Prob", " 60 ");
  std::vector<std::string> reports;

  const auto opportunity = make_opportunity(
      fields, "{}", [&](std::string_view field, std::string_view column, std::string_view text) {
        reports.push_back(std::string(field) + "/" + std::string(column) + "/" + std::string(text));
      });

  EXPECT_EQ(opportunity.external_id, "O-1");
  EXPECT_EQ(opportunity.title, std::nullopt);  // an empty cell is no value
  EXPECT_EQ(opportunity.amount, std::nullopt);
  EXPECT_EQ(opportunity.probability, 60.0);
  EXPECT_EQ(opportunity.raw, "{}");
  EXPECT_EQ(reports, (std::vector<std::string>{"amount/Amount/about 5k"}));
}

}  // namespace
}  // namespace file_import
