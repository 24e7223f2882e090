// Connect push events (webhooks.md) as the hub hands them to the plugin: the object an event
// carries is mapped as the feed's own pages are, a deletion is a tombstone with its time, a
// ping or an unknown type is not for the plugin, and a body that is not an event is refused.
#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/connect-scouting/connect_scouting.h"
#include "plugins/connect-scouting/push_events.h"

namespace connect_scouting {
namespace {

using campaign_hub::WebhookResult;

campaign_hub::WebhookRequest event(std::string body) {
  return {"POST",
          "",
          "",
          {{"Content-Type", "application/json"}, {"webhook-id", "msg_1"}},
          std::move(body)};
}

Settings settings() {
  return parse_settings(R"({"campaign_kind": "scouting"})");
}

TEST(PushEvents, AnOpportunityEventCarriesTheFeedsObject) {
  campaign_hub::test_doubles::RecordingEmitter emit;
  const auto result = receive_event(settings(), event(R"({"type": "opportunity.updated",
    "occurred_at": "2026-03-01T09:30:02Z", "data": {"id": "opp_1", "campaign_id": "cmp_8f2a",
    "title": "Self-healing coatings", "status": "On-hold", "trl": 5,
    "updated_at": "2026-03-01T09:30:00Z"}})"),
                                    emit);
  EXPECT_EQ(result, WebhookResult::taken);
  ASSERT_EQ(emit.opportunities.size(), 1u);
  EXPECT_EQ(emit.opportunities[0].external_id, "opp_1");
  EXPECT_EQ(emit.opportunities[0].campaign_id, "cmp_8f2a");
  EXPECT_EQ(emit.opportunities[0].status, "On-hold");
  EXPECT_EQ(emit.opportunities[0].updated_at, "2026-03-01T09:30:00Z");
  EXPECT_TRUE(emit.checkpoints.empty());
}

TEST(PushEvents, ACampaignDeletionIsATombstoneWithItsTime) {
  campaign_hub::test_doubles::RecordingEmitter emit;
  EXPECT_EQ(receive_event(settings(), event(R"({"type": "campaign.deleted", "data": {"id":
    "cmp_8f2a", "updated_at": "2026-03-03T10:00:00Z", "deleted": true}})"),
                          emit),
            WebhookResult::taken);
  EXPECT_EQ(receive_event(settings(), event(R"({"type": "campaign.updated", "data": {"id":
    "cmp_9", "title": "Spring", "status": "On-going", "updated_at": "2026-03-03T11:00:00Z"}})"),
                          emit),
            WebhookResult::taken);
  ASSERT_EQ(emit.campaigns.size(), 2u);
  EXPECT_TRUE(emit.campaigns[0].deleted);
  EXPECT_EQ(emit.campaigns[0].updated_at, "2026-03-03T10:00:00Z");
  EXPECT_FALSE(emit.campaigns[1].deleted);
  EXPECT_EQ(emit.campaigns[1].kind, "scouting");
  EXPECT_EQ(emit.campaigns[1].status, "On-going");
}

TEST(PushEvents, APingOrAnUnknownTypeIsNotForThePlugin) {
  campaign_hub::test_doubles::RecordingEmitter emit;
  EXPECT_EQ(receive_event(settings(), event(R"({"type": "ping"})"), emit), WebhookResult::ignored);
  EXPECT_EQ(receive_event(settings(), event(R"({"type": "connection.created", "data": {}})"), emit),
            WebhookResult::ignored);
  EXPECT_TRUE(emit.events.empty());
}

TEST(PushEvents, ABodyThatIsNotAnEventIsRefusedSayingWhy) {
  campaign_hub::test_doubles::RecordingEmitter emit;
  auto refused = [&](const std::string& body) {
    try {
      receive_event(settings(), event(body), emit);
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused("{not json"), "the event is not a JSON object");
  EXPECT_EQ(refused(R"({"data": {}})"), "the event has no type");
  EXPECT_EQ(refused(R"({"type": "opportunity.created"})"),
            "opportunity.created: the event has no data object");
  EXPECT_EQ(refused(R"({"type": "opportunity.created", "data": {"title": "x"}})"),
            "opportunity.created: data.id is missing");
  EXPECT_TRUE(emit.events.empty());
}

TEST(PushEvents, ThePluginDeclaresTheWebhookCapability) {
  EXPECT_TRUE(descriptor.capabilities & campaign_hub::capability_webhook);
}

}  // namespace
}  // namespace connect_scouting
