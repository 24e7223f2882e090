// Loading real libraries from tests/test-plugins: each way a plugin can fail gets one line
// naming the file and the cause; a good plugin loads, and its objects keep it loaded.
#include "hub/loader/plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::filesystem::path test_plugin(std::string_view name) {
  return hub::plugin_file(CAMPAIGN_HUB_TEST_PLUGIN_DIR, name);
}

// The PluginError load_plugin throws for `file`, or a note that it threw none.
std::string load_error(const std::filesystem::path& file) {
  try {
    hub::load_plugin(file);
  } catch (const hub::PluginError& error) {
    return error.what();
  }
  return "(no PluginError)";
}

std::string create_error(const hub::LoadedPlugin& plugin) {
  try {
    plugin.create();
  } catch (const hub::PluginError& error) {
    return error.what();
  }
  return "(no PluginError)";
}

// Whether the dynamic linker still has `file` loaded, without loading it.
bool is_loaded(const std::filesystem::path& file) {
  void* handle = dlopen(file.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) {
    return false;
  }
  dlclose(handle);
  return true;
}

// Sets an environment variable for the length of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

TEST(PluginFile, IsLibNameDotSoInTheFolder) {
  EXPECT_EQ(hub::plugin_file("/opt/campaign-hub/plugins", "connect"),
            std::filesystem::path("/opt/campaign-hub/plugins/libconnect.so"));
}

TEST(LoadPlugin, MissingFileIsNamed) {
  const auto file = test_plugin("missing");
  EXPECT_EQ(load_error(file), file.string() + ": no such file");
}

TEST(LoadPlugin, TextFileIsNotASharedLibrary) {
  const auto file = test_plugin("not-a-library");
  ASSERT_TRUE(std::filesystem::exists(file));
  const std::string error = load_error(file);
  EXPECT_THAT(error,
              AllOf(HasSubstr(file.string() + ": not a shared library ("), HasSubstr("ELF")));
  // dlerror's reason, without the path a second time
  EXPECT_EQ(error.find(file.string()), error.rfind(file.string())) << error;
}

TEST(LoadPlugin, LibraryWithoutPluginSymbolsIsRefused) {
  const auto file = test_plugin("no-symbols");
  EXPECT_THAT(load_error(file), AllOf(HasSubstr(file.string() + ": "),
                                      HasSubstr("symbol campaign_hub_api_version missing")));
}

TEST(LoadPlugin, OtherApiVersionNamesBothVersions) {
  const auto file = test_plugin("wrong-api");
  // wrong-api's descriptor is invalid too: the version is checked before it is read.
  EXPECT_THAT(load_error(file), AllOf(HasSubstr(file.string() +
                                                ": built for plugin API 1, "
                                                "this hub speaks " +
                                                std::to_string(campaign_hub::api_version)),
                                      Not(HasSubstr("descriptor"))));
}

TEST(LoadPlugin, OtherStandardLibraryABIIsRefusedByItsBuildTag) {
  const auto file = test_plugin("wrong-abi");
  // wrong-abi's describe returns null: the tag is checked before it is called.
  EXPECT_THAT(load_error(file),
              AllOf(HasSubstr(file.string() + ": built as \"plugin API " +
                              std::to_string(campaign_hub::api_version) + "; libc++; "),
                    HasSubstr(std::string("this hub as \"") + campaign_hub::build_tag + "\""),
                    Not(HasSubstr("descriptor"))));
}

TEST(BuildTag, OnlyTheCompilerMayDiffer) {
  const std::string hub = "plugin API 1; libstdc++ cxx11 ABI; x86_64; GCC 12.2.0";
  EXPECT_FALSE(
      hub::build_tag_mismatch("plugin API 1; libstdc++ cxx11 ABI; x86_64; Clang 14.0.6", hub));
  EXPECT_TRUE(hub::build_tag_mismatch("plugin API 1; libstdc++ old ABI; x86_64; GCC 12.2.0", hub));
  EXPECT_TRUE(
      hub::build_tag_mismatch("plugin API 1; libstdc++ cxx11 ABI; aarch64; GCC 12.2.0", hub));
  EXPECT_TRUE(
      hub::build_tag_mismatch("plugin API 2; libstdc++ cxx11 ABI; x86_64; GCC 12.2.0", hub));
  EXPECT_TRUE(hub::build_tag_mismatch("", hub));
  EXPECT_FALSE(hub::build_tag_mismatch(campaign_hub::build_tag, campaign_hub::build_tag));
}

TEST(LoadPlugin, InvalidDescriptorNamesTheEntry) {
  const auto file = test_plugin("bad-descriptor");
  EXPECT_THAT(load_error(file),
              HasSubstr(file.string() +
                        ": descriptor invalid: status_map[3]: 'Live' maps to 'running', not a "
                        "campaign status"));
}

TEST(LoadPlugin, GoodPluginDescriptorIsCopied) {
  const auto file = test_plugin("good");
  const hub::LoadedPlugin plugin = hub::load_plugin(file);
  const hub::PluginInfo& info = plugin.info();
  EXPECT_EQ(info.file, file);
  EXPECT_EQ(info.name, "good");
  EXPECT_EQ(info.version, "1.2.3");
  EXPECT_EQ(info.kind, "scouting");
  EXPECT_EQ(info.summary, "A minimal plugin for the loader's tests");
  EXPECT_EQ(info.settings_schema,
            R"({"type":"object","properties":{"greeting":{"type":"string"}}})");
  ASSERT_EQ(info.status_map.size(), 3u);
  EXPECT_EQ(info.status_map[0].entity, "campaign");
  EXPECT_EQ(info.status_map[0].provider, "Running");
  EXPECT_EQ(info.status_map[0].canonical, "active");
  EXPECT_EQ(info.status_map[2].entity, "opportunity");
  EXPECT_EQ(info.status_map[2].provider, "Open");
  EXPECT_EQ(info.status_map[2].canonical, "active");
  EXPECT_EQ(info.capabilities, campaign_hub::capability_check);
}

TEST(LoadPlugin, GoodPluginCreatesAWorkingProvider) {
  const hub::LoadedPlugin plugin = hub::load_plugin(test_plugin("good"));
  const std::shared_ptr<campaign_hub::Provider> provider = plugin.create();
  ASSERT_NE(provider, nullptr);

  campaign_hub::test_doubles::FakeHost host;
  campaign_hub::test_doubles::RecordingEmitter emitter;
  provider->read(host, emitter);
  EXPECT_THAT(emitter.events, ElementsAre("campaign g-1", "checkpoint campaigns g-1"));
  EXPECT_TRUE(host.log.contains("good: reading one campaign"));
}

// API 4's webhook capability, through a loaded library's vtable: the README's example takes
// an update and a deletion, ignores a ping, and throws for a body it cannot read. A plugin
// that does not override receive ignores every request.
TEST(LoadPlugin, AWebhookPluginReceivesAcrossTheLibraryBoundary) {
  const hub::LoadedPlugin plugin = hub::load_plugin(test_plugin("pushy"));
  EXPECT_EQ(plugin.info().capabilities, campaign_hub::capability_webhook);
  const std::shared_ptr<campaign_hub::Provider> provider = plugin.create();
  campaign_hub::test_doubles::FakeHost host;
  campaign_hub::test_doubles::RecordingEmitter emitter;
  auto request = [](std::string body) {
    return campaign_hub::WebhookRequest{
        "POST", "", "", {{"Content-Type", "application/json"}}, std::move(body)};
  };
  EXPECT_EQ(request("").header("content-type"), "application/json");

  EXPECT_EQ(provider->receive(host, request(R"({"type": "campaign.updated", "data": {"id": "c-1",
                                "name": "Spring", "state": "Live",
                                "updated_at": "2026-03-01T09:30:02Z"}})"),
                              emitter),
            campaign_hub::WebhookResult::taken);
  EXPECT_EQ(provider->receive(host, request(R"({"type": "campaign.deleted", "data": {"id": "c-2",
                                "updated_at": "2026-03-01T10:00:00Z", "deleted": true}})"),
                              emitter),
            campaign_hub::WebhookResult::taken);
  EXPECT_EQ(provider->receive(host, request(R"({"type": "ping"})"), emitter),
            campaign_hub::WebhookResult::ignored);
  EXPECT_THROW(provider->receive(host, request("{not json"), emitter), std::runtime_error);
  EXPECT_THROW(
      provider->receive(host, request(R"({"type": "campaign.updated", "data": {}})"), emitter),
      std::runtime_error);
  ASSERT_EQ(emitter.campaigns.size(), 2u);
  EXPECT_EQ(emitter.campaigns[0].external_id, "c-1");
  EXPECT_EQ(emitter.campaigns[0].status, "Live");
  EXPECT_EQ(emitter.campaigns[0].updated_at, "2026-03-01T09:30:02Z");
  EXPECT_FALSE(emitter.campaigns[0].deleted);
  EXPECT_EQ(emitter.campaigns[1].external_id, "c-2");
  EXPECT_TRUE(emitter.campaigns[1].deleted);
  EXPECT_TRUE(emitter.checkpoints.empty());

  const std::shared_ptr<campaign_hub::Provider> good =
      hub::load_plugin(test_plugin("good")).create();
  EXPECT_EQ(good->receive(host, request(R"({"type": "campaign.updated"})"), emitter),
            campaign_hub::WebhookResult::ignored);
  EXPECT_EQ(emitter.campaigns.size(), 2u);
}

TEST(LoadPlugin, ProviderKeepsTheLibraryLoadedAfterThePluginIsGone) {
  const auto file = test_plugin("good");
  std::shared_ptr<campaign_hub::Provider> provider;
  {
    const hub::LoadedPlugin plugin = hub::load_plugin(file);
    provider = plugin.create();
  }
  ASSERT_TRUE(is_loaded(file));

  // Code in the library: its vtable, its check(), the strings it returns.
  campaign_hub::test_doubles::FakeHost host;
  const campaign_hub::CheckResult result = provider->check(host);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.message, "good: nothing to reach, always fine");

  provider.reset();
  EXPECT_FALSE(is_loaded(file)) << "the last provider is gone; nothing should hold the library";
}

TEST(LoadPlugin, FactoryExceptionBecomesPluginError) {
  const auto file = test_plugin("throwing-factory");
  const hub::LoadedPlugin plugin = hub::load_plugin(file);
  EXPECT_EQ(create_error(plugin),
            file.string() + ": factory threw: no credentials in /etc/throwing.conf");
}

TEST(LoadPlugin, FactoryThrowingANonExceptionBecomesPluginError) {
  ScopedEnv mode("CAMPAIGN_HUB_TEST_FACTORY", "int");
  const auto file = test_plugin("throwing-factory");
  const hub::LoadedPlugin plugin = hub::load_plugin(file);
  EXPECT_EQ(create_error(plugin),
            file.string() + ": factory threw something that is not a std::exception");
}

TEST(LoadPlugin, FactoryReturningNothingIsAnError) {
  ScopedEnv mode("CAMPAIGN_HUB_TEST_FACTORY", "null");
  const auto file = test_plugin("throwing-factory");
  const hub::LoadedPlugin plugin = hub::load_plugin(file);
  EXPECT_EQ(create_error(plugin), file.string() + ": factory returned no provider");
}

TEST(LoadPlugin, EmptyLoadedPluginCreatesNothing) {
  const hub::LoadedPlugin plugin;
  EXPECT_THAT(create_error(plugin), HasSubstr("no plugin loaded"));
}

TEST(LoadNamedPlugin, LoadsTheFileNamedAfterThePlugin) {
  EXPECT_EQ(hub::load_named_plugin(CAMPAIGN_HUB_TEST_PLUGIN_DIR, "slow-feed").info().name,
            "slow-feed");
  EXPECT_THROW(
      {
        try {
          hub::load_named_plugin(CAMPAIGN_HUB_TEST_PLUGIN_DIR, "missing");
        } catch (const hub::PluginError& error) {
          EXPECT_EQ(std::string(error.what()), test_plugin("missing").string() + ": no such file");
          throw;
        }
      },
      hub::PluginError);
}

TEST(LoadNamedPlugin, RefusesANameThatIsNotAPluginName) {
  try {
    hub::load_named_plugin(CAMPAIGN_HUB_TEST_PLUGIN_DIR, "Bad/Name");
    FAIL() << "loaded a plugin called Bad/Name";
  } catch (const hub::PluginError& error) {
    EXPECT_THAT(error.what(), HasSubstr("plugin 'Bad/Name': not a plugin name"));
  }
}

TEST(LoadNamedPlugin, FileWhoseDescriptorHasAnotherNameIsRefused) {
  // A copy of libgood.so under another plugin's file name.
  const auto dir =
      std::filesystem::path(::testing::TempDir()) / ("loader-renamed-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(test_plugin("good"), hub::plugin_file(dir, "great"),
                             std::filesystem::copy_options::overwrite_existing);
  try {
    hub::load_named_plugin(dir, "great");
    FAIL() << "loaded libgreat.so, whose descriptor says 'good'";
  } catch (const hub::PluginError& error) {
    EXPECT_EQ(std::string(error.what()),
              hub::plugin_file(dir, "great").string() +
                  ": its descriptor names the plugin 'good', the config asks for 'great'");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
