// A mapping's webhook section: pushed events made into records by the pull streams' own rules
// (a Connect-style event carrying its record, a HubSpot-style batch read back through the
// scripted connector, deletions as tombstones), unlisted types ignored, and bodies that cannot
// be read refused before anything is emitted. The section's mistakes: mapping_test.cpp.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "campaign_hub/plugin.h"
#include "plugins/rest-json/tests/scripted_reading.h"
#include "plugins/rest-json/webhook_events.h"

// The plugin's exports (CAMPAIGN_HUB_PLUGIN in rest_json.cpp), linked from rest-json-static.
namespace campaign_hub_exports {
const campaign_hub::Descriptor* describe();
std::unique_ptr<campaign_hub::Provider> create();
}  // namespace campaign_hub_exports

namespace rest_json {
namespace {

using campaign_hub::WebhookResult;

// Connect's feed (webhooks.md, 1): one event per body, the object as the pull API returns it.
const std::string kConnect = R"({"provider": "Connect", "streams": [
  {"name": "campaigns", "entity": "campaign", "request": {"path": "/v1/campaigns"},
   "records": "/data", "fields": {"external_id": "/id", "name": "/title", "status": "/status",
   "updated_at": "/updated_at"}},
  {"name": "opportunities", "entity": "opportunity", "request": {"path": "/v1/opportunities"},
   "records": "/data", "fields": {"external_id": "/id", "campaign_id": "/campaign_id",
   "title": "/title", "status": "/status", "readiness_level": "/trl",
   "updated_at": {"pointer": "/updated_at", "format": "rfc3339"}},
   "attributes": {"programme": "/programme"}}],
 "webhook": {"scheme": "standard-webhooks", "type": "/type", "on": {
   "campaign.updated": {"stream": "campaigns", "record": "/data"},
   "campaign.deleted": {"stream": "campaigns",
                        "delete": {"external_id": "/data/id", "updated_at": "/data/updated_at"}},
   "opportunity.updated": {"stream": "opportunities", "record": "/data"}}}})";

// A HubSpot-style CRM (webhooks.md, 3): an array of events naming the deal, read back.
const std::string kHubSpot = R"({"provider": "HubSpot", "streams": [
  {"name": "deals", "entity": "opportunity",
   "request": {"path": "/crm/v3/objects/deals", "query": {"limit": "100"}}, "records": "/results",
   "paging": {"kind": "cursor", "next": "/paging/next/after", "param": "after"},
   "fields": {"external_id": "/id", "title": "/properties/dealname",
     "amount": "/properties/amount", "status": "/properties/dealstage",
     "updated_at": "/properties/hs_lastmodifieddate"},
   "statuses": {"map": {"appointmentscheduled": "active", "closedwon": "won"}}}],
 "webhook": {"scheme": "hubspot-v3", "events": "", "type": "/subscriptionType", "on": {
   "deal.creation": {"stream": "deals",
     "fetch": {"path": "/crm/v3/objects/deals/{/objectId}", "query": {"archived": "false"}}},
   "deal.propertyChange": {"stream": "deals",
     "fetch": {"path": "/crm/v3/objects/deals/{/objectId}", "query": {"archived": "false"}}},
   "deal.deletion": {"stream": "deals", "delete": {"external_id": "/objectId",
     "updated_at": {"pointer": "/occurredAt", "format": "epoch_milliseconds"}}}}}})";

std::string deal(const std::string& id, const std::string& name, const std::string& stage,
                 const std::string& modified) {
  return R"({"id": ")" + id + R"(", "archived": false, "properties": {"dealname": ")" + name +
         R"(", "amount": "3000", "dealstage": ")" + stage + R"(", "hs_lastmodifieddate": ")" +
         modified + R"("}})";
}

struct Pushed {
  campaign_hub::test_doubles::FakeHost host;
  ScriptedHttp http;
  campaign_hub::test_doubles::RecordingEmitter emit;

  WebhookResult receive(const std::string& mapping_json, std::string body) {
    host.http_connector = &http;
    Settings settings;
    settings.mapping = "test.json";
    const Mapping mapping = parse_mapping(mapping_json, "test.json");
    return receive_events(mapping, settings, host,
                          {"POST", "", "", {{"Content-Type", "application/json"}}, std::move(body)},
                          emit);
  }

  // The message of what receive threw, or "taken" / "ignored".
  std::string refusal(const std::string& mapping_json, std::string body) {
    try {
      return receive(mapping_json, std::move(body)) == WebhookResult::taken ? "taken" : "ignored";
    } catch (const std::runtime_error& error) {
      return error.what();
    }
  }
};

TEST(WebhookTest, AConnectEventCarriesTheRecordBuiltByItsStreamsFields) {
  Pushed run;
  EXPECT_EQ(run.receive(kConnect, R"({"type": "opportunity.updated",
    "occurred_at": "2026-03-01T09:30:02Z", "data": {"id": "opp_1", "campaign_id": "cmp_8f2a",
    "title": "Self-healing coatings", "status": "On-hold", "trl": 5, "programme": "EIC",
    "updated_at": "2026-03-01T10:30:00+01:00"}})"),
            WebhookResult::taken);
  ASSERT_EQ(run.emit.opportunities.size(), 1u);
  const auto& o = run.emit.opportunities[0];
  EXPECT_EQ(o.external_id, "opp_1");
  EXPECT_EQ(o.campaign_id, "cmp_8f2a");
  EXPECT_EQ(o.status, "On-hold");
  EXPECT_EQ(o.readiness_level, 5);
  EXPECT_EQ(o.updated_at, "2026-03-01T09:30:00Z");  // the stream's rfc3339 format, in UTC
  EXPECT_EQ(o.attributes, R"({"programme":"EIC"})");
  EXPECT_FALSE(o.deleted);
  EXPECT_NE(o.raw.find(R"("title":"Self-healing coatings")"), std::string::npos);
  EXPECT_EQ(o.raw.find("occurred_at"), std::string::npos);  // raw is the record, not the event
  EXPECT_TRUE(run.emit.checkpoints.empty());
  EXPECT_TRUE(run.http.asked.empty());
}

TEST(WebhookTest, AConnectDeletionIsATombstoneWithTheEventsTime) {
  Pushed run;
  EXPECT_EQ(run.receive(kConnect, R"({"type": "campaign.deleted", "data": {"id": "cmp_8f2a",
    "updated_at": "2026-03-03T10:00:00Z", "deleted": true}})"),
            WebhookResult::taken);
  EXPECT_EQ(run.receive(kConnect, R"({"type": "campaign.updated", "data": {"id": "cmp_9",
    "title": "Spring", "status": "On-going", "updated_at": "2026-03-03T11:00:00Z"}})"),
            WebhookResult::taken);
  ASSERT_EQ(run.emit.campaigns.size(), 2u);
  EXPECT_EQ(run.emit.campaigns[0].external_id, "cmp_8f2a");
  EXPECT_TRUE(run.emit.campaigns[0].deleted);
  EXPECT_EQ(run.emit.campaigns[0].updated_at, "2026-03-03T10:00:00Z");
  EXPECT_FALSE(run.emit.campaigns[0].name.has_value());
  EXPECT_FALSE(run.emit.campaigns[1].deleted);
  EXPECT_EQ(run.emit.campaigns[1].name, "Spring");
  EXPECT_EQ(run.emit.campaigns[1].updated_at, "2026-03-03T11:00:00Z");
}

TEST(WebhookTest, APingOrAnUnlistedTypeIsIgnored) {
  Pushed run;
  EXPECT_EQ(run.receive(kConnect, R"({"type": "ping"})"), WebhookResult::ignored);
  EXPECT_EQ(run.receive(kConnect, R"({"type": "opportunity.created", "data": {"id": "o"}})"),
            WebhookResult::ignored);
  EXPECT_TRUE(run.emit.events.empty());
}

// A pushed record that does not fit goes to quarantine as a pulled one does, and counts as taken.
TEST(WebhookTest, APushedRecordThatDoesNotFitIsRejectedNamingTheField) {
  Pushed run;
  EXPECT_EQ(run.receive(kConnect, R"({"type": "opportunity.updated", "data": {"id": "opp_2",
    "trl": "5k", "updated_at": "2026-03-01T09:30:00Z"}})"),
            WebhookResult::taken);
  EXPECT_TRUE(run.emit.opportunities.empty());
  ASSERT_EQ(run.emit.rejects.size(), 1u);
  EXPECT_EQ(run.emit.rejects[0].external_id, "opp_2");
  EXPECT_EQ(run.emit.rejects[0].field, "readiness_level");
  EXPECT_EQ(run.emit.rejects[0].reason, R"(readiness_level: "5k" at /trl is not an integer)");
}

TEST(WebhookTest, AHubSpotBatchReadsChangedDealsBackAndDeletesAsTombstones) {
  Pushed run;
  run.http.answer("/crm/v3/objects/deals/101?archived=false",
                  deal("101", "Spring launch", "appointmentscheduled", "2026-03-09T20:29:45.981Z"));
  run.http.answer("/crm/v3/objects/deals/102?archived=false",
                  deal("102", "Renewal", "closedwon", "2026-03-10T08:00:00Z"));
  EXPECT_EQ(run.receive(kHubSpot, R"([
    {"eventId": 1, "subscriptionType": "deal.creation", "objectId": 101,
     "occurredAt": 1773088185981, "attemptNumber": 0},
    {"eventId": 2, "subscriptionType": "contact.creation", "objectId": 7,
     "occurredAt": 1773088185981, "attemptNumber": 0},
    {"eventId": 3, "subscriptionType": "deal.propertyChange", "objectId": 102,
     "propertyName": "dealstage", "propertyValue": "closedwon", "occurredAt": 1773129600000,
     "attemptNumber": 1},
    {"eventId": 4, "subscriptionType": "deal.deletion", "objectId": 103,
     "occurredAt": 1767225600250, "attemptNumber": 0}])"),
            WebhookResult::taken);
  EXPECT_EQ(run.http.asked, (std::vector<std::string>{"/crm/v3/objects/deals/101?archived=false",
                                                      "/crm/v3/objects/deals/102?archived=false"}));
  ASSERT_EQ(run.emit.events,
            (std::vector<std::string>{"opportunity 101", "opportunity 102", "opportunity 103"}));
  const auto& created = run.emit.opportunities[0];
  EXPECT_EQ(created.title, "Spring launch");
  EXPECT_EQ(created.amount, 3000);
  EXPECT_EQ(created.status, "appointmentscheduled");
  EXPECT_EQ(created.updated_at, "2026-03-09T20:29:45.981Z");
  EXPECT_FALSE(created.deleted);
  const auto& changed = run.emit.opportunities[1];
  EXPECT_EQ(changed.title, "Renewal");
  EXPECT_EQ(changed.status, "closedwon");
  EXPECT_EQ(changed.updated_at, "2026-03-10T08:00:00Z");
  const auto& deleted = run.emit.opportunities[2];
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.updated_at, "2026-01-01T00:00:00.250Z");
  EXPECT_FALSE(deleted.title.has_value());
  EXPECT_NE(deleted.raw.find(R"("eventId":4)"), std::string::npos);
  EXPECT_TRUE(run.emit.checkpoints.empty());
}

TEST(WebhookTest, ABatchOfUnlistedTypesIsIgnored) {
  Pushed run;
  EXPECT_EQ(run.receive(kHubSpot, R"([{"subscriptionType": "contact.creation", "objectId": 7},
                                      {"subscriptionType": "company.deletion", "objectId": 8}])"),
            WebhookResult::ignored);
  EXPECT_EQ(run.receive(kHubSpot, "[]"), WebhookResult::ignored);
  EXPECT_TRUE(run.emit.events.empty());
  EXPECT_TRUE(run.http.asked.empty());
}

// A deal deleted after the event named it: the read-back answers 404, logged and skipped.
TEST(WebhookTest, ARecordGoneSinceItsEventIsSkipped) {
  Pushed run;
  EXPECT_EQ(run.receive(kHubSpot, R"([{"subscriptionType": "deal.creation", "objectId": 404}])"),
            WebhookResult::ignored);
  EXPECT_TRUE(run.emit.events.empty());
  EXPECT_TRUE(
      run.host.log.contains("stream deals: GET /crm/v3/objects/deals/404 answered 404; "
                            "the record is gone since the event, skipped"));
}

TEST(WebhookTest, AReadBackThatFailsThrowsAsAPullDoes) {
  Pushed run;
  run.http.answers["/crm/v3/objects/deals/5?archived=false"] = {500, {}, "{}"};
  EXPECT_EQ(run.refusal(kHubSpot, R"([{"subscriptionType": "deal.creation", "objectId": 5}])"),
            "stream deals: GET /crm/v3/objects/deals/5 answered 500");
  run.http.answer("/crm/v3/objects/deals/6?archived=false", R"(["not a deal"])");
  EXPECT_EQ(
      run.refusal(kHubSpot, R"([{"subscriptionType": "deal.creation", "objectId": 6}])"),
      R"(stream deals: GET /crm/v3/objects/deals/6: no record (an object) at "" in the answer)");
}

TEST(WebhookTest, ABodyThatCannotBeReadIsRefusedBeforeAnythingIsEmitted) {
  Pushed run;
  EXPECT_EQ(run.refusal(kConnect, "{not json"),
            "the body is not JSON at offset 1: Missing a name for object member.");
  EXPECT_EQ(run.refusal(kConnect, "[]"), "the body is not a JSON object (one event)");
  EXPECT_EQ(run.refusal(kConnect, R"({"data": {}})"),
            "the event has no type (a string) at /type (test.json: /webhook/type)");
  EXPECT_EQ(run.refusal(kConnect, R"({"type": "opportunity.updated", "data": "opp_1"})"),
            R"(the event (opportunity.updated): no record (an object) at "/data" )"
            "(test.json: /webhook/on/opportunity.updated/record)");
  EXPECT_EQ(run.refusal(kHubSpot, R"({"subscriptionType": "deal.creation"})"),
            "the body is not an array of events (test.json: /webhook/events)");
  // The deletion first is valid; the creation after it has no objectId: nothing is emitted.
  EXPECT_EQ(run.refusal(kHubSpot, R"([{"subscriptionType": "deal.deletion", "objectId": 1},
                                      {"subscriptionType": "deal.creation", "objectid": 2}])"),
            R"(the event at /1 (deal.creation): no value at /objectId for the path )"
            R"("/crm/v3/objects/deals/{/objectId}" )"
            "(test.json: /webhook/on/deal.creation/fetch/path)");
  EXPECT_EQ(run.refusal(kHubSpot, R"([{"subscriptionType": "deal.deletion"}])"),
            "the event at /0 (deal.deletion): no external_id at /objectId for the deletion "
            "(test.json: /webhook/on/deal.deletion/delete/external_id)");
  EXPECT_EQ(run.refusal(kHubSpot, R"([7])"), "the event at /0 is not a JSON object");
  EXPECT_TRUE(run.emit.events.empty());
  EXPECT_TRUE(run.http.asked.empty());
}

TEST(WebhookTest, EventsAtAPointerInTheBody) {
  Pushed run;
  std::string mapping = kConnect;
  mapping.replace(mapping.find(R"("type": "/type")"), 15,
                  R"("events": "/events", "type": "/type")");
  EXPECT_EQ(run.receive(mapping, R"({"events": [{"type": "campaign.updated", "data": {"id": "c1",
    "updated_at": "2026-03-03T11:00:00Z"}}, {"type": "ping"}]})"),
            WebhookResult::taken);
  EXPECT_EQ(run.emit.events, std::vector<std::string>{"campaign c1"});
  EXPECT_EQ(run.refusal(mapping, R"({"type": "ping"})"),
            "the body has no array of events at /events (test.json: /webhook/events)");
}

TEST(WebhookTest, ThePluginDeclaresTheCapabilityAndNeedsAWebhookSection) {
  EXPECT_TRUE(campaign_hub_exports::describe()->capabilities & campaign_hub::capability_webhook);
  campaign_hub::test_doubles::FakeHost host(R"({"preset": "clover"})");
  campaign_hub::test_doubles::RecordingEmitter emit;
  try {
    campaign_hub_exports::create()->receive(host, {"POST", "", "", {}, R"({"type": "x"})"}, emit);
    ADD_FAILURE() << "receive took a request without a webhook section";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "preset clover (config/providers/clover.json): the mapping has no webhook section, "
              "so this instance cannot take pushed events (config/providers/README.md, Webhooks)");
  }
  EXPECT_TRUE(emit.events.empty());
}

}  // namespace
}  // namespace rest_json
