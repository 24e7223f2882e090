#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "plugins/file-import/file_import.h"
#include "plugins/file-import/record_mapping.h"

namespace file_import {
namespace {

rapidjson::Document parse_json(const char* text) {
  rapidjson::Document document;
  document.Parse(text);
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

bool schema_accepts(const char* settings) {
  const auto schema_document = parse_json(descriptor.settings_schema);
  const rapidjson::SchemaDocument schema(schema_document);
  rapidjson::SchemaValidator validator(schema);
  auto document = parse_json(settings);
  return document.Accept(validator);
}

TEST(Descriptor, NamesThePlugin) {
  EXPECT_STREQ(descriptor.name, "file-import");
  EXPECT_STREQ(descriptor.kind, "file");
  EXPECT_TRUE(descriptor.capabilities & campaign_hub::capability_check);
}

TEST(Descriptor, StatusMapTargetsOnlyCanonicalStatuses) {
  const std::set<std::string_view> campaign{"draft",  "scheduled", "testing",   "active",
                                            "paused", "completed", "cancelled", "failed"};
  const std::set<std::string_view> opportunity{"active", "on_hold", "won", "closed", "declined"};
  std::set<std::string> seen;
  ASSERT_GT(descriptor.status_map_size, 0u);
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    const auto& entry = descriptor.status_map[i];
    const std::string_view entity = entry.entity;
    const auto& allowed = entity == "campaign" ? campaign : opportunity;
    EXPECT_TRUE(entity == "campaign" || entity == "opportunity") << entity;
    EXPECT_TRUE(allowed.contains(entry.canonical)) << entity << " " << entry.provider;
    EXPECT_TRUE(seen.insert(std::string(entity) + "/" + entry.provider).second)
        << "mapped twice: " << entity << " " << entry.provider;
  }
}

TEST(Descriptor, StatusMapKnowsTheConnectWords) {
  auto canonical = [](std::string_view entity, std::string_view provider) -> std::string {
    for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
      const auto& entry = descriptor.status_map[i];
      if (entity == entry.entity && provider == entry.provider) {
        return entry.canonical;
      }
    }
    return "unmapped";
  };
  EXPECT_EQ(canonical("campaign", "Draft"), "draft");
  EXPECT_EQ(canonical("campaign", "On-going"), "active");
  EXPECT_EQ(canonical("campaign", "Closed"), "completed");
  EXPECT_EQ(canonical("campaign", "cancelled"), "cancelled");
  EXPECT_EQ(canonical("opportunity", "On-hold"), "on_hold");
  EXPECT_EQ(canonical("opportunity", "Declined"), "declined");
  EXPECT_EQ(canonical("opportunity", "Won"), "won");
}

TEST(Descriptor, SchemaAcceptsWhatTheParserAccepts) {
  EXPECT_TRUE(schema_accepts(R"({"folder":"in"})"));
  EXPECT_TRUE(schema_accepts(R"json({
    "folder": "config/demo-data",
    "pattern": ["*.csv"],
    "files": [{"match": "leads*", "entity": "opportunity"}],
    "columns": {"campaign": {"external_id": "Ref", "budget": "Budget (EUR)"},
                "opportunity": {"campaign_id": "Campaign", "amount": "Montant"}},
    "delimiter": ";",
    "kind": "scouting"
  })json"));
  EXPECT_TRUE(schema_accepts(R"({"folder":"in","pattern":"*.tsv","delimiter":"\t"})"));
}

TEST(Descriptor, SchemaRejectsWhatTheParserRejects) {
  EXPECT_FALSE(schema_accepts(R"({})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","colums":{}})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","columns":{"campaign":{"nmae":"Name"}}})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","columns":{"lead":{}}})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","files":[{"match":"x","entity":"lead"}]})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","delimiter":";;"})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","kind":"webinar"})"));
  EXPECT_FALSE(schema_accepts(R"({"folder":"in","pattern":[]})"));
}

// The schema lists the column map's fields by hand; they must be the fields the plugin reads.
TEST(Descriptor, SchemaColumnsAreTheRecordFields) {
  const auto schema = parse_json(descriptor.settings_schema);
  for (const Entity entity : {Entity::campaign, Entity::opportunity}) {
    const auto& properties = schema["properties"]["columns"]["properties"]
                                   [std::string(entity_name(entity)).c_str()]["properties"];
    std::set<std::string> in_schema;
    for (const auto& member : properties.GetObject()) {
      in_schema.insert(member.name.GetString());
    }
    const auto fields = field_names(entity);
    EXPECT_EQ(in_schema, std::set<std::string>(fields.begin(), fields.end()))
        << entity_name(entity);
  }
}

}  // namespace
}  // namespace file_import
