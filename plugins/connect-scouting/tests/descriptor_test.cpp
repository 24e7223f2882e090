#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "plugins/connect-scouting/connect_scouting.h"
#include "plugins/connect-scouting/settings.h"

namespace connect_scouting {
namespace {

bool schema_accepts(const char* settings) {
  rapidjson::Document schema_document;
  schema_document.Parse(descriptor.settings_schema);
  EXPECT_FALSE(schema_document.HasParseError());
  const rapidjson::SchemaDocument schema(schema_document);
  rapidjson::SchemaValidator validator(schema);
  rapidjson::Document document;
  document.Parse(settings);
  EXPECT_FALSE(document.HasParseError()) << settings;
  return document.Accept(validator);
}

TEST(Descriptor, NamesThePluginAndDeclaresCheck) {
  EXPECT_STREQ(descriptor.name, "connect-scouting");
  EXPECT_STREQ(descriptor.kind, "scouting");
  EXPECT_TRUE(descriptor.capabilities & campaign_hub::capability_check);
}

TEST(Descriptor, MapsEveryStatusTheFeedDocuments) {
  std::set<std::string> entries;
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    const auto& entry = descriptor.status_map[i];
    entries.insert(std::string(entry.entity) + ":" + entry.provider + "->" + entry.canonical);
  }
  EXPECT_EQ(entries,
            (std::set<std::string>{"campaign:Draft->draft", "campaign:On-going->active",
                                   "campaign:Closed->completed", "opportunity:Active->active",
                                   "opportunity:On-hold->on_hold", "opportunity:Closed->closed",
                                   "opportunity:Declined->declined"}));
}

TEST(Descriptor, SchemaAcceptsWhatTheSettingsReaderAccepts) {
  for (const char* good : {R"({})", R"({"page_size": 1})", R"({"page_size": 500})",
                           R"({"streams": ["opportunities"], "campaign_kind": "partner"})"}) {
    EXPECT_TRUE(schema_accepts(good)) << good;
    EXPECT_NO_THROW(parse_settings(good)) << good;
  }
  for (const char* bad :
       {R"({"page_size": 0})", R"({"page_size": 501})", R"({"page_size": "50"})",
        R"({"streams": []})", R"({"streams": ["contacts"]})",
        R"({"streams": ["campaigns", "campaigns"]})", R"({"campaign_kind": "newsletter"})",
        R"({"base_url": "http://127.0.0.1"})"}) {
    EXPECT_FALSE(schema_accepts(bad)) << bad;
    EXPECT_THROW(parse_settings(bad), std::invalid_argument) << bad;
  }
}

TEST(Settings, DefaultsReadBothStreamsCampaignsFirstInFullPages) {
  Settings settings = parse_settings(R"({"streams": ["opportunities", "campaigns"]})");
  EXPECT_EQ(settings.page_size, 500);
  EXPECT_EQ(settings.streams, (std::vector<std::string>{"campaigns", "opportunities"}));
  EXPECT_EQ(settings.campaign_kind, "scouting");
}

TEST(Settings, ErrorNamesTheJsonPointer) {
  try {
    parse_settings(R"({"streams": ["campaigns", "deals"]})");
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(
        error.what(),
        R"(settings/streams/1: must be one of "campaigns", "opportunities", not "deals" (enum))");
  }
}

}  // namespace
}  // namespace connect_scouting
