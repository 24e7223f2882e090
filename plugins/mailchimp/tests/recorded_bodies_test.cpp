// Real Mailchimp bodies (../shared/recorded/mailchimp, read in place) through the functions that
// build records: every campaign maps, "" is no value, the report gives its figures.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plugins/mailchimp/campaign_records.h"
#include "plugins/mailchimp/mailchimp.h"

namespace mailchimp {
namespace {

namespace fs = std::filesystem;

class RecordedBodiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(MAILCHIMP_RECORDED_DIR)) {
      GTEST_SKIP() << "recorded Mailchimp bodies not found at " << MAILCHIMP_RECORDED_DIR
                   << " (they live in ../shared/recorded beside the project)";
    }
  }
  static std::string body(const std::string& name) {
    std::ifstream in(fs::path(MAILCHIMP_RECORDED_DIR) / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

std::set<std::string> mapped_statuses() {
  std::set<std::string> statuses;
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    statuses.insert(descriptor.status_map[i].provider);
  }
  return statuses;
}

TEST_F(RecordedBodiesTest, EveryListedCampaignMaps) {
  const auto page = parse_campaign_page(body("campaigns_count10_offset0.json"), "recorded page");
  EXPECT_EQ(page.total_items, 5);
  ASSERT_EQ(page.campaigns.size(), 5u);
  const auto known = mapped_statuses();
  for (const auto& listed : page.campaigns) {
    const auto& c = listed.record;
    EXPECT_EQ(c.external_id.size(), 10u);
    EXPECT_EQ(c.kind, "email");
    ASSERT_TRUE(c.status);
    EXPECT_TRUE(known.contains(*c.status)) << *c.status;
    ASSERT_TRUE(c.created_at);
    EXPECT_TRUE(epoch_seconds(*c.created_at)) << *c.created_at;
    // settings.title is "": the subject line names the campaign.
    EXPECT_TRUE(c.name == "Test Campaign" || c.name == "Schedule Test") << c.name.value_or("-");
    EXPECT_FALSE(c.raw.empty());
    EXPECT_EQ(c.target_count.has_value(), true);
  }
  const auto& sent = page.campaigns[0];
  EXPECT_EQ(sent.record.external_id, "58d6d094d5");
  EXPECT_EQ(sent.record.status, "sent");
  EXPECT_EQ(sent.record.start, "2026-05-21T19:10:48+00:00");
  EXPECT_EQ(sent.record.description, "Test Campaign");
  EXPECT_EQ(sent.record.target_count, 1);
  EXPECT_TRUE(sent.may_have_report);
  EXPECT_FALSE(sent.unfinished);
  for (std::size_t i = 1; i < page.campaigns.size(); ++i) {
    const auto& draft = page.campaigns[i];
    EXPECT_EQ(draft.record.status, "save");
    EXPECT_EQ(draft.record.start, std::nullopt) << "send_time \"\" is no value";
    EXPECT_EQ(draft.send_time, "");
    EXPECT_FALSE(draft.may_have_report);
    EXPECT_EQ(draft.record.target_count, 2);
  }
  EXPECT_EQ(page.campaigns[4].record.name, "Schedule Test");
  // Two drafts that differ only in id and times have the same fingerprint: it is of delivery.
  EXPECT_EQ(page.campaigns[1].fingerprint, page.campaigns[2].fingerprint);
  EXPECT_NE(page.campaigns[0].fingerprint, page.campaigns[1].fingerprint);
}

TEST_F(RecordedBodiesTest, ReportGivesItsFigures) {
  const auto metrics =
      parse_report(body("report_58d6d094d5.json"), "58d6d094d5", "recorded report");
  EXPECT_EQ(metrics.campaign_id, "58d6d094d5");
  EXPECT_EQ(metrics.taken_at, std::nullopt);
  EXPECT_EQ(metrics.sent, 1);
  EXPECT_EQ(metrics.opens, 0);
  EXPECT_EQ(metrics.unique_opens, 0);
  EXPECT_EQ(metrics.clicks, 0);
  EXPECT_EQ(metrics.bounces, 0);
  EXPECT_EQ(metrics.unsubscribes, 0);
  EXPECT_EQ(metrics.abuse_reports, 0);
  EXPECT_EQ(metrics.delivered, std::nullopt);
  EXPECT_NE(metrics.raw.find("\"timeseries\""), std::string::npos);
  EXPECT_EQ(metrics.raw.find("\"list_stats\""), std::string::npos);
  EXPECT_EQ(metrics.raw.find("\"_links\""), std::string::npos);
}

TEST_F(RecordedBodiesTest, ReportOfAnotherCampaignIsRefused) {
  EXPECT_THROW(parse_report(body("report_58d6d094d5.json"), "0000000000", "recorded report"),
               ResponseError);
}

TEST_F(RecordedBodiesTest, ProblemDocumentGivesOneClearLine) {
  EXPECT_EQ(problem_message(body("error_404_resource_not_found.json"), 404),
            "404 Resource Not Found: The requested resource could not be found.");
}

TEST(CampaignRecordsTest, BodiesThatAreNotPagesAreRefusedWithTheirPlace) {
  try {
    parse_campaign_page(R"({"campaigns": [{"id": "a1", "status": "sent"}], "total_it)",
                        "GET campaigns?offset=5");
    FAIL() << "a truncated page was accepted";
  } catch (const ResponseError& error) {
    EXPECT_EQ(std::string(error.what())
                  .find("GET campaigns?offset=5: the answer is not valid "
                        "JSON at offset"),
              0u)
        << error.what();
  }
  EXPECT_THROW(parse_campaign_page(R"({"total_items": 1})", "p"), ResponseError);
  EXPECT_THROW(parse_campaign_page(R"({"campaigns": [], "total_items": "1"})", "p"), ResponseError);
  EXPECT_THROW(parse_campaign_page(R"({"campaigns": [3], "total_items": 1})", "p"), ResponseError);
}

TEST(CampaignRecordsTest, ProblemMessageFallsBackToTheBody) {
  EXPECT_EQ(problem_message("<html>\nBad gateway</html>", 502), "502 <html> Bad gateway</html>");
  EXPECT_EQ(problem_message("", 301), "301");
}

TEST(CampaignRecordsTest, Rfc3339TimesToEpochSeconds) {
  EXPECT_EQ(epoch_seconds("1970-01-01T00:00:00+00:00"), 0);
  EXPECT_EQ(epoch_seconds("2026-05-21T19:10:48+00:00"), 1779390648);
  EXPECT_EQ(epoch_seconds("2026-05-21T21:10:48+02:00"), 1779390648);
  EXPECT_EQ(epoch_seconds("2026-05-21T19:10:48.250Z"), 1779390648);
  EXPECT_EQ(epoch_seconds(""), std::nullopt);
  EXPECT_EQ(epoch_seconds("2026-05-21 19:10"), std::nullopt);
}

}  // namespace
}  // namespace mailchimp
