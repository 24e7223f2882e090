// Every fault the simulator injects, on Mailchimp's endpoints: the sync either completes with
// every record once, or fails with a clear error naming the URL (never the key), leaves nothing
// of the failing page written, and the next run resumes from its cursor and ends equal to a
// clean run.
#include <string>

#include <gtest/gtest.h>

#include "plugins/mailchimp/tests/mailchimp_sim_fixture.h"

namespace mailchimp_test {
namespace {

using hub::Outcome;

class MailchimpFaultTest : public MailchimpSimTest {
 protected:
  // Every campaign once, a snapshot per report, nothing in quarantine; and a full refresh
  // without faults (a clean run) changes nothing.
  void expect_complete_and_clean() {
    EXPECT_EQ(campaigns(), 12);
    EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT external_id FROM campaigns GROUP BY "
                    "external_id HAVING COUNT(*) > 1)"),
              0);
    EXPECT_EQ(snapshots(), reported());
    EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine"), 0);
    simulator().set_faults("[]");
    const auto before = stored();
    const auto clean = sync_one("mc", /*full_refresh=*/true);
    ASSERT_EQ(clean.outcome, Outcome::succeeded) << clean.message;
    EXPECT_EQ(clean.summary.inserted, 0);
    EXPECT_EQ(clean.summary.updated, 0);
    EXPECT_EQ(stored(), before);
  }

  // A sync that completes despite `faults`.
  void expect_survives(const std::string& faults) {
    configure_mailchimp();
    simulator().set_faults(faults);
    const auto result = sync_one("mc");
    ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
    EXPECT_GT(simulator().stats().faults_applied, 0);
    EXPECT_GT(result.summary.http_retries, 0);
    expect_complete_and_clean();
  }

  // A sync that fails on the second list page (offset 5) because of `faults`; then one without
  // faults that resumes there.
  void expect_fails_on_second_page_then_resumes(const std::string& faults,
                                                const std::string& error) {
    configure_mailchimp();
    simulator().set_faults(faults);
    const auto failed = sync_one("mc");
    ASSERT_EQ(failed.outcome, Outcome::failed);
    EXPECT_NE(failed.message.find(error), std::string::npos) << failed.message;
    EXPECT_NE(failed.message.find("campaigns?count=5&offset=5"), std::string::npos)
        << failed.message;
    EXPECT_EQ(failed.message.find("sim-mailchimp-key"), std::string::npos) << failed.message;
    EXPECT_EQ(failed.message.find('\n'), std::string::npos) << failed.message;
    // Page 1 is stored with its reports, nothing of page 2.
    EXPECT_EQ(campaigns(), 5);
    EXPECT_EQ(snapshots(), reported());
    EXPECT_NE(saved_cursor().find("\"offset\":5"), std::string::npos) << saved_cursor();

    simulator().set_faults("[]");
    simulator().reset_stats();
    const auto resumed = sync_one("mc");
    ASSERT_EQ(resumed.outcome, Outcome::succeeded) << resumed.message;
    EXPECT_EQ(resumed.summary.inserted + resumed.summary.updated + resumed.summary.unchanged,
              resumed.summary.read);
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE last_run = " +
                    std::to_string(resumed.summary.id)),
              7)
        << "the resumed run read pages 2 and 3 only";
    expect_complete_and_clean();
  }
};

TEST_F(MailchimpFaultTest, A429StormWithoutRetryAfterIsRidden) {
  expect_survives(R"([{"kind": "status", "status": 429, "path": "/3.0/", "count": 3}])");
}

TEST_F(MailchimpFaultTest, A429WithRetryAfterIsWaitedFor) {
  expect_survives(
      R"([{"kind": "status", "status": 429, "retry_after": 1, "path": "/3.0/campaigns",
           "after": 1, "count": 1}])");
}

TEST_F(MailchimpFaultTest, A5xxBurstIsRidden) {
  expect_survives(R"([{"kind": "status", "status": 503, "path": "/3.0/", "every": 2,
                      "count": 3}, {"kind": "status", "status": 500, "path": "/3.0/reports/",
                      "count": 1}])");
}

TEST_F(MailchimpFaultTest, AStalledAnswerTimesOutAndIsRetried) {
  expect_survives(R"([{"kind": "stall", "ms": 4000, "path": "/3.0/campaigns", "after": 1,
                      "count": 1}])");
}

TEST_F(MailchimpFaultTest, AResetConnectionIsRetried) {
  expect_survives(R"([{"kind": "reset", "cut": 0.3, "path": "/3.0/", "after": 2, "count": 2}])");
}

TEST_F(MailchimpFaultTest, AnEndless429FailsNamingTheUrlAndTheNextRunResumes) {
  expect_fails_on_second_page_then_resumes(
      R"([{"kind": "status", "status": 429, "path": "/3.0/campaigns", "after": 1,
           "count": -1}])",
      "429");
}

TEST_F(MailchimpFaultTest, AnEndless503FailsNamingTheUrlAndTheNextRunResumes) {
  expect_fails_on_second_page_then_resumes(
      R"([{"kind": "status", "status": 503, "path": "/3.0/campaigns", "after": 1,
           "count": -1}])",
      "503");
}

TEST_F(MailchimpFaultTest, ATruncatedPageFailsWithNothingOfItWritten) {
  expect_fails_on_second_page_then_resumes(
      R"([{"kind": "truncate", "cut": 0.5, "path": "/3.0/campaigns", "after": 1,
           "count": 1}])",
      "not valid JSON");
}

TEST_F(MailchimpFaultTest, AMalformedPageFailsWithNothingOfItWritten) {
  expect_fails_on_second_page_then_resumes(
      R"([{"kind": "malformed", "cut": 0.7, "path": "/3.0/campaigns", "after": 1,
           "count": 1}])",
      "not valid JSON");
}

TEST_F(MailchimpFaultTest, AMalformedReportFailsItsPageAndTheNextRunResumes) {
  configure_mailchimp();
  simulator().set_faults(R"([{"kind": "malformed", "path": "/3.0/reports/", "count": 1}])");
  const auto failed = sync_one("mc");
  ASSERT_EQ(failed.outcome, Outcome::failed);
  EXPECT_NE(failed.message.find("GET reports/"), std::string::npos) << failed.message;
  EXPECT_NE(failed.message.find("not valid JSON"), std::string::npos) << failed.message;
  EXPECT_EQ(campaigns(), 0) << "the first page failed: none of its campaigns written";
  EXPECT_EQ(snapshots(), 0);
  simulator().set_faults("[]");
  ASSERT_EQ(sync_one("mc").outcome, Outcome::succeeded);
  expect_complete_and_clean();
}

TEST_F(MailchimpFaultTest, RepeatedRecordsAcrossPagesAreStoredOnce) {
  configure_mailchimp();
  simulator().set_faults(
      R"([{"kind": "repeat", "records": 2, "path": "/3.0/campaigns", "after": 1,
           "count": 1}])");
  const auto result = sync_one("mc");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  expect_complete_and_clean();
}

}  // namespace
}  // namespace mailchimp_test
