#include "plugins/mailchimp/settings.h"

#include <string>

#include <gtest/gtest.h>

#include "plugins/mailchimp/mailchimp.h"

namespace mailchimp {
namespace {

TEST(SettingsTest, NoSettingsMeansRequestsRelativeToTheHttpBaseUrl) {
  const auto settings = parse_settings("{}");
  EXPECT_EQ(settings.api_root, "");
  EXPECT_EQ(settings.page_size, 1000);
  EXPECT_EQ(settings.report_refresh_days, 7);
}

TEST(SettingsTest, DataCentreGivesTheApiRoot) {
  EXPECT_EQ(parse_settings(R"({"data_center": "us21"})").api_root,
            "https://us21.api.mailchimp.com/3.0");
}

TEST(SettingsTest, DataCentreIsTakenFromTheSuffixOfAWholeKey) {
  EXPECT_EQ(parse_settings(R"({"data_center": "0123456789abcdef0123456789abcdef-eu1"})").api_root,
            "https://eu1.api.mailchimp.com/3.0");
}

TEST(SettingsTest, BaseUrlWinsAndLosesItsTrailingSlash) {
  const auto settings =
      parse_settings(R"({"base_url": "http://127.0.0.1:8787/3.0/", "data_center": "us21"})");
  EXPECT_EQ(settings.api_root, "http://127.0.0.1:8787/3.0");
}

TEST(SettingsTest, ErrorsNameTheSettingAndNeverQuoteAKey) {
  try {
    parse_settings(R"({"data_center": "secret-key-without-dc-1x"})");
    FAIL();
  } catch (const SettingsError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("settings/data_center: "), 0u) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
  EXPECT_THROW(parse_settings(R"({"page_size": 0})"), SettingsError);
  EXPECT_THROW(parse_settings(R"({"page_size": 1001})"), SettingsError);
  EXPECT_THROW(parse_settings(R"({"base_url": "ftp://x"})"), SettingsError);
  EXPECT_THROW(parse_settings(R"({"pagesize": 10})"), SettingsError);
  EXPECT_THROW(parse_settings(R"([1])"), SettingsError);
}

TEST(DescriptorTest, MapsEveryMailchimpCampaignStatus) {
  const std::pair<const char*, const char*> expected[] = {
      {"save", "draft"},         {"schedule", "scheduled"}, {"sending", "active"},
      {"paused", "paused"},      {"sent", "completed"},     {"canceling", "active"},
      {"canceled", "cancelled"}, {"archived", "completed"},
  };
  ASSERT_EQ(descriptor.status_map_size, std::size(expected));
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    EXPECT_STREQ(descriptor.status_map[i].entity, "campaign");
    EXPECT_STREQ(descriptor.status_map[i].provider, expected[i].first);
    EXPECT_STREQ(descriptor.status_map[i].canonical, expected[i].second);
  }
  EXPECT_STREQ(descriptor.name, "mailchimp");
  EXPECT_STREQ(descriptor.kind, "email");
  EXPECT_EQ(descriptor.capabilities & campaign_hub::capability_check,
            campaign_hub::capability_check);
}

}  // namespace
}  // namespace mailchimp
