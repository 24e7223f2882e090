// Real Salesforce answers (../shared/recorded/salesforce, see its README) through the plugin's
// page reader, paging and record mapping.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "plugins/salesforce/object_stream.h"
#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/record_mapping.h"
#include "plugins/salesforce/salesforce.h"
#include "plugins/salesforce/settings.h"
#include "plugins/salesforce/tests/scripted_http.h"

namespace salesforce {
namespace {

using salesforce_test::ScriptedHttp;

const std::filesystem::path kRecorded = SALESFORCE_RECORDED_DIR;

class Recorded : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kRecorded)) {
      GTEST_SKIP() << "recorded Salesforce bodies not found at " << kRecorded.string()
                   << " (../shared/recorded next to the project); skipping";
    }
  }

  static std::string body(const std::string& name) {
    std::ifstream in(kRecorded / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

std::string status_of(std::string_view entity, std::string_view provider) {
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    const auto& entry = descriptor.status_map[i];
    if (entity == entry.entity && provider == entry.provider)
      return entry.canonical;
  }
  return "<unmapped>";
}

TEST_F(Recorded, EveryRecordedOpportunityMapsWithAKnownStage) {
  QueryPage page = parse_query_page(body("query_opportunity_single_page.json"), "recorded");
  EXPECT_TRUE(page.done);
  EXPECT_FALSE(page.next_records_url);
  ASSERT_EQ(page.records().Size(), 31u);
  std::set<std::string> stages;
  for (const auto& row : page.records().GetArray()) {
    campaign_hub::Opportunity o = to_opportunity(row, {});
    EXPECT_EQ(o.external_id.substr(0, 3), "006");
    ASSERT_TRUE(o.status);
    EXPECT_NE(status_of("opportunity", *o.status), "<unmapped>") << *o.status;
    stages.insert(*o.status);
    EXPECT_TRUE(o.title);
    EXPECT_FALSE(o.campaign_id);  // not selected in the recording
    EXPECT_EQ(*o.updated_at, "2026-05-01T07:25:37.000+0000");
    EXPECT_NE(o.raw.find("\"attributes\""), std::string::npos);
  }
  EXPECT_EQ(status_of("opportunity", "Id. Decision Makers"), "active");
  EXPECT_EQ(status_of("opportunity", "Closed Won"), "won");
  EXPECT_TRUE(stages.count("Id. Decision Makers"));
  campaign_hub::Opportunity first = to_opportunity(page.records()[0], {});
  EXPECT_EQ(first.external_id, "006dM00000Mw7VtQAJ");
  EXPECT_EQ(first.title, "Dickenson Mobile Generators");
  EXPECT_EQ(first.amount, 15000.0);
  EXPECT_EQ(first.status, "Qualification");
}

TEST_F(Recorded, EmptyResultIsOneEmptyPage) {
  ScriptedHttp http;
  http.on("/services/data/v59.0/query?", ScriptedHttp::ok(body("query_empty_result.json")));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  SalesforceApi api(host, parse_settings("{}"));
  int rows = 0;
  std::vector<std::string> cursors;
  auto progress = read_stream(
      api, "59.0", false, {"CaseComment", {"Id"}}, "1970-01-01T00:00:00Z",
      [&](const rapidjson::Value&) { ++rows; },
      [&](const std::string& cursor) { cursors.push_back(cursor); });
  EXPECT_EQ(rows, 0);
  EXPECT_EQ(progress.pages, 1);
  EXPECT_TRUE(cursors.empty());  // nothing read: the saved cursor stays where it was
}

// The two recorded Account pages: 2000 rows, a relative nextRecordsUrl, then 86 rows; the
// boundary falls inside five rows sharing 2026-05-06T11:56:44.000+0000.
class RecordedAccounts : public Recorded {
 protected:
  const ObjectQuery accounts{"Account", {"Id", "Name", "SystemModstamp"}};
};

TEST_F(RecordedAccounts, RelativeNextRecordsUrlIsFollowedToTheLastPage) {
  ScriptedHttp http;
  http.on("/services/data/v59.0/query?", ScriptedHttp::ok(body("query_account_page1_of2.json")));
  http.on("/services/data/v59.0/query/0r8xx5R2yF2gs3VASQ-2000",
          ScriptedHttp::ok(body("query_account_page2_of2.json"), "31/15000"));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  SalesforceApi api(host, parse_settings("{}"));
  std::set<std::string> ids;
  std::vector<std::string> cursors;
  auto progress = read_stream(
      api, "59.0", false, accounts, "1970-01-01T00:00:00Z",
      [&](const rapidjson::Value& row) { ids.insert(row_id(row)); },
      [&](const std::string& cursor) { cursors.push_back(cursor); });
  EXPECT_EQ(progress.rows, 2086);
  EXPECT_EQ(ids.size(), 2086u);
  EXPECT_EQ(progress.pages, 2);
  ASSERT_EQ(http.urls.size(), 2u);
  EXPECT_EQ(http.urls[1], "/services/data/v59.0/query/0r8xx5R2yF2gs3VASQ-2000");
  ASSERT_EQ(cursors.size(), 2u);
  EXPECT_EQ(cursors[0], "2026-05-06T11:56:44Z");  // the tie at the boundary
  EXPECT_EQ(api.usage(), "31/15000");
}

TEST_F(RecordedAccounts, ResumeAfterPageOneLosesNoRowOfTheTieAtTheBoundary) {
  QueryPage page1 = parse_query_page(body("query_account_page1_of2.json"), "page 1");
  QueryPage page2 = parse_query_page(body("query_account_page2_of2.json"), "page 2");
  std::set<std::string> all;
  for (const QueryPage* page : {&page1, &page2}) {
    for (const auto& row : page->records().GetArray())
      all.insert(row_id(row));
  }
  ASSERT_EQ(all.size(), 2086u);

  // A run stops after page 1 is committed with its checkpoint.
  ScriptedHttp http;
  http.on("/services/data/v59.0/query?", ScriptedHttp::ok(body("query_account_page1_of2.json")));
  http.on("/services/data/v59.0/query/", campaign_hub::HttpError("GET page 2: reset", 0));
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  SalesforceApi api(host, parse_settings("{}"));
  std::set<std::string> stored;
  std::string cursor;
  std::set<std::string> pending;
  auto on_row = [&](const rapidjson::Value& row) { pending.insert(row_id(row)); };
  auto on_page = [&](const std::string& c) {
    stored.insert(pending.begin(), pending.end());
    pending.clear();
    cursor = c;
  };
  EXPECT_THROW(read_stream(api, "59.0", false, accounts, "1970-01-01T00:00:00Z", on_row, on_page),
               std::runtime_error);
  ASSERT_EQ(cursor, "2026-05-06T11:56:44Z");

  // The next run asks for SystemModstamp >= cursor: Salesforce answers every row from that
  // second on, which here are the rows of both pages at or after it.
  std::int64_t tied_on_page2 = 0;
  rapidjson::Document resumed;
  resumed.SetObject();
  rapidjson::Value records(rapidjson::kArrayType);
  for (const QueryPage* page : {&page1, &page2}) {
    for (const auto& row : page->records().GetArray()) {
      if (*row_modstamp(row) >= cursor)
        records.PushBack(rapidjson::Value(row, resumed.GetAllocator()), resumed.GetAllocator());
      if (page == &page2 && *row_modstamp(row) == cursor)
        ++tied_on_page2;
    }
  }
  EXPECT_GT(tied_on_page2, 0) << "the recording's tie straddles the page boundary";
  resumed.AddMember("totalSize", records.Size(), resumed.GetAllocator());
  resumed.AddMember("done", true, resumed.GetAllocator());
  resumed.AddMember("records", records, resumed.GetAllocator());
  ScriptedHttp again;
  again.on("/services/data/v59.0/query?", ScriptedHttp::ok(to_json(resumed)));
  host.http_connector = &again;
  SalesforceApi api2(host, parse_settings("{}"));
  read_stream(api2, "59.0", false, accounts, cursor, on_row, on_page);
  EXPECT_NE(again.urls.at(0).find("SystemModstamp%20%3E%3D%202026-05-06T11%3A56%3A44Z"),
            std::string::npos)
      << again.urls.at(0);
  EXPECT_EQ(stored, all);  // with "> cursor" the tied rows of page 2 would be missing
}

TEST_F(Recorded, OAuthErrorBodyGivesAClearOneLineMessage) {
  std::string error_body = body("oauth2_token_error_invalid_grant.json");
  EXPECT_EQ(describe_oauth_error(error_body),
            "invalid_grant: authentication failure - Invalid Password");
  campaign_hub::HttpError error(
      "OAuth2 token request https://login.salesforce.com/services/oauth2/token failed after 1 "
      "attempt: HTTP 400, body: " +
          error_body,
      400);
  std::string message = explain(error);
  EXPECT_NE(message.find("invalid_grant: authentication failure - Invalid Password"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("client_secret"), std::string::npos);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST_F(Recorded, TokenSuccessBodyIsNotAnError) {
  EXPECT_EQ(describe_oauth_error(body("oauth2_token_success.json")), "");
}

}  // namespace
}  // namespace salesforce
