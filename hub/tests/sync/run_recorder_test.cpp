// RunRecorder: the run's row and lease around an in-process run (`campaign-hub sync`). A
// stale lease's run ends no later than the run that takes it over begins; a run that finds
// at its end that its lease was taken says so, and one that found out itself keeps its words.
#include "hub/sync/run_recorder.h"

#include <gtest/gtest.h>

#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/run_log.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

constexpr const char* kPast = "2000-01-01T00:00:00Z";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";

class RunRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    migrate(database_);
    instance_.name = "crm";
  }

  long long epoch_of(std::int64_t run_id) {
    long long epoch = 0, id = run_id;
    database_.session() << "SELECT epoch FROM runs WHERE id = :i", soci::use(id), soci::into(epoch);
    return epoch;
  }

  // Another run takes the instance's lease, as after this one stalled past its deadline.
  void take_the_lease_over() {
    const std::string past = kPast;  // bound by name: soci::use keeps a reference
    database_.session() << "UPDATE leases SET expires_at = :x WHERE instance = 'crm'",
        soci::use(past);
    const auto other = RunLog(database_).begin("crm", false, false);
    ASSERT_TRUE(Leases(database_).acquire("crm", other, kFuture).acquired);
  }

  test_support::BackendDatabase backend_{"sqlite3"};
  Database database_{backend_.url()};
  InstanceConfig instance_;
};

TEST_F(RunRecorderTest, AStaleLeasesRunEndsNoLaterThanTheRunTakingItOverBegins) {
  RunLog runs(database_);
  const auto stale = runs.begin("crm", false, false);
  auto first = Leases(database_).acquire("crm", stale, kPast);
  ASSERT_TRUE(first.acquired);
  runs.set_epoch(stale, first.epoch);

  InstanceResult result;
  RunRecorder recorder(database_);
  ASSERT_TRUE(recorder.begin(instance_, SyncOptions{}, result));

  const auto old_run = runs.find(stale);
  const auto new_run = runs.find(result.summary.id);
  ASSERT_TRUE(old_run && new_run);
  EXPECT_EQ(old_run->state, "interrupted");
  EXPECT_LE(old_run->finished_at, new_run->started_at);
  EXPECT_GT(epoch_of(result.summary.id), epoch_of(stale)) << "a taking raises the epoch";
  recorder.end(result);
}

TEST_F(RunRecorderTest, ARunThatLearnsAtItsEndThatItsLeaseWasTakenEndsLostLease) {
  InstanceResult result;
  RunRecorder recorder(database_);
  ASSERT_TRUE(recorder.begin(instance_, SyncOptions{}, result));
  take_the_lease_over();
  result.outcome = Outcome::failed;
  result.summary.state = "failed";
  result.summary.error = "plugin crm: connection reset";
  recorder.end(result);

  EXPECT_EQ(result.summary.state, "lost_lease");
  EXPECT_EQ(result.summary.error,
            "lost its lease: another run took the instance over (plugin crm: connection reset)");
  EXPECT_EQ(result.message, result.summary.error);
  const auto stored = RunLog(database_).find(result.summary.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, "lost_lease");
  EXPECT_EQ(stored->error, result.summary.error);
}

TEST_F(RunRecorderTest, ARunThatFoundOutItselfKeepsItsOwnWords) {
  InstanceResult result;
  RunRecorder recorder(database_);
  ASSERT_TRUE(recorder.begin(instance_, SyncOptions{}, result));
  take_the_lease_over();
  const std::string fenced = "lost lease: this batch was rolled back";
  result.summary.state = "lost_lease";
  result.summary.error = fenced;
  recorder.end(result);

  EXPECT_EQ(result.summary.state, "lost_lease");
  EXPECT_EQ(result.summary.error, fenced);
  EXPECT_EQ(result.outcome, Outcome::failed);
}

}  // namespace
}  // namespace hub
