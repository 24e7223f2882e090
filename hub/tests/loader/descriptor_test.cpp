// Checking a descriptor: every rule, and the field each error names.
#include <iterator>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hub/loader/plugin_loader.h"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Draft", "draft"},
    {"campaign", "Live", "active"},
    {"opportunity", "Live", "active"},  // the same text for another entity is fine
};

class ReadDescriptor : public ::testing::Test {
 protected:
  // A valid descriptor; each test breaks one thing.
  campaign_hub::Descriptor descriptor = {
      .name = "sample",
      .version = "1.0.0",
      .kind = "scouting",
      .status_map = kStatuses,
      .status_map_size = std::size(kStatuses),
  };

  std::string error() const {
    try {
      hub::read_descriptor(descriptor, "plugins/libsample.so");
    } catch (const hub::PluginError& failure) {
      return failure.what();
    }
    return "(no PluginError)";
  }
};

TEST_F(ReadDescriptor, ValidDescriptorIsCopied) {
  descriptor.summary = nullptr;
  const hub::PluginInfo info = hub::read_descriptor(descriptor, "plugins/libsample.so");
  EXPECT_EQ(info.file, "plugins/libsample.so");
  EXPECT_EQ(info.name, "sample");
  EXPECT_EQ(info.summary, "");
  EXPECT_EQ(info.settings_schema, R"({"type":"object"})");
  ASSERT_EQ(info.status_map.size(), 3u);
  EXPECT_EQ(info.status_map[1].provider, "Live");
  EXPECT_EQ(info.status_map[1].canonical, "active");
}

TEST_F(ReadDescriptor, ShortStructIsRefused) {
  descriptor.struct_size = 16;
  EXPECT_THAT(error(), StartsWith("plugins/libsample.so: descriptor invalid: struct_size: 16 "
                                  "bytes, this hub reads "));
}

TEST_F(ReadDescriptor, MissingNameIsRefused) {
  descriptor.name = nullptr;
  EXPECT_EQ(error(), "plugins/libsample.so: descriptor invalid: name: missing");
}

TEST_F(ReadDescriptor, NameMustBeLowerCaseDigitsAndDashes) {
  for (const char* name : {"", "Sample", "my plugin", "-sample", "sam_ple", "ça"}) {
    descriptor.name = name;
    EXPECT_THAT(error(), StartsWith("plugins/libsample.so: descriptor invalid: name: '" +
                                    std::string(name) + "' must match ^[a-z0-9][a-z0-9-]*$"))
        << name;
  }
  descriptor.name = "0-sample-2";
  EXPECT_EQ(error(), "(no PluginError)");
}

TEST_F(ReadDescriptor, EmptyVersionIsRefused) {
  descriptor.version = "";
  EXPECT_EQ(error(), "plugins/libsample.so: descriptor invalid: version: missing");
}

TEST_F(ReadDescriptor, MissingKindIsRefused) {
  descriptor.kind = nullptr;
  EXPECT_EQ(error(), "plugins/libsample.so: descriptor invalid: kind: missing");
}

TEST_F(ReadDescriptor, SettingsSchemaThatIsNotJsonSaysWhere) {
  descriptor.settings_schema = R"({"type": "object",})";
  EXPECT_THAT(error(), StartsWith("plugins/libsample.so: descriptor invalid: settings_schema: "
                                  "not JSON: "));
  EXPECT_THAT(error(), HasSubstr("(at offset 18)"));
}

TEST_F(ReadDescriptor, SettingsSchemaMustBeAnObject) {
  descriptor.settings_schema = "[]";
  EXPECT_THAT(error(), StartsWith("plugins/libsample.so: descriptor invalid: settings_schema: not "
                                  "a JSON Schema"));
}

TEST_F(ReadDescriptor, NullSettingsSchemaIsRefused) {
  descriptor.settings_schema = nullptr;
  EXPECT_THAT(error(), StartsWith("plugins/libsample.so: descriptor invalid: settings_schema: "
                                  "missing"));
}

TEST_F(ReadDescriptor, NullStatusMapWithEntriesIsRefused) {
  descriptor.status_map = nullptr;
  EXPECT_EQ(error(),
            "plugins/libsample.so: descriptor invalid: status_map: null, but status_map_size is 3");
}

TEST_F(ReadDescriptor, UnknownEntityIsRefused) {
  const campaign_hub::StatusMapping statuses[] = {{"campain", "Live", "active"}};
  descriptor.status_map = statuses;
  descriptor.status_map_size = 1;
  EXPECT_EQ(error(),
            "plugins/libsample.so: descriptor invalid: status_map[0]: entity 'campain' is not one "
            "of campaign, opportunity, participant, step");
}

TEST_F(ReadDescriptor, StatusOfAnotherEntityIsRefused) {
  // "won" is an opportunity status, not a campaign one.
  const campaign_hub::StatusMapping statuses[] = {{"campaign", "Draft", "draft"},
                                                  {"campaign", "Won", "won"}};
  descriptor.status_map = statuses;
  descriptor.status_map_size = 2;
  EXPECT_EQ(error(),
            "plugins/libsample.so: descriptor invalid: status_map[1]: 'Won' maps to 'won', not a "
            "campaign status (draft, scheduled, testing, active, paused, completed, cancelled, "
            "failed)");
}

TEST_F(ReadDescriptor, EmptyProviderTextIsRefused) {
  const campaign_hub::StatusMapping statuses[] = {{"step", "", "done"}};
  descriptor.status_map = statuses;
  descriptor.status_map_size = 1;
  EXPECT_EQ(error(),
            "plugins/libsample.so: descriptor invalid: status_map[0]: provider status text is "
            "empty");
}

TEST_F(ReadDescriptor, ProviderTextMappedTwiceForOneEntityIsRefused) {
  const campaign_hub::StatusMapping statuses[] = {{"participant", "Active", "active"},
                                                  {"participant", "Paused", "paused"},
                                                  {"participant", "Active", "completed"}};
  descriptor.status_map = statuses;
  descriptor.status_map_size = 3;
  EXPECT_EQ(error(),
            "plugins/libsample.so: descriptor invalid: status_map[2]: 'Active' is mapped twice "
            "for participant (also status_map[0])");
}

}  // namespace
