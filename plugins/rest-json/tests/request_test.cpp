// Requests beyond a GET per page: POST search APIs with a JSON body (paging and the time filter
// in the body), and incremental child streams (one cursor for the stream, or one per parent).
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "connectors/json/schema_check.h"
#include "plugins/rest-json/tests/scripted_reading.h"

namespace rest_json {
namespace {

using campaign_hub::test_doubles::RecordedCheckpoint;

// HubSpot's deal search, as the recorded answer shows it: POST a JSON body, the next page's
// `after` token in paging.next.after, sent back in the body; "changed since" is a filter group
// in the body, sent only once a cursor is saved.
const char* kHubSpotSearch = R"({"provider": "HubSpot", "streams": [{"name": "deals",
  "entity": "opportunity",
  "request": {"method": "POST", "path": "/crm/v3/objects/deals/search",
    "body": {"limit": 5, "properties": ["dealname", "dealstage", "hs_lastmodifieddate"],
             "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}]}},
  "records": "/results",
  "paging": {"kind": "cursor", "next": "/paging/next/after", "param": "after", "in": "body"},
  "incremental": {"field": "updated_at", "format": "epoch_milliseconds", "sorted": true,
    "body": {"filterGroups": [{"filters": [{"propertyName": "hs_lastmodifieddate",
      "operator": "GTE", "value": "{cursor}"}]}]}},
  "fields": {"external_id": "/id", "title": "/properties/dealname",
    "status": "/properties/dealstage", "updated_at": "/properties/hs_lastmodifieddate"},
  "statuses": {"map": {"appointmentscheduled": "active"}, "when_missing": "active"}}]})";

const char* kSearchBody =
    R"({"limit":5,"properties":["dealname","dealstage","hs_lastmodifieddate"],)"
    R"("sorts":[{"propertyName":"hs_lastmodifieddate","direction":"ASCENDING"}]})";

// Page 2 of the search was not recorded: the listed deals that page 1 does not hold, as
// HubSpot's last page (no paging key).
std::string second_search_page() {
  rapidjson::Document first, listed;
  first.Parse(recorded("hubspot/deals_search_limit5_page1.json").c_str());
  listed.Parse(recorded("hubspot/deals_limit100_last_page.json").c_str());
  rapidjson::Document page(rapidjson::kObjectType);
  rapidjson::Value results(rapidjson::kArrayType);
  for (auto& deal : listed["results"].GetArray()) {
    bool on_first = false;
    for (const auto& seen : first["results"].GetArray())
      on_first = on_first || seen["id"] == deal["id"];
    if (!on_first)
      results.PushBack(rapidjson::Value(deal, page.GetAllocator()), page.GetAllocator());
  }
  page.AddMember("total", 21, page.GetAllocator());
  page.AddMember("results", results, page.GetAllocator());
  return connectors::json::to_json(page);
}

TEST(RequestTest, RealHubSpotSearchIsPostedAndPagedThroughItsBody) {
  const std::string first_page = recorded("hubspot/deals_search_limit5_page1.json");
  if (first_page.empty())
    GTEST_SKIP() << "../shared/recorded is not beside the project";
  const std::string url = "/crm/v3/objects/deals/search";
  std::string after_five(kSearchBody);
  after_five.insert(after_five.size() - 1, R"(,"after":"5")");

  Reading run;
  run.http.answer_post(url, kSearchBody, first_page);
  run.http.answer_post(url, after_five, second_search_page());
  run.read(kHubSpotSearch);
  ASSERT_EQ(run.http.requests.size(), 2u);
  for (const auto& request : run.http.requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_NE(std::find(request.headers.begin(), request.headers.end(),
                        std::pair<std::string, std::string>{"Content-Type", "application/json"}),
              request.headers.end());
  }
  EXPECT_EQ(run.http.requests[1].body, after_five);
  EXPECT_EQ(run.emit.opportunities.size(), 20u);  // 5 on the recorded page, 15 after
  EXPECT_TRUE(run.emit.rejects.empty());
  // Sorted: a checkpoint per page, at the latest modification read.
  ASSERT_FALSE(run.emit.checkpoints.empty());
  EXPECT_EQ(run.emit.checkpoints.back().stream, "deals");
  EXPECT_EQ(run.emit.checkpoints.back().cursor, "2026-03-12T07:34:04.426Z");
}

TEST(RequestTest, SavedCursorAddsTheTimeFilterToTheBody) {
  Reading run;
  std::string filtered(kSearchBody);
  filtered.insert(filtered.size() - 1,
                  R"(,"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate",)"
                  R"("operator":"GTE","value":"1773088185981"}]}])");
  run.http.answer_post("/crm/v3/objects/deals/search", filtered, R"({"total": 0, "results": []})");
  run.read(kHubSpotSearch, {{"deals", "2026-03-09T20:29:45.981Z"}});
  ASSERT_EQ(run.http.requests.size(), 1u);
  EXPECT_EQ(run.http.requests[0].body, filtered);
  EXPECT_TRUE(run.emit.checkpoints.empty());
}

TEST(RequestTest, BodyAndPagingInTheBodyNeedPost) {
  const auto error = [](const std::string& stream) {
    try {
      parse_mapping(one_stream(stream), "test.json");
    } catch (const MappingError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(R"("entity": "campaign", "request": {"path": "/s", "body": {"q": 1}},
    "records": "/r", "fields": {"external_id": "/id"})"),
            "test.json: /streams/0/request/body: a request body needs \"method\": \"POST\" (body)");
  EXPECT_EQ(error(R"("entity": "campaign", "request": {"path": "/s"}, "records": "/r",
    "paging": {"kind": "cursor", "next": "/n", "param": "after", "in": "body"},
    "fields": {"external_id": "/id"})"),
            "test.json: /streams/0/paging/in: paging in the body needs \"method\": \"POST\" "
            "(paging)");
}

// Offset paging in the body: the offset and the limit are members of the body, as numbers.
TEST(RequestTest, OffsetPagingInTheBody) {
  Reading run;
  run.http.answer_post("/search", R"({"q":"x","offset":0,"limit":2})",
                       R"({"items": [{"id": "a"}, {"id": "b"}], "total": "3"})");
  run.http.answer_post("/search", R"({"q":"x","offset":2,"limit":2})",
                       R"({"items": [{"id": "c"}], "total": "3"})");
  run.read(one_stream(R"("entity": "campaign",
    "request": {"method": "POST", "path": "/search", "body": {"q": "x"}}, "records": "/items",
    "paging": {"kind": "offset", "limit": 2, "total": "/total", "in": "body"},
    "fields": {"external_id": "/id"})"));
  ASSERT_EQ(run.emit.campaigns.size(), 3u);
  EXPECT_EQ(run.emit.campaigns[2].external_id, "c");
}

// Clover-like campaigns with their tasks, the tasks read with a time filter.
std::string with_tasks(const std::string& incremental) {
  return one_stream(R"("entity": "campaign", "request": {"path": "/campaigns"},
    "records": "/items", "fields": {"external_id": "/id"},
    "children": [{"name": "tasks", "entity": "opportunity",
      "request": {"path": "/campaigns/{/id}/tasks"}, "records": "/items",
      "incremental": )" +
                    incremental + R"(,
      "fields": {"external_id": "{^/id}:{/company}", "campaign_id": "^/id",
        "updated_at": "/updated_at", "status": {"const": "open"}},
      "statuses": {"map": {"open": "active"}}}])");
}

void answer_tasks(ScriptedHttp& http, const std::string& a_query, const std::string& b_query) {
  http.answer("/campaigns", R"({"items": [{"id": "a"}, {"id": "b"}]})");
  http.answer("/campaigns/a/tasks" + a_query,
              R"({"items": [{"company": "x", "updated_at": "2026-03-02T10:00:00Z"},
                            {"company": "y", "updated_at": "2026-03-05T10:00:00.250Z"}]})");
  http.answer("/campaigns/b/tasks" + b_query,
              R"({"items": [{"company": "z", "updated_at": "2026-03-04T08:00:00Z"}]})");
}

// One cursor for the child stream: the latest task over every campaign, committed once, after
// the last campaign; the next sync sends it to every campaign's request.
TEST(RequestTest, ChildStreamWithOneCursorSendsItToEveryParent) {
  const std::string mapping =
      with_tasks(R"({"field": "updated_at", "query": {"updated_since": "{cursor}"}})");
  Reading first;
  answer_tasks(first.http, "", "");
  first.read(mapping);
  EXPECT_EQ(first.emit.opportunities.size(), 3u);
  EXPECT_EQ(first.emit.checkpoints,
            (std::vector<RecordedCheckpoint>{{"tasks", "2026-03-05T10:00:00.250Z"}}));
  EXPECT_EQ(first.emit.events.back(), "checkpoint tasks 2026-03-05T10:00:00.250Z");

  Reading next;
  const std::string since = "?updated_since=2026-03-05T10%3A00%3A00.250Z";
  answer_tasks(next.http, since, since);
  next.read(mapping, {{"tasks", "2026-03-05T10:00:00.250Z"}});
  EXPECT_EQ(sorted(next.http.asked),
            (std::vector<std::string>{"/campaigns", "/campaigns/a/tasks" + since,
                                      "/campaigns/b/tasks" + since}));
  // Nothing later than the saved cursor: it stays.
  EXPECT_TRUE(next.emit.checkpoints.empty());
}

// A cursor per parent, named after its request path: each campaign's tasks since its own.
TEST(RequestTest, ChildStreamWithACursorPerParent) {
  const std::string mapping =
      with_tasks(R"({"field": "updated_at", "query": {"since": "{cursor}"}, "per_parent": true})");
  Reading first;
  answer_tasks(first.http, "", "");
  first.read(mapping);
  EXPECT_EQ(first.emit.checkpoints, (std::vector<RecordedCheckpoint>{
                                        {"tasks /campaigns/a/tasks", "2026-03-05T10:00:00.250Z"},
                                        {"tasks /campaigns/b/tasks", "2026-03-04T08:00:00Z"}}));

  Reading next;
  answer_tasks(next.http, "?since=2026-03-05T10%3A00%3A00.250Z", "");
  next.read(mapping, {{"tasks /campaigns/a/tasks", "2026-03-05T10:00:00.250Z"}});
  EXPECT_EQ(sorted(next.http.asked),
            (std::vector<std::string>{"/campaigns",
                                      "/campaigns/a/tasks?since=2026-03-05T10%3A00%3A00.250Z",
                                      "/campaigns/b/tasks"}));
}

// A lookup is read first, page by page, into a dictionary: a deal's owner id becomes the owner's
// e-mail. An id the lookup does not hold leaves the field empty and says so; it is not guessed.
TEST(RequestTest, LookupResolvesOwnerIdsToEmails) {
  Reading run;
  run.http.answer("/owners?limit=2",
                  R"({"results": [{"id": "11", "email": "ana@example.com"},
                                  {"id": 12, "email": "bo@example.com"}],
                      "paging": {"next": {"link": "/owners?limit=2&after=2"}}})");
  run.http.answer("/owners?limit=2&after=2",
                  R"({"results": [{"id": "13", "email": null}, {"id": "14"}]})");
  run.http.answer("/deals", R"({"results": [
    {"id": "d1", "owner": "11"}, {"id": "d2", "owner": 12}, {"id": "d3", "owner": "99"},
    {"id": "d4"}, {"id": "d5", "owner": "13"}]})");
  run.read(R"({"provider": "Test", "lookups": [{"name": "owners",
      "request": {"path": "/owners", "query": {"limit": "2"}}, "records": "/results",
      "paging": {"kind": "next_url", "next": "/paging/next/link"},
      "key": "/id", "value": "/email"}],
    "streams": [{"name": "deals", "entity": "opportunity", "request": {"path": "/deals"},
      "records": "/results", "fields": {"external_id": "/id",
        "owner": {"lookup": "owners", "key": "/owner"}},
      "attributes": {"owner_email": {"lookup": "owners", "key": "/owner"}}}]})");
  ASSERT_EQ(run.emit.opportunities.size(), 5u);
  EXPECT_EQ(run.emit.opportunities[0].owner, "ana@example.com");
  EXPECT_EQ(run.emit.opportunities[0].attributes, R"({"owner_email":"ana@example.com"})");
  EXPECT_EQ(run.emit.opportunities[1].owner, "bo@example.com");  // a numeric id matches too
  EXPECT_EQ(run.emit.opportunities[2].owner, std::nullopt);
  EXPECT_EQ(run.emit.opportunities[3].owner, std::nullopt);  // no id: nothing to look up
  EXPECT_EQ(run.emit.opportunities[4].owner, std::nullopt);  // a null e-mail is not kept
  EXPECT_TRUE(run.host.log.contains("opportunity d3: lookup owners: 99 is not in the lookup"));
  EXPECT_EQ(run.http.asked.front(), "/owners?limit=2");
}

TEST(RequestTest, LookupMustBeNamedInTheFile) {
  try {
    parse_mapping(one_stream(R"("entity": "opportunity", "request": {"path": "/d"},
      "records": "/r", "fields": {"external_id": "/id", "owner": {"lookup": "users",
      "key": "/owner"}})"),
                  "test.json");
    ADD_FAILURE() << "no error";
  } catch (const MappingError& error) {
    EXPECT_STREQ(error.what(),
                 "test.json: /streams/0/fields/owner/lookup: no lookup named \"users\"; the file "
                 "has no lookups (lookup)");
  }
}

TEST(RequestTest, TopLevelStreamHasNoParentCursor) {
  EXPECT_THROW(parse_mapping(one_stream(R"("entity": "campaign", "request": {"path": "/c"},
    "records": "/items", "fields": {"external_id": "/id", "updated_at": "/u"},
    "incremental": {"field": "updated_at", "query": {"s": "{cursor}"}, "per_parent": true})"),
                             "test.json"),
               MappingError);
}

}  // namespace
}  // namespace rest_json
