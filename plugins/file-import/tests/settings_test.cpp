#include "plugins/file-import/settings.h"

#include <string>

#include <gtest/gtest.h>

#include "plugins/file-import/folder.h"

namespace file_import {
namespace {

std::string error_of(const std::string& json) {
  try {
    parse_settings(json);
  } catch (const SettingsError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no SettingsError for " << json;
  return {};
}

TEST(Settings, OnlyTheFolderIsRequired) {
  const auto settings = parse_settings(R"({"folder":"in"})");
  EXPECT_EQ(settings.folder, "in");
  EXPECT_EQ(settings.patterns, (std::vector<std::string>{"*.csv", "*.ndjson", "*.jsonl"}));
  EXPECT_TRUE(settings.files.empty());
  EXPECT_TRUE(settings.campaign_columns.empty());
  EXPECT_EQ(settings.delimiter, ',');
  EXPECT_EQ(settings.kind, "partner");
}

TEST(Settings, EverySetting) {
  const auto settings = parse_settings(R"({
    "folder": "/srv/drop",
    "pattern": ["export-*.txt"],
    "files": [{"match": "export-leads*", "entity": "opportunity"}],
    "columns": {"campaign": {"external_id": "Ref"}, "opportunity": {"amount": "Montant"}},
    "delimiter": "\t",
    "kind": "scouting"
  })");
  EXPECT_EQ(settings.patterns, (std::vector<std::string>{"export-*.txt"}));
  ASSERT_EQ(settings.files.size(), 1u);
  EXPECT_EQ(settings.files[0].match, "export-leads*");
  EXPECT_EQ(settings.files[0].entity, Entity::opportunity);
  EXPECT_EQ(settings.columns(Entity::campaign), (ColumnMap{{"external_id", "Ref"}}));
  EXPECT_EQ(settings.columns(Entity::opportunity), (ColumnMap{{"amount", "Montant"}}));
  EXPECT_EQ(settings.delimiter, '\t');
  EXPECT_EQ(settings.kind, "scouting");
}

TEST(Settings, PatternMayBeOneString) {
  EXPECT_EQ(parse_settings(R"({"folder":"in","pattern":"*.tsv"})").patterns,
            (std::vector<std::string>{"*.tsv"}));
}

TEST(Settings, ErrorsNameTheSettingAndTheRule) {
  EXPECT_EQ(error_of("{}"), R"(settings: missing required property "folder" (required))");
  EXPECT_EQ(error_of("[]"), "settings: must be an object, not an array (type)");
  EXPECT_EQ(error_of(R"({"folder":"in",)"),
            "settings: not valid JSON at offset 15: Missing a name for object member.");
  EXPECT_EQ(error_of(R"({"folder":"in","colums":{}})"),
            "settings/colums: unknown property \"colums\"; known properties: folder, pattern, "
            "files, columns, delimiter, kind (additionalProperties)");
  EXPECT_EQ(error_of(R"({"folder":"in","columns":{"campaign":{"nmae":"Name"}}})")
                .rfind("settings/columns/campaign/nmae: unknown property \"nmae\"; known "
                       "properties: external_id, name, kind,",
                       0),
            0u);
  EXPECT_EQ(error_of(R"({"folder":"in","columns":{"lead":{}}})"),
            "settings/columns/lead: unknown property \"lead\"; known properties: campaign, "
            "opportunity (additionalProperties)");
  EXPECT_EQ(error_of(R"({"folder":"in","files":[{"match":"x*","entity":"lead"}]})"),
            "settings/files/0/entity: must be one of \"campaign\", \"opportunity\", not \"lead\" "
            "(enum)");
  EXPECT_EQ(error_of(R"({"folder":"in","delimiter":";;"})"),
            "settings/delimiter: must be at most 1 characters long (maxLength)");
  EXPECT_EQ(error_of(R"({"folder":"in","delimiter":"\""})"),
            "settings/delimiter: must not be a quote or a line end (CSV delimiter)");
  EXPECT_EQ(error_of(R"({"folder":"in","kind":"webinar"})"),
            "settings/kind: must be one of \"scouting\", \"email\", \"partner\", \"task\", "
            "\"multichannel\", not \"webinar\" (enum)");
  EXPECT_EQ(error_of(R"({"folder":"in","pattern":[]})").rfind("settings/pattern: ", 0), 0u);
}

TEST(GlobMatch, StarQuestionMarkAndCase) {
  EXPECT_TRUE(glob_match("*.csv", "campaigns.csv"));
  EXPECT_TRUE(glob_match("*.csv", "Campaigns.CSV"));
  EXPECT_TRUE(glob_match("campaigns-????.csv", "campaigns-2026.csv"));
  EXPECT_TRUE(glob_match("*-*-*.csv", "a-b-c.csv"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("*.csv", "campaigns.csv.bak"));
  EXPECT_FALSE(glob_match("campaigns-????.csv", "campaigns-26.csv"));
}

TEST(FileRules, FormatComesFromTheExtension) {
  EXPECT_EQ(format_for("a.ndjson"), FileFormat::ndjson);
  EXPECT_EQ(format_for("a.JSONL"), FileFormat::ndjson);
  EXPECT_EQ(format_for("a.csv"), FileFormat::csv);
  EXPECT_EQ(format_for("a.tsv"), FileFormat::csv);
}

TEST(FileRules, EntityFromFilesRulesThenTheNamesStart) {
  const auto settings = parse_settings(
      R"({"folder":"in","files":[{"match":"campaign-leads*","entity":"opportunity"}]})");
  EXPECT_EQ(entity_for("campaign-leads.csv", settings), Entity::opportunity);
  EXPECT_EQ(entity_for("campaigns.csv", settings), Entity::campaign);
  EXPECT_EQ(entity_for("Campaign_list.csv", settings), Entity::campaign);
  EXPECT_EQ(entity_for("opportunities.csv", settings), Entity::opportunity);
  EXPECT_EQ(entity_for("Opportunity export.ndjson", settings), Entity::opportunity);
  EXPECT_EQ(entity_for("deals.csv", settings), std::nullopt);
}

}  // namespace
}  // namespace file_import
