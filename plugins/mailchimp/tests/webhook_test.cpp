// Mailchimp's list webhooks through the whole hub against the simulator: kept requests ingested
// (sync --webhooks) after a pull. A campaign event reads the campaign back; unsubscribes and
// cleaned addresses from a campaign refresh its figures from the report, once per run.
#include <string>

#include <gtest/gtest.h>

#include "plugins/mailchimp/tests/mailchimp_sim_fixture.h"

namespace mailchimp_test {
namespace {

using hub::Outcome;

TEST_F(MailchimpSimTest, ListWebhooksRefreshTheirCampaignAndItsFigures) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  const std::string sent =
      text("SELECT MIN(external_id) FROM campaigns WHERE raw_status = 'sent' AND deleted = 0");
  ASSERT_FALSE(sent.empty());
  const long long unsubscribed_before =
      count("SELECT unsubscribes FROM metrics_snapshots WHERE campaign_external_id = '" + sent +
            "' ORDER BY id DESC LIMIT 1");
  const std::string name_before =
      text("SELECT name FROM campaigns WHERE external_id = '" + sent + "'");

  const std::string field = "&data%5Bcampaign_id%5D=" + sent;
  keep("u1", "type=unsubscribe&fired_at=2026-03-26+21%3A31%3A21&data%5Baction%5D=unsub" + field +
                 "&data%5Bemail%5D=a%40example.com");
  keep("c1", "type=cleaned&fired_at=2026-03-26+21%3A32%3A00&data%5Breason%5D=hard" + field +
                 "&data%5Bemail%5D=b%40example.com");
  keep("s1", "type=subscribe&fired_at=2026-03-26+21%3A33%3A00&data%5Bemail%5D=c%40example.com");
  keep("u2",
       "type=unsubscribe&fired_at=2026-03-26+21%3A34%3A00&data%5Baction%5D=unsub"
       "&data%5Bemail%5D=d%40example.com");  // from a form: no campaign
  keep("k1", "type=campaign&fired_at=2026-03-26+21%3A35%3A00&data%5Bid%5D=" + sent +
                 "&data%5Bsubject%5D=Spring&data%5Bstatus%5D=cancelled&data%5Breason%5D=");
  keep("x1", R"({"not": "a form"})");

  // Mailchimp now counts two more unsubscribes, and says the campaign was cancelled.
  int reports_read = 0;
  const auto ingested = sync_rewritten(
      [&](const std::string& url, campaign_hub::HttpResponse& response) {
        if (url.ends_with("reports/" + sent)) {
          ++reports_read;
          rapidjson::Document report;
          report.Parse(response.body.c_str());
          report["unsubscribed"].SetInt64(report["unsubscribed"].GetInt64() + 2);
          rapidjson::StringBuffer buffer;
          rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
          report.Accept(writer);
          response.body.assign(buffer.GetString(), buffer.GetSize());
        } else if (url.ends_with("campaigns/" + sent)) {
          const auto at = response.body.find(R"("status":"sent")");
          ASSERT_NE(at, std::string::npos) << response.body;
          response.body.replace(at, 15, R"("status":"canceled")");
        }
      },
      true);
  ASSERT_EQ(ingested.outcome, Outcome::partial) << ingested.message;  // the JSON body failed
  EXPECT_EQ(ingested.summary.details, R"({"webhooks":"3 taken, 2 ignored, 1 failed"})");
  EXPECT_EQ(reports_read, 1) << "one report read for three events of one campaign";

  EXPECT_EQ(count("SELECT unsubscribes FROM metrics_snapshots WHERE campaign_external_id = '" +
                  sent + "' ORDER BY id DESC LIMIT 1"),
            unsubscribed_before + 2);
  EXPECT_EQ(
      text("SELECT status || '|' || raw_status FROM campaigns WHERE external_id = '" + sent + "'"),
      "cancelled|canceled");
  EXPECT_EQ(text("SELECT name FROM campaigns WHERE external_id = '" + sent + "'"), name_before)
      << "read back whole: the event's fields only would have emptied the name";
  EXPECT_EQ(text("SELECT error FROM webhook_spool WHERE delivery_id = 'x1'"),
            "plugin: the body has no 'type' field: not a Mailchimp list webhook");
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_spool WHERE state = 'ignored' AND delivery_id IN "
                  "('s1', 'u2')"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = '" + sent + "'"), 1);
}

TEST_F(MailchimpSimTest, ACampaignEventForACampaignGoneSinceIsIgnored) {
  configure_mailchimp();
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  keep("k1", "type=campaign&data%5Bid%5D=no-such-campaign&data%5Bstatus%5D=sent");
  const auto ingested = sync_rewritten(nullptr, true);
  ASSERT_EQ(ingested.outcome, Outcome::succeeded) << ingested.message;
  EXPECT_EQ(text("SELECT state FROM webhook_spool WHERE delivery_id = 'k1'"), "ignored");
}

}  // namespace
}  // namespace mailchimp_test
