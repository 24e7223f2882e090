#include "connectors/json/settings_reader.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace connectors::json {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const SettingsSchema& schema() {
  static const SettingsSchema instance(R"({
    "type": "object",
    "additionalProperties": false,
    "properties": {
      "page_size": {"description": "Records a page.", "type": "integer", "minimum": 1,
                    "maximum": 500, "default": 500},
      "base_url": {"type": "string", "pattern": "^https?://"},
      "streams": {"type": "array", "items": {"enum": ["campaigns", "opportunities"]},
                  "default": ["campaigns", "opportunities"]},
      "rate": {"type": "number", "default": 2.5},
      "timeouts": {
        "type": "object",
        "additionalProperties": false,
        "properties": {"connect_ms": {"type": "integer", "minimum": 1, "default": 10000},
                       "verify": {"type": "boolean", "default": true}}
      },
      "no_default": {"type": "integer"}
    }
  })");
  return instance;
}

std::string refusal(std::string_view json) {
  try {
    SettingsReader reader(json, schema());
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(SettingsReader, LeftOutSettingsAreTheSchemasDefaults) {
  const SettingsReader reader("", schema());
  EXPECT_EQ(reader.integer("/page_size"), 500);
  EXPECT_EQ(reader.number("/rate"), 2.5);
  EXPECT_EQ(reader.integer("/timeouts/connect_ms"), 10000);
  EXPECT_TRUE(reader.boolean("/timeouts/verify"));
  EXPECT_EQ(reader.texts("/streams"), (std::vector<std::string>{"campaigns", "opportunities"}));
  EXPECT_EQ(reader.text("/base_url"), "");
  EXPECT_FALSE(reader.given("/page_size"));
}

TEST(SettingsReader, GivenSettingsWinOverDefaults) {
  const SettingsReader reader(
      R"({"page_size": 20, "rate": 7, "streams": ["opportunities"], "base_url": "https://x",
          "timeouts": {"verify": false}})",
      schema());
  EXPECT_EQ(reader.integer("/page_size"), 20);
  EXPECT_EQ(reader.number("/rate"), 7.0);
  EXPECT_EQ(reader.texts("/streams"), std::vector<std::string>{"opportunities"});
  EXPECT_EQ(reader.text("/base_url"), "https://x");
  EXPECT_FALSE(reader.boolean("/timeouts/verify"));
  EXPECT_EQ(reader.integer("/timeouts/connect_ms"), 10000);  // the sibling keeps its default
  EXPECT_TRUE(reader.given("/page_size"));
}

TEST(SettingsReader, RefusalsNameThePointerAndTheRule) {
  EXPECT_EQ(refusal(R"({"page_size": 501})"), "settings/page_size: must be at most 500 (maximum)");
  EXPECT_EQ(refusal(R"({"timeouts": {"connect_ms": 0}})"),
            "settings/timeouts/connect_ms: must be at least 1 (minimum)");
  EXPECT_THAT(refusal(R"({"page_sise": 5})"),
              StartsWith("settings/page_sise: unknown property \"page_sise\"; known properties: "
                         "page_size, base_url"));
  EXPECT_THAT(refusal(R"({"base_url": "ftp://x"})"), HasSubstr("(pattern)"));
  EXPECT_THAT(refusal(R"({"page_size": )"), StartsWith("settings: not valid JSON at offset"));
  EXPECT_THAT(refusal(std::string(300, '[') + std::string(300, ']')),
              StartsWith("settings: is nested deeper than 256"));
}

TEST(SettingsReader, ASettingWithNeitherValueNorDefaultIsTheSchemasFault) {
  const SettingsReader reader("{}", schema());
  EXPECT_THROW(reader.integer("/no_default"), std::logic_error);
  EXPECT_EQ(SettingsReader(R"({"no_default": 3})", schema()).integer("/no_default"), 3);
}

TEST(SettingsReader, RefuseWordsACrossFieldRuleAsTheSchemasOwn) {
  const SettingsReader reader("{}", schema(), "http");
  try {
    reader.refuse("/timeouts/connect_ms", "must be less than /page_size", "relation");
    FAIL() << "refuse returned";
  } catch (const SettingsError& error) {
    EXPECT_STREQ(error.what(), "http/timeouts/connect_ms: must be less than /page_size (relation)");
  }
}

TEST(SettingsReference, ListsEverySettingWithTypeRangeDefaultAndDescription) {
  const std::string reference = settings_reference(schema());
  EXPECT_THAT(reference, HasSubstr("page_size  integer, 1 to 500, default 500\n"
                                   "    Records a page.\n"));
  EXPECT_THAT(reference, HasSubstr("streams  array of \"campaigns\", \"opportunities\", default "
                                   "[\"campaigns\",\"opportunities\"]\n"));
  EXPECT_THAT(reference, HasSubstr("timeouts.connect_ms  integer, at least 1, default 10000\n"));
  EXPECT_THAT(reference, HasSubstr("base_url  string, matching ^https?://\n"));
}

}  // namespace
}  // namespace connectors::json
