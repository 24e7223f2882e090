// The plugin's pieces on their own: SOQL literals, settings, the descriptor, answers, record
// mapping, and the back-off on REQUEST_LIMIT_EXCEEDED.
#include <set>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/salesforce/api.h"
#include "plugins/salesforce/object_stream.h"
#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/record_mapping.h"
#include "plugins/salesforce/salesforce.h"
#include "plugins/salesforce/settings.h"
#include "plugins/salesforce/soql.h"
#include "plugins/salesforce/tests/scripted_http.h"

namespace salesforce {
namespace {

using salesforce_test::ScriptedHttp;

rapidjson::Document json(std::string_view text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  return document;
}

TEST(SoqlDatetime, SalesforceTimesBecomeUtcLiteralsToTheSecond) {
  EXPECT_EQ(soql_datetime("2026-05-06T11:56:44.000+0000"), "2026-05-06T11:56:44Z");
  EXPECT_EQ(soql_datetime("2026-05-06T11:56:44Z"), "2026-05-06T11:56:44Z");
  EXPECT_EQ(soql_datetime("2026-01-01T01:30:00+02:00"), "2025-12-31T23:30:00Z");
  EXPECT_EQ(soql_datetime("2026-03-01"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(soql_datetime("2026-03-01T10:00:00"), std::nullopt);  // zone unknown
  EXPECT_EQ(soql_datetime("yesterday"), std::nullopt);
  EXPECT_EQ(soql_datetime("2026-02-30"), std::nullopt);
}

TEST(Soql, IncrementalQueryIsInclusiveAndOrdered) {
  EXPECT_EQ(incremental_soql({"Campaign", {"Id", "Status"}}, "2026-01-01T00:00:00Z"),
            "SELECT Id, Status FROM Campaign WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER "
            "BY SystemModstamp ASC, Id ASC");
  EXPECT_EQ(query_url("59.0", true, "SELECT Id FROM Campaign"),
            "/services/data/v59.0/queryAll?q=SELECT%20Id%20FROM%20Campaign");
}

TEST(Settings, DefaultsAndEveryKey) {
  Settings d = parse_settings("{}");
  EXPECT_EQ(d.objects, (std::vector<std::string>{"Campaign", "CampaignMember", "Opportunity"}));
  EXPECT_TRUE(d.deletions);
  EXPECT_EQ(d.start, "1970-01-01T00:00:00Z");
  Settings s = parse_settings(
      R"({"api_version": "60.0", "objects": ["Opportunity", "Campaign"], "start": "2026-02-01",
          "batch_size": 500, "deletions": false, "campaign_kind": "email", "org_currency": "EUR",
          "limit_backoff": {"max_attempts": 5, "base_delay_ms": 1, "max_delay_ms": 2}})");
  EXPECT_EQ(s.api_version, "60.0");
  EXPECT_EQ(s.objects, (std::vector<std::string>{"Campaign", "Opportunity"}));
  EXPECT_EQ(s.start, "2026-02-01T00:00:00Z");
  EXPECT_EQ(s.batch_size, 500);
  EXPECT_FALSE(s.deletions);
  EXPECT_EQ(s.org_currency, "EUR");
  EXPECT_EQ(s.limit_backoff.max_attempts, 5);
  try {
    parse_settings(R"({"start": "next monday"})");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "settings/start: must be a date (2026-01-31) or a date-time with an offset "
                 "(date-time)");
  }
  EXPECT_THROW(parse_settings(R"({"start": "soon"})"), std::invalid_argument);  // minLength
}

TEST(Descriptor, SchemaIsJsonAndEveryMappingIsCanonical) {
  EXPECT_FALSE(json(descriptor.settings_schema).HasParseError());
  EXPECT_STREQ(descriptor.name, "salesforce");
  EXPECT_TRUE(descriptor.capabilities & campaign_hub::capability_check);
  const std::map<std::string, std::set<std::string>> canonical = {
      {"campaign",
       {"draft", "scheduled", "testing", "active", "paused", "completed", "cancelled", "failed"}},
      {"opportunity", {"active", "on_hold", "won", "closed", "declined"}},
      {"participant", {"pending", "active", "paused", "completed", "removed"}},
  };
  std::map<std::string, std::string> campaign;
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    const auto& entry = descriptor.status_map[i];
    ASSERT_TRUE(canonical.count(entry.entity)) << entry.entity;
    EXPECT_TRUE(canonical.at(entry.entity).count(entry.canonical)) << entry.provider;
    if (std::string_view(entry.entity) == "campaign")
      campaign[entry.provider] = entry.canonical;
  }
  EXPECT_EQ(campaign, (std::map<std::string, std::string>{{"Planned", "scheduled"},
                                                          {"In Progress", "active"},
                                                          {"Completed", "completed"},
                                                          {"Aborted", "cancelled"}}));
}

TEST(Answers, ErrorArrayLimitHeaderAndMalformedPage) {
  EXPECT_EQ(
      describe_api_error(
          R"([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])"),
      "INVALID_SESSION_ID: Session expired or invalid");
  EXPECT_EQ(api_usage("api-usage=25/15000"), "25/15000");
  EXPECT_EQ(api_usage("per-app-api-usage=2/250(appName=x), api-usage=26/15000"), "26/15000");
  EXPECT_EQ(api_usage("per-app-api-usage=2/250(appName=x)"), std::nullopt);
  try {
    parse_query_page(R"({"totalSize": 3, "done": true, "records": [{"Id": "a"}, {"I)",
                     "Salesforce Opportunity, page 2");
    FAIL();
  } catch (const PageError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("Salesforce Opportunity, page 2: the answer is not valid JSON", 0), 0u)
        << message;
    EXPECT_NE(message.find("nothing of this page was stored"), std::string::npos);
  }
  EXPECT_THROW(parse_query_page(R"({"done": false, "records": []})", "x"), PageError);
}

TEST(RecordMapping, CampaignMemberAndTombstones) {
  auto campaign = json(R"({"attributes": {"type": "Campaign"}, "Id": "701A", "Name": "Spring",
      "Status": "In Progress", "StartDate": "2026-03-01", "EndDate": "2026-04-01",
      "BudgetedCost": 5000.0, "ActualCost": 120.5, "NumberSent": 300.0,
      "NumberOfOpportunities": 4, "OwnerId": "005X", "IsDeleted": false,
      "LastModifiedDate": "2026-03-02T10:00:00.000+0000",
      "SystemModstamp": "2026-03-02T10:00:01.000+0000"})");
  campaign_hub::Campaign c = to_campaign(campaign, {"partner", std::nullopt});
  EXPECT_EQ(c.external_id, "701A");
  EXPECT_EQ(c.kind, "partner");
  EXPECT_EQ(c.status, "In Progress");
  EXPECT_EQ(c.start, "2026-03-01");
  EXPECT_EQ(c.budget, 5000.0);
  EXPECT_EQ(c.spend, 120.5);
  EXPECT_EQ(c.target_count, 300);
  EXPECT_EQ(c.opportunity_count, 4);
  EXPECT_EQ(c.updated_at, "2026-03-02T10:00:00.000+0000");
  EXPECT_FALSE(c.deleted);

  auto member = json(R"({"Id": "00vA", "CampaignId": "701A", "ContactId": null,
      "LeadId": "00QB", "Status": "Responded", "HasResponded": true,
      "FirstRespondedDate": "2026-03-05", "IsDeleted": false,
      "SystemModstamp": "2026-03-05T08:00:00.000+0000"})");
  campaign_hub::Participant p = to_participant(member);
  EXPECT_EQ(p.campaign_id, "701A");
  EXPECT_EQ(p.name, "00QB");
  EXPECT_EQ(p.status, "Responded");
  EXPECT_EQ(p.finished_at, "2026-03-05");

  auto gone = json(R"({"Id": "006Z", "StageName": "Mystery", "CampaignId": "701A",
      "IsDeleted": true, "SystemModstamp": "2026-03-06T08:00:00.000+0000"})");
  campaign_hub::Opportunity o = to_opportunity(gone, {"partner", "EUR"});
  EXPECT_TRUE(o.deleted);
  EXPECT_EQ(o.external_id, "006Z");
  EXPECT_FALSE(o.status);  // a tombstone keeps the stored status; nothing to quarantine
  EXPECT_EQ(o.updated_at, "2026-03-06T08:00:00.000+0000");

  MappingOptions single{"partner", "EUR"};
  auto fields = object_query("Opportunity", single).fields;
  EXPECT_EQ(std::count(fields.begin(), fields.end(), "CurrencyIsoCode"), 0);
  auto opportunity = json(R"({"Id": "006A", "StageName": "Closed Won", "Amount": 10.5,
      "Probability": 100, "IsDeleted": false})");
  EXPECT_EQ(to_opportunity(opportunity, single).currency, "EUR");
}

TEST(RecordMapping, RowsOutOfOrderFailThePageBeforeAnyRow) {
  ScriptedHttp http;
  http.on("/services/data/v59.0/query?", ScriptedHttp::ok(R"({"totalSize": 2, "done": true,
      "records": [{"Id": "b", "SystemModstamp": "2026-03-02T00:00:00.000+0000"},
                  {"Id": "a", "SystemModstamp": "2026-03-01T00:00:00.000+0000"}]})"));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  SalesforceApi api(host, parse_settings("{}"));
  int rows = 0;
  EXPECT_THROW(read_stream(
                   api, "59.0", false, {"Campaign", {"Id"}}, "1970-01-01T00:00:00Z",
                   [&](const rapidjson::Value&) { ++rows; }, [](const std::string&) {}),
               PageError);
  EXPECT_EQ(rows, 0);
}

const char* kLimitBody =
    R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])";
const char* kPage = R"({"totalSize": 0, "done": true, "records": []})";

campaign_hub::HttpError limit_error() {
  // What the connector throws for a real org's 403 (it does not retry a 403).
  return campaign_hub::HttpError(
      std::string("GET http://sf/services/data/v59.0/query?q=... failed after 1 attempt: HTTP "
                  "403, body: ") +
          kLimitBody,
      403);
}

TEST(LimitBackoff, RequestLimitExceededWaitsLongerEachTimeThenGoesOn) {
  ScriptedHttp http;
  http.on("", limit_error());
  http.on("", limit_error());
  http.on("", ScriptedHttp::ok(kPage, "15001/15000"));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  Settings settings = parse_settings("{}");
  settings.limit_backoff = {4, 100, 150};
  std::vector<int> waits;
  SalesforceApi api(host, settings, [&](int ms) { waits.push_back(ms); });
  EXPECT_EQ(api.get("/services/data/v59.0/query?q=x").status, 200);
  EXPECT_EQ(waits, (std::vector<int>{100, 150}));
  EXPECT_EQ(http.urls.size(), 3u);
  EXPECT_TRUE(host.log.contains("REQUEST_LIMIT_EXCEEDED (attempt 1 of 4); waiting 100 ms"));
  EXPECT_EQ(api.usage(), "15001/15000");
}

TEST(LimitBackoff, GivesUpAfterMaxAttemptsWithSalesforcesWords) {
  ScriptedHttp http;
  http.on("", limit_error());
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  Settings settings = parse_settings("{}");
  settings.limit_backoff = {3, 1, 1};
  SalesforceApi api(host, settings, [](int) {});
  try {
    api.get("/services/data/v59.0/query?q=x");
    FAIL();
  } catch (const campaign_hub::HttpError& e) {
    EXPECT_NE(explain(e).find("Salesforce says REQUEST_LIMIT_EXCEEDED: TotalRequests Limit"),
              std::string::npos)
        << explain(e);
  }
  EXPECT_EQ(http.urls.size(), 3u);
}

TEST(LimitBackoff, OtherRefusalsFailAtOnce) {
  ScriptedHttp http;
  http.on(
      "",
      campaign_hub::HttpError(
          R"(GET x failed after 1 attempt: HTTP 403, body: [{"message":"API is not enabled for this Organization or Partner","errorCode":"API_DISABLED_FOR_ORG"}])",
          403));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  SalesforceApi api(host, parse_settings("{}"), [](int) { FAIL() << "no wait expected"; });
  EXPECT_THROW(api.get("/services/data/v59.0/query?q=x"), campaign_hub::HttpError);
  EXPECT_EQ(http.urls.size(), 1u);
}

TEST(Read, EmitsEachObjectAndCheckpointsPerPage) {
  ScriptedHttp http;
  http.on("/services/data/v59.0/queryAll?q=SELECT%20Id%2C%20Name%2C%20Type%2C%20Status",
          ScriptedHttp::ok(R"({"totalSize": 2, "done": false,
              "nextRecordsUrl": "/services/data/v59.0/query/01gX-1",
              "records": [{"Id": "701A", "Status": "Planned", "IsDeleted": false,
                           "SystemModstamp": "2026-03-01T00:00:00.000+0000"}]})"));
  http.on("/services/data/v59.0/query/01gX-1", ScriptedHttp::ok(R"({"totalSize": 2, "done": true,
              "records": [{"Id": "701B", "IsDeleted": true,
                           "SystemModstamp": "2026-03-02T00:00:00.000+0000"}]})"));
  campaign_hub::test_doubles::FakeHost host(R"({"objects": ["Campaign"]})");
  host.cursors["Campaign"] = "2026-02-01T00:00:00Z";
  host.http_connector = &http;
  campaign_hub::test_doubles::RecordingEmitter emit;
  Salesforce().read(host, emit);
  EXPECT_EQ(emit.events, (std::vector<std::string>{
                             "campaign 701A", "checkpoint Campaign 2026-03-01T00:00:00Z",
                             "campaign 701B", "checkpoint Campaign 2026-03-02T00:00:00Z"}));
  EXPECT_TRUE(emit.campaigns[1].deleted);
  EXPECT_NE(http.urls[0].find("SystemModstamp%20%3E%3D%202026-02-01T00%3A00%3A00Z"),
            std::string::npos);
}

TEST(Read, ABadSavedCursorSaysHowToReset) {
  campaign_hub::test_doubles::FakeHost host(R"({"objects": ["Campaign"]})");
  host.cursors["Campaign"] = "page-7";
  campaign_hub::test_doubles::RecordingEmitter emit;
  try {
    Salesforce().read(host, emit);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("state reset"), std::string::npos);
  }
}

}  // namespace
}  // namespace salesforce
