#include "hub/cli/plugin_scaffold.h"

#include <stdexcept>

#include "hub/loader/plugin_loader.h"

namespace hub {
namespace {

// "acme-feed" -> "AcmeFeed", the provider's class name.
std::string class_name(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '-') {
      upper = true;
    } else {
      out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9'))
    out = "Plugin" + out;
  return out;
}

// Every "@name@", "@Class@" and "@file@" in `text` replaced.
std::string fill(std::string text, const std::string& name) {
  std::string file = name;
  for (char& c : file)
    c = c == '-' ? '_' : c;
  for (auto [key, value] : {std::pair<std::string, std::string>{"@name@", name},
                            {"@Class@", class_name(name)},
                            {"@file@", file}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

constexpr const char* kCMakeLists = R"scaffold(cmake_minimum_required(VERSION 3.22)
project(@name@ CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)

# The plugin SDK: `cmake --install <hub build> --component plugin-dev --prefix <prefix>`, or
# the campaign-hub-plugin-dev package; point CMAKE_PREFIX_PATH at the prefix.
find_package(campaign-hub-plugin-api 1 REQUIRED)
find_package(RapidJSON REQUIRED)

# lib@name@.so, the file the hub loads, and @name@-static for the tests.
campaign_hub_add_plugin(@name@ SOURCES src/@file@.cpp)
target_include_directories(@name@-objects PRIVATE ${RAPIDJSON_INCLUDE_DIRS})

enable_testing()
find_package(GTest REQUIRED)
add_executable(@name@-test tests/@file@_test.cpp)
target_include_directories(@name@-test PRIVATE src)
target_link_libraries(@name@-test PRIVATE @name@-static GTest::gtest_main)
add_test(NAME @name@-test COMMAND @name@-test)

# Beside the bundled plugins, where the hub looks after the config's plugin_dir.
install(TARGETS @name@ LIBRARY DESTINATION lib/campaign-hub/plugins)
)scaffold";

constexpr const char* kHeader = R"scaffold(// @Class@: the provider of the @name@ plugin.
#pragma once

#include <campaign_hub/plugin.h>

namespace @file@ {

class @Class@ : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
};

}  // namespace @file@
)scaffold";

constexpr const char* kSource = R"scaffold(#include "@file@.h"

#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

namespace @file@ {

void @Class@::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  // The hub checked the settings against kDescriptor's schema before this runs, and filled
  // nothing in: read what is there, with the schema's default when it is not.
  rapidjson::Document settings;
  settings.Parse(host.settings().c_str());
  std::string campaign_name = "My first campaign";
  if (settings.IsObject() && settings.HasMember("campaign_name"))
    campaign_name = settings["campaign_name"].GetString();

  if (host.cursor("campaigns") == "1")
    return;  // read already: the cursor says so
  // Replace this with requests to your provider: host.http().send({...}).
  campaign_hub::Campaign campaign;
  campaign.external_id = "1";
  campaign.name = campaign_name;
  campaign.kind = "partner";
  campaign.status = "Live";  // the provider's own word; kStatuses maps it
  campaign.updated_at = "2026-01-01T00:00:00Z";
  campaign.raw = R"({"id":"1","status":"Live"})";
  emit.campaign(std::move(campaign));
  emit.checkpoint("campaigns", "1");  // committed with the records before it
}

namespace {

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Draft", "draft"},
    {"campaign", "Live", "active"},
    {"campaign", "Closed", "completed"},
};

const campaign_hub::Descriptor kDescriptor{
    .name = "@name@",
    .version = "0.1.0",
    .kind = "partner",
    .summary = "@name@: describe your provider here",
    .settings_schema = R"({
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "campaign_name": {"type": "string", "minLength": 1, "default": "My first campaign",
                          "description": "The name of the one example campaign."}
      }
    })",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
};

}  // namespace
}  // namespace @file@

CAMPAIGN_HUB_PLUGIN(@file@::@Class@, @file@::kDescriptor)
)scaffold";

constexpr const char* kTest =
    R"scaffold(// The plugin against the SDK's test doubles: no hub, no network.
#include "@file@.h"

#include <campaign_hub/test_doubles/fake_host.h>
#include <campaign_hub/test_doubles/recording_emitter.h>
#include <gtest/gtest.h>

namespace {

using campaign_hub::test_doubles::FakeHost;
using campaign_hub::test_doubles::RecordingEmitter;

TEST(@Class@Test, EmitsTheCampaignNamedInItsSettingsThenCheckpoints) {
  FakeHost host(R"({"campaign_name": "Spring partners"})");
  RecordingEmitter emit;
  @file@::@Class@().read(host, emit);
  ASSERT_EQ(emit.campaigns.size(), 1u);
  EXPECT_EQ(emit.campaigns[0].name, "Spring partners");
  EXPECT_EQ(emit.events.back(), "checkpoint campaigns 1");
}

TEST(@Class@Test, ReadsNothingPastItsCursor) {
  FakeHost host;
  host.cursors["campaigns"] = "1";
  RecordingEmitter emit;
  @file@::@Class@().read(host, emit);
  EXPECT_TRUE(emit.events.empty());
}

}  // namespace
)scaffold";

constexpr const char* kReadme = R"scaffold(# @name@

A Campaign Hub provider plugin, scaffolded by `campaign-hub plugins new @name@`.

    cmake -S . -B build -DCMAKE_PREFIX_PATH=<where the plugin SDK is installed>
    cmake --build build && ctest --test-dir build
    campaign-hub plugins check build/lib@name@.so

Then copy `build/lib@name@.so` to `/usr/local/lib/campaign-hub/plugins` (or
`cmake --install build`), and name it in the hub's config:

    {"name": "my-@name@", "plugin": "@name@", "settings": {"campaign_name": "Spring"}}

plugin-api/README.md in the hub's sources (installed with the SDK's headers) is the guide: the
records, the emitter and its checkpoints, the host's services, and the rules a plugin keeps.
)scaffold";

}  // namespace

std::vector<std::pair<std::filesystem::path, std::string>> plugin_scaffold(
    const std::string& name) {
  // The name also names the plugin's C++ namespace: it starts with a letter.
  if (!is_plugin_name(name) || !(name[0] >= 'a' && name[0] <= 'z')) {
    throw std::invalid_argument("'" + name +
                                "' is not a plugin name (a lower-case letter, then lower-case "
                                "letters, digits and '-')");
  }
  std::string file = fill("@file@", name);
  return {{"CMakeLists.txt", fill(kCMakeLists, name)},
          {"README.md", fill(kReadme, name)},
          {"src/" + file + ".h", fill(kHeader, name)},
          {"src/" + file + ".cpp", fill(kSource, name)},
          {"tests/" + file + "_test.cpp", fill(kTest, name)}};
}

}  // namespace hub
