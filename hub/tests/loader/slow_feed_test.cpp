// The slow-feed test plugin, loaded like any plugin: what the sync tests rely on.
#include <memory>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "hub/loader/plugin_loader.h"

namespace {

using campaign_hub::test_doubles::RecordedCheckpoint;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SlowFeed : public ::testing::Test {
 protected:
  hub::LoadedPlugin plugin =
      hub::load_plugin(hub::plugin_file(CAMPAIGN_HUB_TEST_PLUGIN_DIR, "slow-feed"));
  std::shared_ptr<campaign_hub::Provider> provider = plugin.create();
  campaign_hub::test_doubles::RecordingEmitter emitter;

  void read(campaign_hub::test_doubles::FakeHost& host) { provider->read(host, emitter); }
};

TEST_F(SlowFeed, DescriptorPassesTheLoader) {
  EXPECT_EQ(plugin.info().name, "slow-feed");
  EXPECT_EQ(plugin.info().status_map.size(), 5u);
}

TEST_F(SlowFeed, DefaultsAreThreeCampaignsAndAThousandOpportunitiesInPagesOfAHundred) {
  campaign_hub::test_doubles::FakeHost host("{}");
  read(host);

  ASSERT_EQ(emitter.campaigns.size(), 3u);
  ASSERT_EQ(emitter.opportunities.size(), 1000u);
  ASSERT_EQ(emitter.checkpoints.size(), 11u);
  EXPECT_EQ(emitter.checkpoints[0], (RecordedCheckpoint{"campaigns", "done"}));
  EXPECT_EQ(emitter.checkpoints[1], (RecordedCheckpoint{"opportunities", "100"}));
  EXPECT_EQ(emitter.checkpoints[10], (RecordedCheckpoint{"opportunities", "1000"}));
  // campaigns first, then their checkpoint, then the opportunities
  EXPECT_EQ(emitter.events[3], "checkpoint campaigns done");
  EXPECT_EQ(emitter.events[4], "opportunity o-1");
  EXPECT_EQ(emitter.events[104], "checkpoint opportunities 100");
  EXPECT_TRUE(host.log.contains("slow-feed: 3 campaigns"));
}

TEST_F(SlowFeed, RecordsAreTheDocumentedOnes) {
  campaign_hub::test_doubles::FakeHost host(R"({"campaigns": 4, "opportunities": 5})");
  read(host);

  ASSERT_EQ(emitter.campaigns.size(), 4u);
  const campaign_hub::Campaign& first = emitter.campaigns[0];
  EXPECT_EQ(first.external_id, "c-1");
  EXPECT_EQ(first.name, "Campagne n°1");
  EXPECT_EQ(first.status, "Draft");
  EXPECT_EQ(first.raw, R"({"id":"c-1","name":"Campagne n°1","status":"Draft"})");
  EXPECT_EQ(emitter.campaigns[1].status, "Live");
  EXPECT_EQ(emitter.campaigns[2].status, "Done");
  EXPECT_EQ(emitter.campaigns[3].status, "Draft");

  ASSERT_EQ(emitter.opportunities.size(), 5u);
  const campaign_hub::Opportunity& o1 = emitter.opportunities[0];
  EXPECT_EQ(o1.external_id, "o-1");
  EXPECT_EQ(o1.campaign_id, "c-1");
  EXPECT_EQ(o1.status, "Open");
  EXPECT_EQ(o1.amount, 10.5);
  EXPECT_EQ(o1.currency, "EUR");
  EXPECT_EQ(o1.updated_at, "2026-03-01T09:01:00+01:00");
  EXPECT_EQ(o1.raw, R"({"id":"o-1","campaign":"c-1","status":"Open","amount":10.5,)"
                    R"("updated":"2026-03-01T09:01:00+01:00"})");
  const campaign_hub::Opportunity& o5 = emitter.opportunities[4];
  EXPECT_EQ(o5.campaign_id, "c-1");  // round-robin over 4 campaigns
  EXPECT_EQ(emitter.opportunities[1].status, "Won");
  EXPECT_EQ(emitter.opportunities[3].campaign_id, "c-4");
  EXPECT_EQ(o5.amount, 52.5);
}

TEST_F(SlowFeed, TimesCrossMidnight) {
  campaign_hub::test_doubles::FakeHost host(
      R"({"campaigns": 1, "opportunities": 1000, "page_size": 1000})");
  read(host);
  // 09:00 + 900 minutes = 24:00
  EXPECT_EQ(emitter.opportunities[899].updated_at, "2026-03-02T00:00:00+01:00");
}

TEST_F(SlowFeed, ResumesAfterTheSavedCursor) {
  campaign_hub::test_doubles::FakeHost host(R"({"opportunities": 300, "page_size": 100})");
  host.cursors["opportunities"] = "250";
  read(host);

  EXPECT_EQ(emitter.campaigns.size(), 3u);  // campaigns are sent on every run
  ASSERT_EQ(emitter.opportunities.size(), 50u);
  EXPECT_EQ(emitter.opportunities.front().external_id, "o-251");
  EXPECT_EQ(emitter.opportunities.back().external_id, "o-300");
  EXPECT_THAT(emitter.checkpoints, ElementsAre(RecordedCheckpoint{"campaigns", "done"},
                                               RecordedCheckpoint{"opportunities", "300"}));
}

TEST_F(SlowFeed, CursorAtTheEndSendsNoOpportunity) {
  campaign_hub::test_doubles::FakeHost host(R"({"opportunities": 300})");
  host.cursors["opportunities"] = "300";
  read(host);
  EXPECT_TRUE(emitter.opportunities.empty());
  EXPECT_EQ(emitter.last_cursor("opportunities"), std::nullopt);
}

TEST_F(SlowFeed, FailAfterThrowsOnceThatManyAreEmitted) {
  campaign_hub::test_doubles::FakeHost host(
      R"({"opportunities": 300, "page_size": 100, "fail_after": 150})");
  try {
    read(host);
    FAIL() << "read should throw";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("failing after 150 opportunities"));
  }
  EXPECT_EQ(emitter.opportunities.size(), 150u);
  EXPECT_EQ(emitter.last_cursor("opportunities"), "100");
}

TEST_F(SlowFeed, FailAfterCountsFromTheCursor) {
  campaign_hub::test_doubles::FakeHost host(R"({"opportunities": 300, "fail_after": 10})");
  host.cursors["opportunities"] = "100";
  EXPECT_THROW(read(host), std::runtime_error);
  ASSERT_EQ(emitter.opportunities.size(), 10u);
  EXPECT_EQ(emitter.opportunities.front().external_id, "o-101");
  EXPECT_EQ(emitter.last_cursor("opportunities"), std::nullopt);
}

TEST_F(SlowFeed, StatusOverrideAppliesToEveryOpportunity) {
  campaign_hub::test_doubles::FakeHost host(
      R"({"opportunities": 4, "status_of_opportunity": "Mystère"})");
  read(host);
  ASSERT_EQ(emitter.opportunities.size(), 4u);
  for (const auto& opportunity : emitter.opportunities) {
    EXPECT_EQ(opportunity.status, "Mystère");
  }
}

TEST_F(SlowFeed, SameSettingsSameRecords) {
  const std::string settings = R"({"campaigns": 2, "opportunities": 50, "page_size": 7})";
  campaign_hub::test_doubles::FakeHost host(settings);
  read(host);
  campaign_hub::test_doubles::RecordingEmitter again;
  campaign_hub::test_doubles::FakeHost host_again(settings);
  provider->read(host_again, again);

  EXPECT_EQ(again.events, emitter.events);
  ASSERT_EQ(again.opportunities.size(), emitter.opportunities.size());
  for (std::size_t i = 0; i < again.opportunities.size(); ++i) {
    EXPECT_EQ(again.opportunities[i].raw, emitter.opportunities[i].raw);
  }
}

TEST_F(SlowFeed, BadSettingsNameTheKey) {
  campaign_hub::test_doubles::FakeHost wrong_type(R"({"page_size": "ten"})");
  EXPECT_THAT([&] { read(wrong_type); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("settings.page_size")));
  campaign_hub::test_doubles::FakeHost unknown(R"({"page_sise": 10})");
  EXPECT_THAT([&] { read(unknown); }, ::testing::ThrowsMessage<std::invalid_argument>(
                                          HasSubstr("settings.page_sise: unknown setting")));
}

}  // namespace
