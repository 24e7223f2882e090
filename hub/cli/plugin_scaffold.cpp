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

// Every "@name@", "@Class@", "@file@" and "@api@" (the plugin API version) in `text` replaced.
std::string fill(std::string text, const std::string& name) {
  std::string file = name;
  for (char& c : file)
    c = c == '-' ? '_' : c;
  for (auto [key, value] : {std::pair<std::string, std::string>{"@name@", name},
                            {"@Class@", class_name(name)},
                            {"@file@", file},
                            {"@api@", std::to_string(campaign_hub::api_version)}}) {
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
find_package(campaign-hub-plugin-api @api@ REQUIRED)

# lib@name@.so, the file the hub loads, and @name@-static for the tests. campaign_hub::json reads
# the settings through their schema; campaign_hub::paging and campaign_hub::time are there too.
campaign_hub_add_plugin(@name@ SOURCES src/@file@.cpp LIBRARIES campaign_hub::json)

enable_testing()
find_package(GTest REQUIRED)
add_executable(@name@-test tests/@file@_test.cpp)
target_include_directories(@name@-test PRIVATE src)
# campaign_hub::provider-server: a provider on 127.0.0.1 and the hub's own HTTP client.
target_link_libraries(@name@-test PRIVATE @name@-static campaign_hub::provider-server
  GTest::gtest_main)
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

// The JSON Schema of the settings: the one declaration of each setting, its default and its
// description. The hub checks an instance's settings against it; `campaign-hub plugins check`
// prints it as the plugin's settings reference.
extern const char* const settings_schema;

}  // namespace @file@
)scaffold";

constexpr const char* kSource = R"scaffold(#include "@file@.h"

#include <stdexcept>
#include <string>

#include <connectors/json/settings_reader.h>
#include <rapidjson/document.h>

namespace @file@ {

const char* const settings_schema = R"({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "page_size": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100,
                  "description": "Campaigns asked for per request."},
    "campaign_kind": {"enum": ["scouting", "email", "partner", "task", "multichannel"],
                      "default": "partner",
                      "description": "The canonical kind of every campaign read."}
  }
})";

namespace {

std::string text(const rapidjson::Value& object, const char* name) {
  const auto found = object.FindMember(name);
  return found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

}  // namespace

// Replace the path and the fields with your provider's: GET /campaigns answers a JSON array of
// {"id", "name", "status", "updated_at"}, only those changed since `updated_since` when given.
void @Class@::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader settings(host.settings(), schema);

  const std::optional<std::string> since = host.cursor("campaigns");
  std::string url = "/campaigns?limit=" + std::to_string(settings.integer("/page_size"));
  if (since)
    url += "&updated_since=" + *since;
  // The hub's HTTP client: base URL, auth, timeouts and retries come from the instance's http
  // object. It throws for a failure that retries did not cure.
  const campaign_hub::HttpResponse response = host.http().send({"GET", url, {}, ""});
  if (response.status != 200)
    throw std::runtime_error("GET " + url + " answered HTTP " + std::to_string(response.status));
  rapidjson::Document page;
  page.Parse(response.body.c_str(), response.body.size());
  if (page.HasParseError() || !page.IsArray())
    throw std::runtime_error("GET " + url + ": the answer is not a JSON array");

  std::string newest = since.value_or("");
  for (const auto& item : page.GetArray()) {
    campaign_hub::Campaign campaign;
    campaign.external_id = item.IsObject() ? text(item, "id") : "";
    campaign.name = item.IsObject() ? text(item, "name") : "";
    campaign.kind = settings.text("/campaign_kind");
    campaign.status = item.IsObject() ? text(item, "status") : "";  // the provider's own word
    const std::string updated_at = item.IsObject() ? text(item, "updated_at") : "";
    campaign.updated_at = updated_at;  // RFC 3339, any offset: the hub stores UTC
    if (updated_at > newest)
      newest = updated_at;
    emit.campaign(std::move(campaign));  // the hub validates it: a bad one goes to quarantine
  }
  if (newest != since.value_or(""))
    emit.checkpoint("campaigns", newest);  // committed with the records before it
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
    .settings_schema = settings_schema,
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
};

}  // namespace
}  // namespace @file@

CAMPAIGN_HUB_PLUGIN(@file@::@Class@, @file@::kDescriptor)
)scaffold";

constexpr const char* kTest =
    R"scaffold(// The plugin against a provider on 127.0.0.1, through the hub's own HTTP client.
#include "@file@.h"

#include <campaign_hub/test_doubles/fake_host.h>
#include <campaign_hub/test_doubles/provider_server.h>
#include <campaign_hub/test_doubles/recording_emitter.h>
#include <gtest/gtest.h>

namespace {

using campaign_hub::HttpResponse;
using campaign_hub::test_doubles::FakeHost;
using campaign_hub::test_doubles::ProviderServer;
using campaign_hub::test_doubles::ReceivedRequest;
using campaign_hub::test_doubles::RecordingEmitter;

class @Class@Test : public ::testing::Test {
 protected:
  ProviderServer provider;
  FakeHost host{R"({"page_size": 2})"};
  RecordingEmitter emit;
  // No waiting between retries in tests.
  std::unique_ptr<campaign_hub::Http> http =
      provider.client(host.log, R"({"retries": {"max_attempts": 2, "base_delay_ms": 0}})");

  void SetUp() override { host.http_connector = http.get(); }
};

TEST_F(@Class@Test, EmitsEachCampaignThenCheckpointsTheNewestTime) {
  provider.on("GET", "/campaigns", [](const ReceivedRequest&) {
    return HttpResponse{200, {}, R"([
      {"id": "1", "name": "Spring partners", "status": "Live", "updated_at": "2026-03-01T10:00:00Z"},
      {"id": "2", "name": "Autumn partners", "status": "Draft", "updated_at": "2026-03-02T10:00:00Z"}
    ])"};
  });
  @file@::@Class@().read(host, emit);
  ASSERT_EQ(emit.campaigns.size(), 2u);
  EXPECT_EQ(emit.campaigns[0].name, "Spring partners");
  EXPECT_EQ(emit.campaigns[0].kind, "partner");  // the schema's default
  EXPECT_EQ(emit.events.back(), "checkpoint campaigns 2026-03-02T10:00:00Z");
  ASSERT_EQ(provider.requests().size(), 1u);
  EXPECT_EQ(provider.requests()[0].query.find("limit")->second, "2");
}

TEST_F(@Class@Test, AsksOnlyForWhatChangedSinceItsCursor) {
  host.cursors["campaigns"] = "2026-03-02T10:00:00Z";
  provider.on("GET", "/campaigns", [](const ReceivedRequest&) { return HttpResponse{200, {}, "[]"}; });
  @file@::@Class@().read(host, emit);
  EXPECT_TRUE(emit.events.empty());
  EXPECT_EQ(provider.requests()[0].query.find("updated_since")->second, "2026-03-02T10:00:00Z");
}

TEST_F(@Class@Test, AProviderThatKeepsFailingFailsTheRun) {
  provider.on("GET", "/campaigns", [](const ReceivedRequest&) {
    return HttpResponse{503, {}, "down for maintenance"};
  });
  EXPECT_ANY_THROW(@file@::@Class@().read(host, emit));
  EXPECT_EQ(provider.requests().size(), 2u);  // retried once, as the http object says
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

    {"name": "my-@name@", "plugin": "@name@", "settings": {"page_size": 50},
     "http": {"base_url": "https://api.example.com", "auth": {"type": "bearer", "token": "${env:TOKEN}"}}}

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
