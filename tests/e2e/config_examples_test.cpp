// Every example config the project ships, and the example in config/README.md, is one an
// operator can use as written: it passes the hub's schema, and each instance names a bundled
// plugin, has settings its plugin's schema accepts and `http` settings the connector accepts.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "connectors/http/client.h"
#include "hub/config/config.h"
#include "hub/sync/settings_check.h"
#include "hub/sync/sync_engine.h"

namespace hub {
namespace {

const std::filesystem::path kSource = CAMPAIGN_HUB_SOURCE_DIR;

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first ```json block of a Markdown file.
std::string first_json_block(const std::filesystem::path& file) {
  std::string text = read(file);
  auto start = text.find("```json\n");
  auto end = text.find("```", start + 8);
  if (start == std::string::npos || end == std::string::npos)
    return {};
  return text.substr(start + 8, end - start - 8);
}

// What is wrong with `json` as a config, or nothing.
std::vector<std::string> problems(const std::string& json, const std::filesystem::path& origin) {
  std::vector<std::string> found;
  Config config;
  try {
    config = parse_config(json, origin);
  } catch (const ConfigError& error) {
    return {error.what()};
  }
  PluginCatalog plugins(CAMPAIGN_HUB_PLUGIN_DIR);
  for (const auto& instance : config.instances) {
    if (!instance.secret_error.empty())
      found.push_back(instance.name + ": " + instance.secret_error);
    try {
      const LoadedPlugin& plugin = plugins.get(instance.plugin);
      if (auto error = settings_error(instance, plugin.info()))
        found.push_back(*error);
    } catch (const std::exception& error) {
      found.push_back(instance.name + ": " + error.what());
    }
    if (!instance.http_json.empty()) {
      try {
        connectors::http::parse_settings(instance.http_json);
      } catch (const std::exception& error) {
        found.push_back(instance.name + ": http: " + error.what());
      }
    }
  }
  return found;
}

class ConfigExamples : public ::testing::TestWithParam<std::string> {};

TEST_P(ConfigExamples, PassesEveryCheckAsWritten) {
  // The README's example reads its secrets from the environment.
  ::setenv("HUB_DB_PASSWORD", "example-password", 1);
  ::setenv("CONNECT_TOKEN", "example-token", 1);
  const std::filesystem::path file = kSource / GetParam();
  const std::string json = file.extension() == ".md" ? first_json_block(file) : read(file);
  ASSERT_FALSE(json.empty()) << file;
  auto found = problems(json, file);
  std::string all;
  for (const auto& each : found)
    all += "\n  " + each;
  EXPECT_TRUE(found.empty()) << file << ":" << all;
}

TEST(ConfigExamplesCover, EveryBundledPluginHasAnExample) {
  for (const char* plugin :
       {"connect-scouting", "file-import", "mailchimp", "rest-json", "salesforce"}) {
    EXPECT_TRUE(
        std::filesystem::exists(kSource / "config/examples" / (std::string(plugin) + ".json")))
        << "config/examples/" << plugin << ".json";
  }
}

INSTANTIATE_TEST_SUITE_P(, ConfigExamples,
                         ::testing::Values("config/README.md", "config/demo.json",
                                           "config/examples/connect-scouting.json",
                                           "config/examples/file-import.json",
                                           "config/examples/mailchimp.json",
                                           "config/examples/rest-json.json",
                                           "config/examples/salesforce.json"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : std::filesystem::path(info.param).stem().string() +
                                             (info.param.ends_with(".md") ? "_readme" : ""))
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace hub
