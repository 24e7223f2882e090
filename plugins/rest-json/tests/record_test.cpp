// Records from mapped pages: templates, conversions, status matching, nested records, records
// keyed by id, records that do not fit, and each paging kind, through a scripted connector.
#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "plugins/rest-json/tests/scripted_reading.h"

namespace rest_json {
namespace {

TEST(RecordTest, TemplatesConstantsConversionsAndStatuses) {
  Reading run;
  run.http.answer("/v1/items",
                  R"({"items": [{"id": 7, "org": "ACME", "state": "EN COURS D’EXÉCUTION",
    "budget": "1200.5", "count": 3.0, "when": "02/03/2026 09:00", "born": 1767225600}]})");
  run.read(
      one_stream(R"("entity": "campaign", "request": {"path": "/v1/items"}, "records": "/items",
    "fields": {"external_id": "c-{/id}", "name": "{/org} [{/id}]", "kind": {"const": "partner"},
    "status": "/state", "budget": "/budget", "target_count": "/count",
    "start": {"pointer": "/when", "format": "DD/MM/YYYY HH:MM"}, "created_at": "/born"},
    "statuses": {"match": "accent-insensitive", "map": {"En cours d'exécution": "active"}})"));
  ASSERT_EQ(run.emit.campaigns.size(), 1u);
  const auto& c = run.emit.campaigns[0];
  EXPECT_EQ(c.external_id, "c-7");
  EXPECT_EQ(c.name, "ACME [7]");
  EXPECT_EQ(c.kind, "partner");
  EXPECT_EQ(c.status, "EN COURS D’EXÉCUTION");  // the provider's word: the hub maps it
  EXPECT_EQ(c.budget, 1200.5);
  EXPECT_EQ(c.target_count, 3);
  EXPECT_EQ(c.start, "2026-03-02T08:00:00Z");
  EXPECT_EQ(c.created_at, "1767225600");
  EXPECT_NE(c.raw.find("\"org\":\"ACME\""), std::string::npos);
}

// Attributes keep the provider's JSON values as they came (a number stays a number, an object
// an object); constants, templates, counts and formatted times fill them too; an absent or null
// value leaves its key out, and a record with none left has no attributes.
TEST(RecordTest, AttributesKeepTheProvidersValuesAndCountsFillCountFields) {
  Reading run;
  run.http.answer("/deals", R"({"items": [
    {"id": "d1", "pipeline": "default", "score": 12.5, "tags": ["hot", "eu"],
     "stage": {"order": 2, "label": "Qualified"}, "files": [{"n": 1}, {"n": 2}], "gone": null,
     "signed": "02/03/2026 09:00"},
    {"id": "d2"}]})");
  run.read(one_stream(R"("entity": "opportunity", "request": {"path": "/deals"},
    "records": "/items", "fields": {"external_id": "/id", "attachment_count": {"count": "/files"}},
    "attributes": {"pipeline": "/pipeline", "score": "/score", "tags": "/tags", "stage": "/stage",
      "gone": "/gone", "source": {"const": "crm"}, "ref": "deal-{/id}",
      "files": {"count": "/files"},
      "signed_at": {"pointer": "/signed", "format": "DD/MM/YYYY HH:MM"}})"));
  ASSERT_EQ(run.emit.opportunities.size(), 2u)
      << (run.emit.rejects.empty() ? std::string() : run.emit.rejects[0].reason);
  const auto& first = run.emit.opportunities[0];
  EXPECT_EQ(first.attachment_count, 2);
  EXPECT_EQ(first.attributes,
            R"({"pipeline":"default","score":12.5,"tags":["hot","eu"],)"
            R"("stage":{"order":2,"label":"Qualified"},"source":"crm","ref":"deal-d1",)"
            R"("files":2,"signed_at":"2026-03-02T08:00:00Z"})");
  const auto& second = run.emit.opportunities[1];
  EXPECT_EQ(second.attachment_count, std::nullopt);
  EXPECT_EQ(second.attributes, R"({"source":"crm","ref":"deal-d2"})");
}

TEST(RecordTest, AnAttributeThatDoesNotFitIsRejectedUnderAttributes) {
  Reading run;
  run.http.answer("/deals", R"({"items": [{"id": "d1", "signed": "2026-03-02"}]})");
  run.read(one_stream(R"("entity": "opportunity", "request": {"path": "/deals"},
    "records": "/items", "fields": {"external_id": "/id"},
    "attributes": {"signed_at": {"pointer": "/signed", "format": "DD/MM/YYYY"}})"));
  ASSERT_EQ(run.emit.rejects.size(), 1u);
  EXPECT_EQ(run.emit.rejects[0].field, "attributes");
  EXPECT_EQ(run.emit.rejects[0].reason,
            "attributes.signed_at: \"2026-03-02\" does not read as DD/MM/YYYY");
  EXPECT_TRUE(run.emit.opportunities.empty());
}

TEST(MappingTest, AttributesAreRefusedOnMetricsAndCountOnTextFields) {
  EXPECT_THROW(
      {
        try {
          parse_mapping(one_stream(R"("entity": "metrics", "request": {"path": "/m"},
            "records": "/list", "fields": {"campaign_id": "/c"}, "attributes": {"a": "/a"})"),
                        "test.json");
        } catch (const MappingError& error) {
          EXPECT_STREQ(error.what(),
                       "test.json: /streams/0/attributes: metrics have no attributes "
                       "(attributes)");
          throw;
        }
      },
      MappingError);
  EXPECT_THROW(
      {
        try {
          parse_mapping(one_stream(R"("entity": "opportunity", "request": {"path": "/o"},
            "records": "/list", "fields": {"external_id": "/id", "title": {"count": "/t"}})"),
                        "test.json");
        } catch (const MappingError& error) {
          EXPECT_STREQ(error.what(),
                       "test.json: /streams/0/fields/title/count: a count fills integer fields "
                       "only, and \"title\" is not one (count)");
          throw;
        }
      },
      MappingError);
}

TEST(RecordTest, UnknownStatusIsEmittedAsSentSoTheHubQuarantinesIt) {
  Reading run;
  run.http.answer("/v1/items", R"({"items": [{"id": "a", "state": "Archived"}]})");
  run.read(
      one_stream(R"("entity": "campaign", "request": {"path": "/v1/items"}, "records": "/items",
    "fields": {"external_id": "/id", "status": "/state"},
    "statuses": {"map": {"Live": "active"}})"));
  EXPECT_EQ(run.emit.campaigns.at(0).status, "Archived");
}

TEST(RecordTest, AbsentOrNullLeavesTheFieldEmptyAndAMissingTemplatePartEmptiesTheId) {
  Reading run;
  run.http.answer("/v1/items", R"({"items": [{"a": 1, "name": null}]})");
  run.read(
      one_stream(R"("entity": "campaign", "request": {"path": "/v1/items"}, "records": "/items",
    "fields": {"external_id": "{/a}-{/b}", "name": "/name"})"));
  EXPECT_EQ(run.emit.campaigns.at(0).external_id, "");  // the hub: "external_id is missing"
  EXPECT_EQ(run.emit.campaigns.at(0).name, std::nullopt);
}

TEST(RecordTest, ValueThatDoesNotFitIsRejectedNamingTheField) {
  Reading run;
  run.http.answer("/v1/items", R"({"items": [{"id": "a", "n": "12k"}, {"id": "b", "n": 3}]})");
  run.read(
      one_stream(R"("entity": "campaign", "request": {"path": "/v1/items"}, "records": "/items",
    "fields": {"external_id": "/id", "target_count": "/n"})"));
  ASSERT_EQ(run.emit.rejects.size(), 1u);
  EXPECT_EQ(run.emit.rejects[0],
            (campaign_hub::test_doubles::RecordedReject{
                "campaign", "a", "target_count", "target_count: \"12k\" at /n is not an integer",
                R"({"id":"a","n":"12k"})"}));
  ASSERT_EQ(run.emit.campaigns.size(), 1u);  // only the record that fits is emitted
  EXPECT_EQ(run.emit.campaigns[0].external_id, "b");
  EXPECT_EQ(run.emit.campaigns[0].updated_at, std::nullopt);  // no reason smuggled in
  EXPECT_TRUE(run.host.log.contains("campaign record does not fit test.json /streams/0"));

  Reading dates;
  dates.http.answer("/v1/items", R"({"items": [{"id": "a", "d": "2026-03-01"}]})");
  dates.read(
      one_stream(R"("entity": "campaign", "request": {"path": "/v1/items"}, "records": "/items",
    "fields": {"external_id": "/id", "start": {"pointer": "/d", "format": "MM/DD/YYYY"}})"));
  EXPECT_TRUE(dates.emit.campaigns.empty());
  ASSERT_EQ(dates.emit.rejects.size(), 1u);
  EXPECT_EQ(dates.emit.rejects[0].field, "start");
  EXPECT_EQ(dates.emit.rejects[0].reason,
            "start: \"2026-03-01\" at /d does not read as MM/DD/YYYY");

  Reading metrics;
  metrics.http.answer("/m", R"({"list": [{"c": "c-9", "s": "n/a"}]})");
  metrics.read(one_stream(R"("entity": "metrics", "request": {"path": "/m"}, "records": "/list",
    "fields": {"campaign_id": "/c", "sent": "/s"})"));
  ASSERT_EQ(metrics.emit.rejects.size(), 1u);
  EXPECT_EQ(metrics.emit.rejects[0].entity, "metrics");
  EXPECT_EQ(metrics.emit.rejects[0].external_id, "c-9");  // metrics are keyed by campaign
  EXPECT_EQ(metrics.emit.rejects[0].field, "sent");
}

TEST(RecordTest, NestedRecordsTakeTheirParentsFields) {
  Reading run;
  run.http.answer(
      "/p",
      R"({"list": [{"pid": 5, "cid": 88, "steps": [{"n": 1, "s": "Done"}, {"n": 2, "s": "skipped"}]}]})");
  run.read(one_stream(R"("entity": "participant", "request": {"path": "/p"}, "records": "/list",
    "fields": {"external_id": "{/pid}:{/cid}", "campaign_id": "/cid"},
    "nested": [{"entity": "step", "records": "/steps",
      "fields": {"external_id": "{^/pid}:{^/cid}:{/n}", "participant_id": "{^/pid}:{^/cid}", "status": "/s"},
      "statuses": {"match": "case-insensitive", "map": {"Done": "done", "Skipped": "skipped"}}}])"));
  ASSERT_EQ(run.emit.steps.size(), 2u);
  EXPECT_EQ(run.emit.participants.at(0).campaign_id, "88");
  EXPECT_EQ(run.emit.steps[1].external_id, "5:88:2");
  EXPECT_EQ(run.emit.steps[1].participant_id, "5:88");
  EXPECT_EQ(run.emit.steps[0].status, "Done");
  EXPECT_EQ(run.emit.steps[1].status, "skipped");
}

TEST(RecordTest, RecordsKeyedByIdAndSums) {
  Reading run;
  run.http.answer(
      "/c",
      R"({"byId": {"x1": {"name": "One", "j": [{"r": 2}, {"r": 3}, {}]}, "x2": {"name": "Two"}}})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/byId",
    "records_are": "object_by_id",
    "fields": {"external_id": "#key", "name": "/name", "expected_responses": {"sum": "/j", "of": "/r"}})"));
  ASSERT_EQ(run.emit.campaigns.size(), 2u);
  EXPECT_EQ(run.emit.campaigns[0].external_id, "x1");
  EXPECT_EQ(run.emit.campaigns[0].expected_responses, 5);
  EXPECT_EQ(run.emit.campaigns[1].expected_responses, std::nullopt);
}

// The real HubSpot deals of shared/recorded, read in place: 13 of the 20 have a null dealstage,
// emitted as no status (the hub maps it through the mapping's when_missing, see sync_test).
// Milliseconds of the provider's times are kept.
TEST(RecordTest, RealHubSpotDealsAreEmittedWithTheStageAsSent) {
  const std::string body = recorded("hubspot/deals_limit100_last_page.json");
  ASSERT_FALSE(body.empty()) << "../shared/recorded/hubspot is not beside the project";
  const std::string stream = R"("entity": "opportunity", "request": {"path": "/deals"},
    "records": "/results", "fields": {"external_id": "/id", "title": "/properties/dealname",
      "amount": "/properties/amount", "status": "/properties/dealstage",
      "updated_at": "/properties/hs_lastmodifieddate"},
    "statuses": {"map": {"appointmentscheduled": "active", "closedwon": "won"})";

  Reading mapped;
  mapped.http.answer("/deals", body);
  mapped.read(one_stream(stream + R"(, "when_missing": "active"})"));
  ASSERT_EQ(mapped.emit.opportunities.size(), 20u);
  std::size_t without_stage = 0;
  for (const auto& deal : mapped.emit.opportunities)
    without_stage += deal.status ? 0 : 1;
  EXPECT_EQ(without_stage, 13u);
  EXPECT_EQ(mapped.emit.opportunities[0].amount, 3000.0);  // "3000", a numeric string
  EXPECT_EQ(mapped.emit.opportunities[0].updated_at, "2026-03-09T20:29:45.981Z");
}

// The mapping's status maps are handed to the hub as rules: every word with its match mode,
// and when_missing as the rule without a word.
TEST(MappingTest, StatusMapsBecomeTheHubsRules) {
  const Mapping mapping = parse_mapping(
      one_stream(R"("entity": "participant", "request": {"path": "/p"}, "records": "/list",
    "fields": {"external_id": "/id", "campaign_id": "/c", "status": "/s"},
    "statuses": {"match": "accent-insensitive", "map": {"Terminée": "completed"}, "when_missing": "pending"},
    "nested": [{"entity": "step", "records": "/steps",
      "fields": {"external_id": "/n", "participant_id": "{^/id}", "status": "/s"},
      "statuses": {"map": {"Done": "done"}}}])"),
      "test.json");
  using campaign_hub::StatusMatch;
  ASSERT_EQ(mapping.statuses.size(), 3u);
  EXPECT_EQ(mapping.statuses[0].entity, "participant");
  EXPECT_EQ(mapping.statuses[0].provider, std::nullopt);
  EXPECT_EQ(mapping.statuses[0].canonical, "pending");
  EXPECT_EQ(mapping.statuses[1].provider, "Terminée");
  EXPECT_EQ(mapping.statuses[1].canonical, "completed");
  EXPECT_EQ(mapping.statuses[1].match, StatusMatch::accent_insensitive);
  EXPECT_EQ(mapping.statuses[2].entity, "step");
  EXPECT_EQ(mapping.statuses[2].match, StatusMatch::exact);
}

// Two streams of one entity feed one table in the hub: they may not disagree on a word.
TEST(MappingTest, TwoRulesOfOneEntityThatDisagreeOnAWordAreRefused) {
  const std::string json = R"({"provider": "Test", "streams": [
    {"name": "a", "entity": "campaign", "request": {"path": "/a"}, "records": "/r",
     "fields": {"external_id": "/id", "status": "/s"}, "statuses": {"map": {"Live": "active"}}},
    {"name": "b", "entity": "campaign", "request": {"path": "/b"}, "records": "/r",
     "fields": {"external_id": "/id", "status": "/s"},
     "statuses": {"match": "case-insensitive", "map": {"LIVE": "paused"}}}]})";
  try {
    parse_mapping(json, "test.json");
    FAIL() << "the mapping was accepted";
  } catch (const MappingError& error) {
    EXPECT_STREQ(error.what(),
                 "test.json: /streams/1/statuses/map/LIVE: \"LIVE\" and \"Live\" read the same "
                 "under case-insensitive matching but map to different statuses (status)");
  }
}

TEST(MappingTest, WhenMissingMustBeACanonicalStatus) {
  EXPECT_THROW(parse_mapping(one_stream(R"("entity": "opportunity", "request": {"path": "/d"},
    "records": "/r", "fields": {"external_id": "/id", "status": "/s"},
    "statuses": {"map": {"a": "active"}, "when_missing": "open"})"),
                             "test.json"),
               MappingError);
}

// Flags come as true/false, as text ("True", "0") or as 1 and 0; anything else does not fit.
TEST(RecordTest, FlagsAreReadFromTextAndNumbersToo) {
  Reading run;
  run.http.answer("/c", R"({"items": [{"id": "a", "gone": "True"}, {"id": "b", "gone": 0},
                                      {"id": "c", "gone": "0"}, {"id": "d", "gone": "yes"}]})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "fields": {"external_id": "/id", "deleted": "/gone"})"));
  ASSERT_EQ(run.emit.campaigns.size() + run.emit.rejects.size(), 4u);
  bool a_deleted = false, b_kept = false, c_kept = false;
  for (const auto& campaign : run.emit.campaigns) {
    a_deleted = a_deleted || (campaign.external_id == "a" && campaign.deleted);
    b_kept = b_kept || (campaign.external_id == "b" && !campaign.deleted);
    c_kept = c_kept || (campaign.external_id == "c" && !campaign.deleted);
  }
  EXPECT_TRUE(a_deleted);
  EXPECT_TRUE(b_kept);
  EXPECT_TRUE(c_kept);
  ASSERT_EQ(run.emit.rejects.size(), 1u);
  EXPECT_EQ(run.emit.rejects[0].external_id, "d");
}

// PHP providers write an empty keyed array as []: a page of no records, not a failed run.
TEST(RecordTest, AnEmptyArrayIsAnEmptyObjectOfRecordsKeyedById) {
  Reading run;
  run.http.answer("/c", R"({"byId": []})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/byId",
    "records_are": "object_by_id", "fields": {"external_id": "#key", "name": "/name"})"));
  EXPECT_TRUE(run.emit.campaigns.empty());
  EXPECT_TRUE(run.emit.rejects.empty());
}

// A total sent as a numeric string ("3") pages like a number (issue 15).
TEST(PagingTest, OffsetWithATotalSentAsText) {
  Reading run;
  run.http.answer("/c?offset=0&limit=2", R"({"items": [{"id": 1}, {"id": 2}], "total": "3"})");
  run.http.answer("/c?limit=2&offset=2", R"({"items": [{"id": 3}], "total": "3"})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "offset", "limit": 2, "total": "/total"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(run.emit.campaigns.size(), 3u);
}

TEST(PagingTest, OffsetWithATotal) {
  Reading run;
  run.http.answer("/c?offset=0&limit=2", R"({"items": [{"id": 1}, {"id": 2}], "total": 3})");
  run.http.answer("/c?limit=2&offset=2", R"({"items": [{"id": 3}], "total": 3})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "offset", "limit": 2, "total": "/total"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(run.emit.campaigns.size(), 3u);
}

TEST(PagingTest, PagesWithACount) {
  Reading run;
  run.http.answer("/c?page=1&per_page=1", R"({"items": [{"id": 1}], "pages": 2})");
  run.http.answer("/c?per_page=1&page=2", R"({"items": [{"id": 2}], "pages": 2})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "page", "size_param": "per_page", "size": 1, "pages": "/pages"},
    "fields": {"external_id": "/id"})"));
  EXPECT_EQ(run.emit.campaigns.size(), 2u);
}

TEST(PagingTest, CursorTokenNextUrlAndLinkHeader) {
  Reading cursor;
  cursor.http.answer("/c", R"({"items": [{"id": 1}], "next": "t2"})");
  cursor.http.answer("/c?token=t2", R"({"items": [{"id": 2}], "next": null})");
  cursor.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "cursor", "param": "token", "next": "/next"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(cursor.emit.campaigns.size(), 2u);

  Reading next;
  next.http.answer("/c", R"({"items": [{"id": 1}], "suivant": "/c?page=2"})");
  next.http.answer("/c?page=2", R"({"items": [{"id": 2}]})");
  next.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "next_url", "next": "/suivant"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(next.emit.campaigns.size(), 2u);

  Reading link;
  link.http.answer("/c", R"([{"id": 1}])", {{"Link", "</c?p=2>; rel=\"next\""}});
  link.http.answer("/c?p=2", R"([{"id": 2}])");
  link.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "",
    "paging": {"kind": "link_header"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(link.emit.campaigns.size(), 2u);
}

TEST(PagingTest, ChildStreamsPerParentAndAGoneParentIsSkipped) {
  Reading run;
  run.http.answer("/c", R"({"items": [{"id": "a b"}, {"id": "gone"}]})");
  run.http.answer("/c/a%20b/tasks", R"({"items": [{"co": "x"}, {"co": "y"}]})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "fields": {"external_id": "/id"},
    "children": [{"name": "tasks", "entity": "participant", "request": {"path": "/c/{/id}/tasks"},
      "records": "/items", "fields": {"external_id": "{^/id}:{/co}", "campaign_id": "^/id"}}])"));
  EXPECT_EQ(run.emit.participants.size(), 2u);
  EXPECT_EQ(run.emit.participants[1].external_id, "a b:y");
  EXPECT_TRUE(run.host.log.contains("its parent record is gone"));
}

// A connector that answers each request after 30 ms, and counts how many it held at once.
class SlowHttp : public ScriptedHttp {
 public:
  std::atomic<int> now{0}, most{0};
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    const int at = ++now;
    for (int seen = most.load(); at > seen && !most.compare_exchange_weak(seen, at);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    --now;
    return ScriptedHttp::send(request);
  }
};

// The child streams of a page of parents are fetched side by side (at most a few at a time,
// the connector capping what is on the wire), and their records still come out in the parents'
// order, as one request at a time would give them.
TEST(PagingTest, ChildPagesAreFetchedSideBySideAndEmittedInOrder) {
  Reading run;
  SlowHttp slow;
  std::string parents;
  for (int i = 0; i < 8; ++i) {
    parents += std::string(i ? "," : "") + R"({"id": "c)" + std::to_string(i) + R"("})";
    slow.answer("/c/c" + std::to_string(i) + "/tasks",
                R"({"items": [{"co": "p)" + std::to_string(i) + R"("}]})");
  }
  slow.answer("/c", R"({"items": [)" + parents + "]}");
  run.host.http_connector = &slow;
  Settings settings;
  settings.mapping = "test.json";
  const Mapping mapping = parse_mapping(
      one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "fields": {"external_id": "/id"},
    "children": [{"name": "tasks", "entity": "participant", "request": {"path": "/c/{/id}/tasks"},
      "records": "/items", "fields": {"external_id": "/co", "campaign_id": "^/id"}}])"),
      "test.json");
  StreamReader(mapping, settings, run.host, &run.emit).read_all();
  ASSERT_EQ(run.emit.participants.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i)
    EXPECT_EQ(run.emit.participants[i].external_id, "p" + std::to_string(i));
  EXPECT_GE(slow.most.load(), 2);
  EXPECT_EQ(slow.asked.size(), 9u);  // each child page once
}

// Offset paging with a total: once the first page tells how many there are, the later pages
// are asked side by side, and their records still come out in the provider's order.
TEST(PagingTest, LaterOffsetPagesAreFetchedSideBySideAndEmittedInOrder) {
  Reading run;
  SlowHttp slow;
  for (int page = 0; page < 6; ++page) {
    slow.answer(page == 0 ? "/c?offset=0&limit=2" : "/c?limit=2&offset=" + std::to_string(page * 2),
                R"({"total": 11, "items": [{"id": )" + std::to_string(page * 2) + R"(}, {"id": )" +
                    std::to_string(page * 2 + 1) + "}]}");
  }
  run.host.http_connector = &slow;
  Settings settings;
  settings.mapping = "test.json";
  const Mapping mapping = parse_mapping(
      one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "offset", "limit": 2, "total": "/total"}, "fields": {"external_id": "/id"})"),
      "test.json");
  StreamReader(mapping, settings, run.host, &run.emit).read_all();
  ASSERT_EQ(run.emit.campaigns.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i)
    EXPECT_EQ(run.emit.campaigns[i].external_id, std::to_string(i));
  EXPECT_GE(slow.most.load(), 2);
  EXPECT_EQ(slow.asked.size(), 6u);  // each page once
}

// A total no provider could mean plans only a bounded number of pages ahead; the reading stops
// where the pages do (found by the fuzzer: a total of 10^15 planned every page before the first
// request).
TEST(PagingTest, AnAbsurdTotalPlansABoundedNumberOfPages) {
  Reading run;
  run.http.answer("/c?offset=0&limit=2",
                  R"({"items": [{"id": 1}, {"id": 2}], "total": 1000000000000000})");
  run.http.answer("/c?limit=2&offset=2", R"({"items": [], "total": 1000000000000000})");
  run.read(one_stream(R"("entity": "campaign", "request": {"path": "/c"}, "records": "/items",
    "paging": {"kind": "offset", "limit": 2, "total": "/total"}, "fields": {"external_id": "/id"})"));
  EXPECT_EQ(run.emit.campaigns.size(), 2u);
  EXPECT_LE(run.http.asked.size(), 1u + 1000u);
}

TEST(IncrementalTest, SendsTheSavedCursorInTheZoneAndCheckpointsPerPage) {
  const std::string mapping = one_stream(R"("entity": "campaign", "request": {"path": "/c"},
    "records": "/items", "paging": {"kind": "next_url", "next": "/next"},
    "incremental": {"field": "updated_at", "query": {"depuis": "{cursor}"},
                    "format": "YYYY-MM-DDTHH:MM:SS", "sorted": true},
    "fields": {"external_id": "/id", "updated_at": {"pointer": "/m", "format": "DD/MM/YYYY HH:MM"}})");
  Reading first;
  first.http.answer("/c",
                    R"({"items": [{"id": 1, "m": "04/03/2026 10:02"}], "next": "/c?page=2"})");
  first.http.answer("/c?page=2", R"({"items": [{"id": 2, "m": "05/03/2026 11:00"}]})");
  first.read(mapping);
  ASSERT_EQ(first.emit.checkpoints.size(), 2u);
  EXPECT_EQ(first.emit.checkpoints[0].cursor, "2026-03-04T09:02:00Z");
  EXPECT_EQ(first.emit.checkpoints[1].cursor, "2026-03-05T10:00:00Z");

  Reading next;
  next.http.answer("/c?depuis=2026-03-05T11%3A00%3A00", R"({"items": []})");
  next.read(mapping, {{"s", "2026-03-05T10:00:00Z"}});
  EXPECT_EQ(next.http.asked, std::vector<std::string>{"/c?depuis=2026-03-05T11%3A00%3A00"});
  EXPECT_TRUE(next.emit.checkpoints.empty());
}

TEST(SettingsTest, MappingOrPresetNotBoth) {
  EXPECT_THROW(parse_settings(R"({})"), SettingsError);
  EXPECT_THROW(parse_settings(R"({"mapping": "a.json", "preset": "artis"})"), SettingsError);
  auto settings = parse_settings(R"({"preset": "artis", "headers": {"X-Client": "hub"}})");
  EXPECT_EQ(settings.preset, "artis");
  EXPECT_EQ(mapping_for(settings).provider, "ARTIS CRM");
}

}  // namespace
}  // namespace rest_json
