// Leases: one sync per instance at a time; a stale lease (expired, or held by a process of
// this machine that is gone) is taken over and says whose it was.
#include "hub/store/leases.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "hub/store/migrations.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

constexpr const char* kInstance = "connect-prod";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";

class LeasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { migrate(database_); }

  void insert_lease(long long run_id, const std::string& holder, const std::string& expires_at) {
    database_.session() << "INSERT INTO leases (instance, run_id, holder, acquired_at, expires_at) "
                           "VALUES (:i, :r, :h, '2026-01-01T00:00:00Z', :x)",
        soci::use(instance_), soci::use(run_id), soci::use(holder), soci::use(expires_at);
  }

  // The run that holds the instance's lease now; 0 when none does.
  long long lease_run() {
    long long run = 0;
    soci::indicator indicator = soci::i_null;
    database_.session() << "SELECT run_id FROM leases WHERE instance = :i", soci::use(instance_),
        soci::into(run, indicator);
    return database_.session().got_data() && indicator == soci::i_ok ? run : 0;
  }

  static std::string this_host() {
    std::string holder = this_holder();
    return holder.substr(0, holder.rfind(':'));
  }

  // Bound by name: a temporary std::string in soci::use() is destroyed before the statement
  // runs at the end of the expression (ASan: stack-use-after-scope).
  const std::string instance_ = kInstance;
  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
  Leases leases_{database_};
};

TEST_P(LeasesTest, FreeLeaseIsAcquired) {
  auto outcome = leases_.acquire(kInstance, 1, kFuture);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::nullopt);
  EXPECT_EQ(lease_run(), 1);

  std::string holder, expires;
  database_.session() << "SELECT holder, expires_at FROM leases WHERE instance = :i",
      soci::use(instance_), soci::into(holder), soci::into(expires);
  EXPECT_EQ(holder, this_holder());
  EXPECT_EQ(expires, kFuture);
}

TEST_P(LeasesTest, HeldLeaseIsRefusedToAnotherRunAndNamesTheHolder) {
  ASSERT_TRUE(leases_.acquire(kInstance, 1, kFuture).acquired);

  auto second = leases_.acquire(kInstance, 2, kFuture);
  EXPECT_FALSE(second.acquired);
  EXPECT_EQ(second.holder.run_id, 1);
  EXPECT_EQ(second.holder.holder, this_holder());
  EXPECT_FALSE(second.holder.acquired_at.empty());
  EXPECT_EQ(second.taken_over, std::nullopt);
  EXPECT_EQ(lease_run(), 1);
}

TEST_P(LeasesTest, LeasesOfDifferentInstancesAreIndependent) {
  ASSERT_TRUE(leases_.acquire(kInstance, 1, kFuture).acquired);
  EXPECT_TRUE(leases_.acquire("mailchimp", 2, kFuture).acquired);
}

TEST_P(LeasesTest, ExpiredLeaseIsTakenOverNamingTheOldRun) {
  insert_lease(7, "elsewhere.example:4242", "2000-01-01T00:00:00Z");

  auto outcome = leases_.acquire(kInstance, 8, kFuture);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::optional<std::int64_t>(7));
  EXPECT_EQ(lease_run(), 8);
}

TEST_P(LeasesTest, LiveLeaseOfAnotherHostIsNotTakenOver) {
  insert_lease(7, "elsewhere.example:4242", kFuture);

  auto outcome = leases_.acquire(kInstance, 8, kFuture);
  EXPECT_FALSE(outcome.acquired);
  EXPECT_EQ(outcome.holder.run_id, 7);
  EXPECT_EQ(outcome.holder.holder, "elsewhere.example:4242");
  EXPECT_EQ(lease_run(), 7);
}

TEST_P(LeasesTest, LeaseOfADeadProcessOnThisHostIsTakenOver) {
  ASSERT_TRUE(::kill(999999, 0) != 0 && errno == ESRCH) << "pid 999999 exists here";
  insert_lease(7, this_host() + ":999999", kFuture);

  auto outcome = leases_.acquire(kInstance, 8, kFuture);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::optional<std::int64_t>(7));
  EXPECT_EQ(lease_run(), 8);
}

// A holder that died but was not reaped yet is a zombie: kill(pid, 0) still succeeds on it,
// yet it will never renew or release its lease.
TEST_P(LeasesTest, LeaseOfAZombieProcessIsTakenOver) {
  pid_t zombie = ::fork();
  if (zombie == 0)
    _exit(0);
  ASSERT_GT(zombie, 0);
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT), 0);
  ASSERT_EQ(::kill(zombie, 0), 0) << "not a zombie";
  insert_lease(7, this_host() + ":" + std::to_string(zombie), kFuture);

  auto outcome = leases_.acquire(kInstance, 8, kFuture);
  ::waitpid(zombie, nullptr, 0);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::optional<std::int64_t>(7));
}

TEST_P(LeasesTest, LeaseOfALiveProcessOnThisHostIsKept) {
  insert_lease(7, this_host() + ":" + std::to_string(::getppid()), kFuture);  // alive

  EXPECT_FALSE(leases_.acquire(kInstance, 8, kFuture).acquired);
  EXPECT_EQ(lease_run(), 7);
}

// serve's run ended while the database was down: its release never reached the table. The
// process lives on, so neither its pid nor the deadline (15 minutes) frees the lease; its next
// run of the instance knows the old one is over.
TEST_P(LeasesTest, ALeaseThisProcessLeftBehindIsTakenOverByItsNextRun) {
  insert_lease(7, this_holder(), kFuture);

  auto outcome = leases_.acquire(kInstance, 8, kFuture);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::optional<std::int64_t>(7));
  EXPECT_FALSE(leases_.acquire(kInstance, 9, kFuture).acquired)
      << "run 8 of this process holds it now";
}

TEST_P(LeasesTest, ReleaseLetsAnotherRunTakeIt) {
  ASSERT_TRUE(leases_.acquire(kInstance, 1, kFuture).acquired);
  leases_.release(kInstance, 1);
  EXPECT_EQ(lease_run(), 0);

  auto outcome = leases_.acquire(kInstance, 2, kFuture);
  EXPECT_TRUE(outcome.acquired);
  EXPECT_EQ(outcome.taken_over, std::nullopt);
  EXPECT_EQ(lease_run(), 2);
}

TEST_P(LeasesTest, ReleaseByAnotherRunLeavesTheLeaseHeld) {
  ASSERT_TRUE(leases_.acquire(kInstance, 1, kFuture).acquired);
  leases_.release(kInstance, 2);
  EXPECT_EQ(lease_run(), 1);
  EXPECT_FALSE(leases_.acquire(kInstance, 2, kFuture).acquired);
}

// The epoch is the fencing token: every taking of the lease raises it, a release keeps it.
TEST_P(LeasesTest, EveryTakingRaisesTheEpoch) {
  auto first = leases_.acquire(kInstance, 1, kFuture);
  ASSERT_TRUE(first.acquired);
  EXPECT_EQ(first.epoch, 1);
  EXPECT_TRUE(leases_.release(kInstance, 1));
  auto second = leases_.acquire(kInstance, 2, kFuture);
  EXPECT_EQ(second.epoch, 2);
  database_.session() << "UPDATE leases SET holder = 'gone.example:1', expires_at = "
                         "'2000-01-01T00:00:00Z'";
  auto third = leases_.acquire(kInstance, 3, kFuture);
  EXPECT_EQ(third.epoch, 3);
  EXPECT_EQ(third.taken_over, std::optional<std::int64_t>(2));
  EXPECT_FALSE(leases_.release(kInstance, 2)) << "run 2 lost it to run 3";
  EXPECT_EQ(lease_run(), 3);
}

// A run paused past its deadline cannot renew, even when no other run took the lease yet;
// one in time can, twice within the same second too (MariaDB counts changed rows).
TEST_P(LeasesTest, RenewalFailsOnceTheDeadlineHasPassed) {
  ASSERT_TRUE(leases_.acquire(kInstance, 1, kFuture).acquired);
  EXPECT_TRUE(leases_.renew(kInstance, 1, kFuture));
  EXPECT_TRUE(leases_.renew(kInstance, 1, kFuture));
  EXPECT_FALSE(leases_.renew(kInstance, 2, kFuture)) << "run 2 holds nothing";
  database_.session() << "UPDATE leases SET expires_at = '2000-01-01T00:00:00Z'";
  EXPECT_FALSE(leases_.renew(kInstance, 1, kFuture));
}

INSTANTIATE_TEST_SUITE_P(Backends, LeasesTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
