// read() against a stub Mailchimp account (tests/support FakeHost, RecordingEmitter): what is
// listed, which reports are read, what is emitted and checkpointed, and when.
#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/mailchimp/mailchimp.h"
#include "plugins/mailchimp/sync_cursor.h"

namespace mailchimp {
namespace {

using campaign_hub::HttpRequest;
using campaign_hub::HttpResponse;
using campaign_hub::test_doubles::FakeHost;
using campaign_hub::test_doubles::RecordingEmitter;

struct StubCampaign {
  std::string id;
  std::string status;
  int opens = 0;  // in report_summary and in the report
};

// The requests with each page's reports sorted: they are fetched side by side, in any order,
// but all of them before the next page.
std::vector<std::string> reports_sorted(std::vector<std::string> requests) {
  for (auto run = requests.begin(); run != requests.end();) {
    auto end = std::find_if(run, requests.end(),
                            [](const std::string& url) { return !url.starts_with("reports/"); });
    std::sort(run, end);
    run = end == requests.end() ? end : end + 1;
  }
  return requests;
}

// A Mailchimp account behind campaign_hub::Http: GET campaigns (count/offset) and reports/{id}.
class StubAccount : public campaign_hub::Http {
 public:
  std::vector<StubCampaign> campaigns;
  std::map<std::string, std::string> broken_reports;  // id -> body served instead
  std::string send_time = "2026-01-02T00:00:00+00:00";
  std::vector<std::string> requests;

  // Reports are asked side by side: safe from several threads.
  HttpResponse send(const HttpRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      requests.push_back(request.url);
    }
    if (request.url.starts_with("reports/")) {
      const std::string id = request.url.substr(8);
      if (auto broken = broken_reports.find(id); broken != broken_reports.end()) {
        return {200, {}, broken->second};
      }
      for (const auto& c : campaigns) {
        if (c.id == id && c.status != "save" && c.status != "canceled") {
          return {200,
                  {},
                  R"({"id":")" + id + R"(","emails_sent":100,"abuse_reports":1,)" +
                      R"("unsubscribed":2,"bounces":{"hard_bounces":3,"soft_bounces":4,)" +
                      R"("syntax_errors":5},"opens":{"opens_total":)" + std::to_string(c.opens) +
                      R"(,"unique_opens":6},)" +
                      R"("clicks":{"clicks_total":7},"list_stats":{"sub_rate":1}})"};
        }
      }
      return {404, {}, R"({"title":"Resource Not Found","status":404,"detail":"Not sent."})"};
    }
    const auto count = std::stoul(request.url.substr(request.url.find("count=") + 6));
    const auto offset = std::stoul(request.url.substr(request.url.find("offset=") + 7));
    std::string body = R"({"campaigns":[)";
    for (std::size_t i = offset; i < campaigns.size() && i < offset + count; ++i) {
      const auto& c = campaigns[i];
      const bool sent = c.status != "save" && c.status != "canceled";
      body += std::string(i == offset ? "" : ",") + R"({"id":")" + c.id + R"(","status":")" +
              c.status + R"(","create_time":"2026-01-01T00:00:00+00:00","send_time":")" +
              (sent ? send_time : "") + R"(","emails_sent":)" + (sent ? "100" : "0") +
              R"(,"settings":{"title":"T )" + c.id + R"(","subject_line":""})" +
              (sent ? R"(,"report_summary":{"opens":)" + std::to_string(c.opens) + "}" : "") + "}";
    }
    body += R"(],"total_items":)" + std::to_string(campaigns.size()) + "}";
    return {200, {}, body};
  }

  int report_requests() const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& url : requests) {
      n += url.starts_with("reports/") ? 1 : 0;
    }
    return n;
  }

 private:
  mutable std::mutex mutex_;
};

class ReadTest : public ::testing::Test {
 protected:
  ReadTest() : host_(R"({"page_size": 2, "report_refresh_days": 0})") {
    host_.http_connector = &account_;
    account_.campaigns = {{"a", "sent", 10},
                          {"b", "sent", 20},
                          {"c", "sending", 30},
                          {"d", "save"},
                          {"e", "canceled"}};
  }

  // One sync; the cursor it ends with is saved for the next, as the hub would.
  // One sync; the cursor of its last checkpoint is saved for the next, as the hub would, also
  // when the sync fails.
  RecordingEmitter sync() {
    account_.requests.clear();
    RecordingEmitter emit;
    auto save = [&] {
      if (auto cursor = emit.last_cursor(cursor_stream)) {
        host_.cursors[std::string(cursor_stream)] = *cursor;
      }
    };
    try {
      Mailchimp().read(host_, emit);
    } catch (...) {
      save();
      throw;
    }
    save();
    return emit;
  }

  StubAccount account_;
  FakeHost host_;
};

TEST_F(ReadTest, AFirstSyncEmitsEveryCampaignAndTheReportOfEachSentOne) {
  const auto emit = sync();
  EXPECT_EQ(reports_sorted(account_.requests),
            (std::vector<std::string>{
                "campaigns?count=2&offset=0&sort_field=create_time&sort_dir=ASC", "reports/a",
                "reports/b", "campaigns?count=2&offset=2&sort_field=create_time&sort_dir=ASC",
                "reports/c", "campaigns?count=2&offset=4&sort_field=create_time&sort_dir=ASC",
                "reports/e"}));
  ASSERT_EQ(emit.campaigns.size(), 5u);
  EXPECT_EQ(emit.campaigns[0].name, "T a");
  EXPECT_EQ(emit.campaigns[3].start, std::nullopt);
  ASSERT_EQ(emit.metrics_records.size(), 3u);
  const auto& a = emit.metrics_records[0];
  EXPECT_EQ(a.campaign_id, "a");
  EXPECT_EQ(a.sent, 100);
  EXPECT_EQ(a.opens, 10);
  EXPECT_EQ(a.unique_opens, 6);
  EXPECT_EQ(a.clicks, 7);
  EXPECT_EQ(a.bounces, 7) << "hard + soft, not syntax errors";
  EXPECT_EQ(a.unsubscribes, 2);
  EXPECT_EQ(a.abuse_reports, 1);
  // Each page's records come before its checkpoint; the last one closes the pass.
  EXPECT_EQ(emit.events[0], "campaign a");
  EXPECT_EQ(emit.events[2], "metrics a");
  EXPECT_EQ(emit.events[4].rfind("checkpoint campaigns {\"version\":1,\"pass\":1,\"offset\":2", 0),
            0u)
      << emit.events[4];
  EXPECT_EQ(emit.checkpoints.size(), 3u);
  EXPECT_EQ(emit.last_cursor(cursor_stream)->find("offset"), std::string::npos);
}

TEST_F(ReadTest, ASecondSyncReadsOnlyReportsThatMayHaveChanged) {
  sync();
  account_.campaigns[1].opens = 25;  // b: the list's report_summary moves
  const auto emit = sync();
  EXPECT_EQ(emit.campaigns.size(), 5u) << "every campaign is emitted; the upsert skips unchanged";
  // b changed; c is still sending; a and e are finished and unchanged; d was never sent.
  EXPECT_EQ(account_.report_requests(), 2);
  ASSERT_EQ(emit.metrics_records.size(), 2u);
  EXPECT_EQ(emit.metrics_records[0].campaign_id, "b");
  EXPECT_EQ(emit.metrics_records[0].opens, 25);
  EXPECT_EQ(emit.metrics_records[1].campaign_id, "c");
}

TEST_F(ReadTest, RecentlySentCampaignsHaveTheirReportReadEverySync) {
  host_.settings_text = R"({"page_size": 2, "report_refresh_days": 3})";
  const std::time_t yesterday = std::time(nullptr) - 86400;
  std::tm utc{};
  gmtime_r(&yesterday, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  account_.send_time = text;
  sync();
  sync();
  // a and b: sent yesterday; c: still sending. e was cancelled before sending: unchanged, skipped.
  EXPECT_EQ(account_.report_requests(), 3);
}

TEST_F(ReadTest, UnknownStatusIsEmittedAsSentNeverGuessed) {
  account_.campaigns[3].status = "queued";
  const auto emit = sync();
  ASSERT_EQ(emit.campaigns.size(), 5u);
  EXPECT_EQ(emit.campaigns[3].status, "queued");  // the hub quarantines it, naming the status
}

TEST_F(ReadTest, AMalformedReportFailsTheRunAndLeavesNothingOfItsPage) {
  account_.broken_reports["c"] = R"({"id":"c","emails_sent":1)";
  try {
    sync();
    FAIL() << "a malformed report was accepted";
  } catch (const std::exception& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("GET reports/c"), std::string::npos) << message;
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  }
  // Page 1 (a, b) was checkpointed; page 2 (c, d) left nothing: the next run resumes there.
  const auto cursor = SyncCursor::parse(host_.cursors[std::string(cursor_stream)]);
  EXPECT_EQ(cursor.resume_offset(), 2);
  account_.broken_reports.clear();
  const auto emit = sync();
  EXPECT_EQ(account_.requests.front(),
            "campaigns?count=2&offset=2&sort_field=create_time&sort_dir=ASC");
  EXPECT_EQ(emit.campaigns.size(), 3u);
}

// A complete, stable pass lists every live campaign: the plugin says so, and the hub marks
// deleted what it holds and was not listed (b here).
TEST_F(ReadTest, ACompleteListingSaysItListedAllCampaigns) {
  const auto first = sync();
  EXPECT_EQ(first.listed_all_entities, (std::vector<std::string>{"campaign"}));
  account_.campaigns.erase(account_.campaigns.begin() + 1);  // b
  const auto emit = sync();
  ASSERT_EQ(emit.campaigns.size(), 4u);
  for (const auto& c : emit.campaigns) {
    EXPECT_NE(c.external_id, "b");
    EXPECT_FALSE(c.deleted) << c.external_id;
  }
  EXPECT_EQ(emit.listed_all_entities, (std::vector<std::string>{"campaign"}));
  EXPECT_EQ(emit.events.back().rfind("checkpoint", 0), 0u);
}

TEST_F(ReadTest, AResumedPassTombstonesNothingUntilACompleteOne) {
  sync();
  account_.broken_reports["c"] = "{";
  EXPECT_THROW(sync(), std::exception);
  account_.broken_reports.clear();
  account_.campaigns.erase(account_.campaigns.begin());  // a, already listed by the failed pass
  auto resumed = sync();
  EXPECT_TRUE(resumed.listed_all_entities.empty());  // it did not see its first page
  const auto complete = sync();
  ASSERT_FALSE(complete.campaigns.empty());
  EXPECT_EQ(complete.listed_all_entities, (std::vector<std::string>{"campaign"}));
  for (const auto& c : complete.campaigns)
    EXPECT_NE(c.external_id, "a");
}

TEST_F(ReadTest, CampaignsDeletedWhilePagingAreNotSkippedNorMistakenForDeletions) {
  // After the first page, a is deleted: b shifts to offset 0 and c to offset 1.
  class Shrinking : public campaign_hub::Http {
   public:
    explicit Shrinking(StubAccount& account) : account_(account) {}
    HttpResponse send(const HttpRequest& request) override {
      auto response = account_.send(request);
      if (request.url.starts_with("campaigns") && !deleted_) {
        deleted_ = true;
        account_.campaigns.erase(account_.campaigns.begin());
      }
      return response;
    }

   private:
    StubAccount& account_;
    bool deleted_ = false;
  };
  sync();
  Shrinking shrinking(account_);
  host_.http_connector = &shrinking;
  const auto emit = sync();
  std::vector<std::string> ids;
  for (const auto& c : emit.campaigns) {
    ids.push_back(c.external_id + (c.deleted ? "(deleted)" : ""));
  }
  // Page 2 (offset 2) came back one shorter in total, so c had moved to offset 1: the plugin
  // reads again from there instead of skipping c; a list that changed while paging is not
  // said to be complete.
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d", "e", "c", "d", "e"}));
  EXPECT_TRUE(emit.listed_all_entities.empty());
  host_.http_connector = &account_;
  const auto next = sync();
  ASSERT_EQ(next.campaigns.size(), 4u);
  EXPECT_EQ(next.listed_all_entities, (std::vector<std::string>{"campaign"}));
}

}  // namespace
}  // namespace mailchimp
