#include "hub/logging/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace hub {
namespace {

TEST(Logging, NoKnownSecretReachesALineFromThePluginOrTheHub) {
  setup_logging("debug", "text");
  add_secrets({"s3cr3t-token-value", "hunter2-password"});
  ::testing::internal::CaptureStderr();
  PluginLogger plugin("crm-eu");
  plugin.log(campaign_hub::LogLevel::warn, "GET /deals?api_key=s3cr3t-token-value failed");
  spdlog::error("connecting with {} as {}", "hunter2-password", "hub");
  spdlog::default_logger()->flush();
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos) << out;
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
  EXPECT_NE(out.find("warning [crm-eu] GET /deals?api_key=*** failed"), std::string::npos) << out;
  EXPECT_NE(out.find("connecting with *** as hub"), std::string::npos) << out;
}

TEST(Logging, JsonLinesNameTheInstanceAndEscapeTheMessage) {
  setup_logging("info", "json");
  ::testing::internal::CaptureStderr();
  PluginLogger plugin("feed");
  plugin.log(campaign_hub::LogLevel::info, "page \"2\" read");
  spdlog::default_logger()->flush();
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find(R"("level":"info","instance":"feed","message":"page \"2\" read"})"),
            std::string::npos)
      << out;
}

TEST(Logging, ShortValuesAreNotTreatedAsSecrets) {
  add_secrets({"abc"});
  EXPECT_EQ(redact("abc def"), "abc def");
}

}  // namespace
}  // namespace hub
