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

namespace hub {
namespace {

// A provider's error body repeated the request path: the API key came back percent-encoded,
// and was printed and stored in runs.error.
TEST(Logging, EncodedFormsOfASecretAreRedactedToo) {
  add_secrets({"k3y/with+special chars"});
  EXPECT_EQ(redact("GET /v1/x?api_key=k3y%2Fwith%2Bspecial%20chars&page=2: 403"),
            "GET /v1/x?api_key=***&page=2: 403");
  EXPECT_EQ(redact("api_key=k3y%2fwith%2bspecial%20chars"), "api_key=***");
  EXPECT_EQ(redact("client_secret=k3y%2Fwith%2Bspecial+chars&scope=x"),
            "client_secret=***&scope=x");
  EXPECT_EQ(redact("plain k3y/with+special chars"), "plain ***");
}

}  // namespace
}  // namespace hub
