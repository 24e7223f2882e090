// The mailchimp plugin through the whole hub against the provider simulator: what lands in the
// database on a full sync, a repeated one, changes, deletions, an unknown status and check().
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "plugins/mailchimp/tests/mailchimp_sim_fixture.h"

namespace mailchimp_test {
namespace {

using hub::Outcome;

TEST_F(MailchimpSimTest, FullSyncStoresEveryCampaignMappedAndASnapshotPerReport) {
  configure_mailchimp();
  const auto result = sync_one("mc");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(campaigns(), 12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE kind = 'email' AND name IS NOT NULL"), 12);
  // Every raw status is mapped as the descriptor says.
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE NOT ("
                  "(raw_status = 'save' AND status = 'draft') OR "
                  "(raw_status = 'schedule' AND status = 'scheduled') OR "
                  "(raw_status = 'sending' AND status = 'active') OR "
                  "(raw_status = 'paused' AND status = 'paused') OR "
                  "(raw_status = 'sent' AND status = 'completed') OR "
                  "(raw_status = 'canceling' AND status = 'active') OR "
                  "(raw_status = 'canceled' AND status = 'cancelled') OR "
                  "(raw_status = 'archived' AND status = 'completed'))"),
            0);
  ASSERT_GT(reported(), 0);
  EXPECT_EQ(snapshots(), reported());
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots WHERE sent IS NULL OR opens IS NULL "
                  "OR bounces IS NULL OR unsubscribes IS NULL OR abuse_reports IS NULL"),
            0);
  // Drafts have no send time: Mailchimp's "" is stored as no value.
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE raw_status = 'save' AND start_at IS NOT "
                  "NULL"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine"), 0);
  EXPECT_EQ(saved_cursor().find("\"offset\""), std::string::npos) << "the pass completed";
  // Reports side by side, never more than the connector's max_in_flight (4 by default), under
  // Mailchimp's 10 connections.
  EXPECT_LE(simulator().stats().max_in_flight, 4);
}

TEST_F(MailchimpSimTest, ASecondSyncChangesNothingAndReadsOnlyUnfinishedReports) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  const auto before = stored();
  const auto unfinished =
      count("SELECT COUNT(*) FROM campaigns WHERE raw_status IN ('sending', 'canceling')");

  const auto again = sync_one("mc");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.inserted, 0);
  EXPECT_EQ(again.summary.updated, 0);
  EXPECT_EQ(stored(), before);
  // 3 list pages, plus the reports of campaigns still sending or canceling.
  EXPECT_EQ(again.summary.http_requests, 3 + unfinished);
}

// The simulator's Mailchimp answers are computed from each campaign's index alone: touching
// mailchimp.campaigns changes neither its list entry nor its report. A touch is therefore
// invisible here and must change nothing; real changes are made by rewriting answers below.
TEST_F(MailchimpSimTest, TouchedCampaignsOfTheSimulatorChangeNothing) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  const auto before = stored();
  ASSERT_GT(simulator().touch("mailchimp.campaigns", 0.2), 0);
  const auto after = sync_one("mc");
  ASSERT_EQ(after.outcome, Outcome::succeeded) << after.message;
  EXPECT_EQ(after.summary.updated, 0);
  EXPECT_EQ(stored(), before);
}

TEST_F(MailchimpSimTest, IncrementalSyncPicksUpOnlyTheCampaignsThatChanged) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  const std::string first =
      text("SELECT MIN(external_id) FROM campaigns WHERE raw_status = 'sent'");
  const std::string second =
      text("SELECT MIN(external_id) FROM campaigns WHERE raw_status = 'save' AND external_id > '" +
           first + "'");
  ASSERT_NE(second, "<null>");
  const long long snapshots_before = snapshots();
  std::set<std::string> reports_read;

  // `first` got 7 more opens since (list summary and report); `second` was sent meanwhile.
  const auto result =
      sync_rewritten([&](const std::string& url, campaign_hub::HttpResponse& response) {
        if (url.starts_with("campaigns")) {
          rewrite_campaigns(response, [&](rapidjson::Value& c, rapidjson::Document& page) {
            if (c["id"].GetString() == first) {
              auto& opens = c["report_summary"]["opens"];
              opens.SetInt64(opens.GetInt64() + 7);
            } else if (c["id"].GetString() == second) {
              c["status"].SetString("sent", page.GetAllocator());
            }
          });
        } else if (url.starts_with("reports/")) {
          reports_read.insert(url.substr(8));
          if (url == "reports/" + first) {
            rapidjson::Document report;
            report.Parse<rapidjson::kParseFullPrecisionFlag>(response.body.c_str());
            auto& total = report["opens"]["opens_total"];
            total.SetInt64(total.GetInt64() + 7);
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            report.Accept(writer);
            response.body.assign(buffer.GetString(), buffer.GetSize());
          }
        }
      });
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  // Two campaign rows changed, and first has a new snapshot (the hub counts a new snapshot of
  // a campaign that had one as updated); nothing else was written.
  EXPECT_EQ(result.summary.updated, 3);
  EXPECT_EQ(result.summary.inserted, 0);
  EXPECT_EQ(snapshots(), snapshots_before + 1);
  EXPECT_TRUE(reports_read.contains(first));
  EXPECT_TRUE(reports_read.contains(second)) << "sent now: its report is asked (404 here)";
  for (const auto& id : reports_read) {
    EXPECT_TRUE(
        id == first || id == second ||
        text("SELECT raw_status FROM campaigns WHERE external_id = '" + id + "'") == "sending" ||
        text("SELECT raw_status FROM campaigns WHERE external_id = '" + id + "'") == "canceling")
        << id << " is finished and unchanged: its report should not be read";
  }
  EXPECT_EQ(text("SELECT status FROM campaigns WHERE external_id = '" + second + "'"), "completed");
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = '" + second +
                  "' AND from_status = 'draft' AND to_status = 'completed'"),
            1);
}

// Mailchimp lists every campaign on each complete pass; the hub marks deleted the one it no
// longer lists, with an event in its history.
TEST_F(MailchimpSimTest, RemovedCampaignBecomesATombstone) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  const std::string gone = text("SELECT MIN(external_id) FROM campaigns");
  ASSERT_TRUE(simulator().remove("mailchimp.campaigns", gone));
  const auto result = sync_one("mc");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(campaigns(), 12) << "the hub keeps what it knew";
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE deleted = 1"), 1);
  EXPECT_EQ(text("SELECT external_id FROM campaigns WHERE deleted = 1"), gone);
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = '" + gone +
                  "' AND to_status = 'deleted' AND to_raw_status IS NULL AND run_id = " +
                  std::to_string(result.summary.id)),
            1);
  EXPECT_EQ(saved_cursor().find(gone), std::string::npos) << "forgotten once not listed";
  const auto again = sync_one("mc");
  EXPECT_EQ(again.summary.updated, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE deleted = 1"), 1);
}

// The simulator only sends Mailchimp's eight statuses, and status_overrides can add or change
// a mapping but not remove one: the answer is rewritten to carry a status nobody maps.
TEST_F(MailchimpSimTest, UnknownStatusIsQuarantinedAndNamed) {
  configure_mailchimp();
  const auto result =
      sync_rewritten([](const std::string& url, campaign_hub::HttpResponse& response) {
        if (url.starts_with("campaigns") && url.find("offset=0&") != std::string::npos) {
          bool first = true;
          rewrite_campaigns(response, [&](rapidjson::Value& c, rapidjson::Document& page) {
            if (first) {
              c["status"].SetString("queued", page.GetAllocator());
            }
            first = false;
          });
        }
      });
  EXPECT_EQ(result.outcome, Outcome::partial) << result.message;
  EXPECT_EQ(result.summary.quarantined, 1);
  EXPECT_EQ(campaigns(), 11);
  const auto reason = text("SELECT reason FROM quarantine");
  EXPECT_NE(reason.find("unknown campaign status 'queued' from mailchimp"), std::string::npos)
      << reason;
  EXPECT_NE(text("SELECT record FROM quarantine").find("queued"), std::string::npos);
}

TEST_F(MailchimpSimTest, CheckReachesAndAuthenticatesInOneLine) {
  configure_mailchimp();
  const auto& instance = *config_.instance("mc");
  hub::InstanceHost host(instance.name, instance.settings_json, instance.http_json, {},
                         hub::connector_http_factory());
  const auto result = plugins_.get("mailchimp").create()->check(host);
  EXPECT_TRUE(result.ok) << result.message;
  EXPECT_EQ(result.message,
            "Mailchimp API at the instance's http.base_url: API key accepted, 12 campaigns");
}

TEST_F(MailchimpSimTest, CheckWithAWrongKeyFailsInOneLineWithoutTheKey) {
  configure_mailchimp(
      R"({"base_url": "${SIM}/3.0"})",
      R"("auth": {"type": "basic", "username": "hub", "password": "wrong-key-0123-us21"})");
  const auto& instance = *config_.instance("mc");
  hub::InstanceHost host(instance.name, instance.settings_json, instance.http_json, {},
                         hub::connector_http_factory());
  const auto result = plugins_.get("mailchimp").create()->check(host);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message.find('\n'), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("401"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("/3.0/campaigns"), std::string::npos) << result.message;
  EXPECT_EQ(result.message.find("wrong-key"), std::string::npos) << result.message;
}

}  // namespace
}  // namespace mailchimp_test
