// The plugin against a small scripted feed: paging, the cursor across runs (ties on updated_at
// included), bad pages and check(). The whole hub with the simulator is in sync_test.cpp.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "connectors/time/rfc3339.h"
#include "plugins/connect-scouting/connect_scouting.h"

namespace connect_scouting {
namespace {

struct FeedRecord {
  std::string id;
  std::string updated_at;
};

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string query_param(const std::string& url, const std::string& name) {
  auto query = url.find('?');
  if (query == std::string::npos)
    return "";
  std::string rest = url.substr(query + 1);
  std::size_t at = 0;
  while (at <= rest.size()) {
    auto end = rest.find('&', at);
    if (end == std::string::npos)
      end = rest.size();
    std::string pair = rest.substr(at, end - at);
    if (pair.rfind(name + "=", 0) == 0)
      return percent_decode(pair.substr(name.size() + 1));
    at = end + 1;
  }
  return "";
}

// /v1/opportunities as the feed documents it: oldest first, `updated_since` strictly later,
// `limit`, and an opaque cursor (here the position in the list). /v1/campaigns is empty.
class ScriptedFeed : public campaign_hub::Http {
 public:
  std::vector<FeedRecord> opportunities;  // oldest first
  std::vector<std::string> urls;
  int fail_request = 0;       // 1-based request that throws HttpError; 0: none
  int malformed_request = 0;  // 1-based request whose 200 body is cut short
  int status = 200;

  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    urls.push_back(request.url);
    int n = static_cast<int>(urls.size());
    if (n == fail_request) {
      throw campaign_hub::HttpError(
          "GET http://feed.test" + request.url + " failed after 4 attempts: HTTP 503", 503);
    }
    campaign_hub::HttpResponse response;
    response.status = status;
    response.headers = {{"X-RateLimit-Remaining", "99"}};
    if (request.url.rfind("/v1/campaigns", 0) == 0) {
      response.body = R"({"data": [], "next_cursor": null})";
      return response;
    }
    std::size_t limit = std::stoul(query_param(request.url, "limit"));
    std::string since = query_param(request.url, "updated_since");
    std::string cursor = query_param(request.url, "cursor");
    std::size_t from = cursor.empty() ? 0 : std::stoul(cursor);
    std::vector<std::size_t> rows;
    for (std::size_t i = from; i < opportunities.size(); ++i) {
      if (since.empty() || *connectors::time::parse_rfc3339(opportunities[i].updated_at) >
                               *connectors::time::parse_rfc3339(since)) {
        rows.push_back(i);
      }
    }
    std::string body = R"({"data": [)";
    for (std::size_t k = 0; k < rows.size() && k < limit; ++k) {
      const FeedRecord& record = opportunities[rows[k]];
      body += (k ? "," : "") + std::string(R"({"id": ")") + record.id +
              R"(", "campaign_id": "cmp_1", "title": "Film", "status": "Active", "updated_at": ")" +
              record.updated_at + R"("})";
    }
    body += "], \"next_cursor\": ";
    body += rows.size() > limit ? "\"" + std::to_string(rows[limit]) + "\"" : "null";
    body += "}";
    if (n == malformed_request)
      body.resize(body.size() / 2);
    response.body = body;
    return response;
  }
};

std::vector<std::string> ids(const campaign_hub::test_doubles::RecordingEmitter& emitter) {
  std::vector<std::string> out;
  for (const auto& record : emitter.opportunities)
    out.push_back(record.external_id);
  return out;
}

class ConnectScoutingTest : public ::testing::Test {
 protected:
  void SetUp() override { host.http_connector = &feed; }

  // One run; the cursors it checkpointed become the host's saved cursors, as the hub does.
  campaign_hub::test_doubles::RecordingEmitter run(bool expect_failure = false) {
    campaign_hub::test_doubles::RecordingEmitter emitter;
    ConnectScouting plugin;
    if (expect_failure) {
      try {
        plugin.read(host, emitter);
        ADD_FAILURE() << "the run did not fail";
      } catch (const std::exception& error) {
        failure = error.what();
      }
    } else {
      plugin.read(host, emitter);
    }
    for (const auto& checkpoint : emitter.checkpoints)
      host.cursors[checkpoint.stream] = checkpoint.cursor;
    return emitter;
  }

  ScriptedFeed feed;
  campaign_hub::test_doubles::FakeHost host{R"({"page_size": 2, "streams": ["opportunities"]})"};
  std::string failure;
};

TEST_F(ConnectScoutingTest, PagesThroughTheFeedAndCheckpointsEachPage) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"},
                        {"o2", "2026-03-01T10:00:01Z"},
                        {"o3", "2026-03-01T11:00:02+01:00"}};
  auto emitted = run();
  EXPECT_EQ(ids(emitted), (std::vector<std::string>{"o1", "o2", "o3"}));
  EXPECT_EQ(
      emitted.events,
      (std::vector<std::string>{
          "opportunity o1", "opportunity o2",
          R"(checkpoint opportunities {"updated_at":"2026-03-01T10:00:01Z","ids":["o2"]})",
          "opportunity o3",
          R"(checkpoint opportunities {"updated_at":"2026-03-01T11:00:02+01:00","ids":["o3"]})"}));
  EXPECT_EQ(feed.urls, (std::vector<std::string>{"/v1/opportunities?limit=2",
                                                 "/v1/opportunities?limit=2&cursor=2"}));
}

TEST_F(ConnectScoutingTest, SecondRunAsksFromOneSecondBeforeTheCursorAndEmitsNothing) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"}, {"o2", "2026-03-01T10:00:05Z"}};
  run();
  feed.urls.clear();
  auto emitted = run();
  EXPECT_TRUE(emitted.events.empty());
  EXPECT_EQ(feed.urls, (std::vector<std::string>{
                           "/v1/opportunities?limit=2&updated_since=2026-03-01T10%3A00%3A04Z"}));
}

// The feed's filter is strictly later: a cursor of just the last time would lose o3, which
// shares o2's instant but was on the page that failed.
TEST_F(ConnectScoutingTest, RecordSharingTheCursorInstantOnTheNextPageIsNotLost) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"},
                        {"o2", "2026-03-01T10:00:07Z"},
                        {"o3", "2026-03-01T11:00:07+01:00"},  // the same instant as o2
                        {"o4", "2026-03-01T10:00:09Z"}};
  feed.fail_request = 2;
  auto first = run(/*expect_failure=*/true);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"o1", "o2"}));
  EXPECT_EQ(host.cursors["opportunities"], R"({"updated_at":"2026-03-01T10:00:07Z","ids":["o2"]})");

  feed.fail_request = 0;
  auto second = run();
  EXPECT_EQ(ids(second), (std::vector<std::string>{"o3", "o4"}));
}

TEST_F(ConnectScoutingTest, IdsAtTheCursorInstantAccumulateAcrossPages) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:07Z"},
                        {"o2", "2026-03-01T10:00:07Z"},
                        {"o3", "2026-03-01T10:00:07Z"}};
  run();
  EXPECT_EQ(host.cursors["opportunities"],
            R"({"updated_at":"2026-03-01T10:00:07Z","ids":["o1","o2","o3"]})");
  feed.opportunities.push_back({"o4", "2026-03-01T10:00:07Z"});  // a late tie
  auto emitted = run();
  EXPECT_EQ(ids(emitted), (std::vector<std::string>{"o4"}));
}

TEST_F(ConnectScoutingTest, MalformedPageFailsNamingItAndEmitsNothingOfIt) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"},
                        {"o2", "2026-03-01T10:00:01Z"},
                        {"o3", "2026-03-01T10:00:02Z"},
                        {"o4", "2026-03-01T10:00:03Z"}};
  feed.malformed_request = 2;
  auto emitted = run(/*expect_failure=*/true);
  EXPECT_EQ(ids(emitted), (std::vector<std::string>{"o1", "o2"}));
  EXPECT_NE(failure.find("stream opportunities, page 2 (GET /v1/opportunities?limit=2&cursor=2)"),
            std::string::npos)
      << failure;
  EXPECT_NE(failure.find("not valid JSON"), std::string::npos) << failure;
  EXPECT_EQ(emitted.events.back(),
            R"(checkpoint opportunities {"updated_at":"2026-03-01T10:00:01Z","ids":["o2"]})");
}

TEST_F(ConnectScoutingTest, HttpFailureNamesStreamPageAndUrl) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"}};
  feed.fail_request = 1;
  run(/*expect_failure=*/true);
  EXPECT_NE(failure.find("stream opportunities, page 1 (GET /v1/opportunities?limit=2): GET "
                         "http://feed.test/v1/opportunities?limit=2 failed"),
            std::string::npos)
      << failure;
}

TEST_F(ConnectScoutingTest, UnexpectedStatusFailsTheRun) {
  feed.status = 404;
  run(/*expect_failure=*/true);
  EXPECT_NE(failure.find("HTTP 404"), std::string::npos) << failure;
}

TEST_F(ConnectScoutingTest, CorruptSavedCursorFailsWithWhatToDo) {
  host.cursors["opportunities"] = "yesterday";
  run(/*expect_failure=*/true);
  EXPECT_NE(failure.find("saved cursor of stream opportunities"), std::string::npos) << failure;
  EXPECT_NE(failure.find("state reset"), std::string::npos) << failure;
  EXPECT_TRUE(feed.urls.empty());
}

TEST_F(ConnectScoutingTest, HandSetTimeCursorIsAccepted) {
  feed.opportunities = {{"o1", "2026-03-01T10:00:00Z"}, {"o2", "2026-03-02T10:00:00Z"}};
  host.cursors["opportunities"] = "2026-03-01T12:00:00Z";
  auto emitted = run();
  EXPECT_EQ(ids(emitted), (std::vector<std::string>{"o2"}));
}

TEST_F(ConnectScoutingTest, CheckReportsWhatItReachedInOneLine) {
  ConnectScouting plugin;
  auto result = plugin.check(host);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.message,
            "reached the feed with the configured bearer token: GET /v1/campaigns?limit=1 gave 0 "
            "campaigns on the first page; rate limit remaining 99");
}

TEST_F(ConnectScoutingTest, CheckFailureIsOneLine) {
  feed.fail_request = 1;
  ConnectScouting plugin;
  auto result = plugin.check(host);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message.find('\n'), std::string::npos);
  EXPECT_NE(result.message.find("/v1/campaigns?limit=1"), std::string::npos) << result.message;
}

}  // namespace
}  // namespace connect_scouting
