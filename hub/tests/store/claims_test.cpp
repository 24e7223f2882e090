// Claims: serve workers take due instances from the lease rows, each with a new epoch, the
// longest due first, never one twice, and never one another worker's claim has locked.
#include "hub/store/claims.h"

#include <atomic>
#include <barrier>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

constexpr const char* kFuture = "2999-01-01T00:00:00Z";
constexpr const char* kPast = "2000-01-01T00:00:00Z";

ClaimCandidate pull(const std::string& instance, const std::string& next_at = kFuture) {
  ClaimCandidate candidate;
  candidate.instance = instance;
  candidate.next_at = next_at;
  return candidate;
}

class ClaimsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    migrate(database_);
    claims_.enrol({"a", "b", "c"});
  }

  std::string lease_text(const std::string& column, const std::string& instance) {
    std::string value;
    soci::indicator indicator = soci::i_null;
    database_.session() << "SELECT " + column + " FROM leases WHERE instance = :i",
        soci::use(instance), soci::into(value, indicator);
    return indicator == soci::i_ok ? value : "(null)";
  }
  long long lease_number(const std::string& column, const std::string& instance) {
    long long value = 0;
    database_.session() << "SELECT " + column + " FROM leases WHERE instance = :i",
        soci::use(instance), soci::into(value);
    return value;
  }
  std::string run_text(const std::string& column, std::int64_t run) {
    std::string value;
    soci::indicator indicator = soci::i_null;
    long long id = run;
    database_.session() << "SELECT " + column + " FROM runs WHERE id = :id", soci::use(id),
        soci::into(value, indicator);
    return indicator == soci::i_ok ? value : "(null)";
  }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
  Claims claims_{database_, "worker-1"};
};

TEST_P(ClaimsTest, ADueInstanceIsClaimedWithARunOfItsOwnAndANewEpoch) {
  auto round = claims_.claim({pull("a", "2999-01-01T00:01:00Z")}, 4, kFuture);
  ASSERT_EQ(round.claimed.size(), 1u);
  EXPECT_TRUE(round.missed.empty());
  const ClaimedRun& run = round.claimed.front();
  EXPECT_EQ(run.instance, "a");
  EXPECT_EQ(run.epoch, 1);
  EXPECT_EQ(run.failures, 0);
  EXPECT_EQ(run.taken_over, std::nullopt);

  EXPECT_EQ(lease_number("run_id", "a"), run.run_id);
  EXPECT_EQ(lease_number("epoch", "a"), 1);
  EXPECT_EQ(lease_text("holder", "a"), this_holder());
  EXPECT_EQ(lease_text("expires_at", "a"), kFuture);
  EXPECT_EQ(lease_text("next_at", "a"), "2999-01-01T00:01:00Z");
  EXPECT_EQ(run_text("state", run.run_id), "running");
  EXPECT_EQ(run_text("worker", run.run_id), "worker-1");
  EXPECT_EQ(run_text("epoch", run.run_id), "1");

  ASSERT_TRUE(Leases(database_).release("a", run.run_id));
  auto again = claims_.claim({pull("a", kPast)}, 4, kFuture);  // not due until its next_at
  ASSERT_EQ(again.missed.size(), 1u);
  EXPECT_EQ(again.missed.front().due_at, std::optional<std::string>("2999-01-01T00:01:00Z"));
}

TEST_P(ClaimsTest, AHeldInstanceIsMissedWithoutADueTime) {
  auto first = claims_.claim({pull("a", kPast)}, 4, kFuture);
  ASSERT_EQ(first.claimed.size(), 1u);
  ClaimCandidate ingestion;
  ingestion.instance = "a";
  ingestion.pull = false;
  auto second = claims_.claim({pull("a", kPast), ingestion}, 4, kFuture);
  EXPECT_TRUE(second.claimed.empty());
  ASSERT_EQ(second.missed.size(), 2u);
  EXPECT_EQ(second.missed[0].due_at, std::nullopt);
  EXPECT_EQ(lease_number("epoch", "a"), 1);
}

TEST_P(ClaimsTest, AskingMakesAnInstanceDueOnceAndAnIngestionIgnoresTheSchedule) {
  auto first = claims_.claim({pull("a")}, 4, kFuture);
  ASSERT_TRUE(Leases(database_).release("a", first.claimed.at(0).run_id));

  ClaimCandidate ingestion;
  ingestion.instance = "a";
  ingestion.pull = false;
  auto pushed = claims_.claim({ingestion}, 4, kFuture);
  ASSERT_EQ(pushed.claimed.size(), 1u) << "an ingestion waits for no schedule";
  EXPECT_EQ(lease_text("next_at", "a"), kFuture) << "an ingestion leaves the schedule alone";
  ASSERT_TRUE(Leases(database_).release("a", pushed.claimed.at(0).run_id));

  EXPECT_EQ(claims_.claim({pull("a")}, 4, kFuture).claimed.size(), 0u);
  claims_.ask("a");
  auto asked = claims_.claim({pull("a")}, 4, kFuture);
  ASSERT_EQ(asked.claimed.size(), 1u);
  EXPECT_EQ(asked.claimed.at(0).epoch, 3);
  EXPECT_EQ(lease_number("asked", "a"), 0) << "the claim answered the ask";
}

TEST_P(ClaimsTest, TheLimitTakesTheLongestDueFirst) {
  claims_.settle("a", 0, "2026-01-03T00:00:00Z", 0);
  claims_.settle("b", 0, "2026-01-01T00:00:00Z", 0);
  claims_.settle("c", 0, "2026-01-02T00:00:00Z", 0);
  auto round = claims_.claim({pull("a"), pull("b"), pull("c")}, 2, kFuture);
  ASSERT_EQ(round.claimed.size(), 2u);
  EXPECT_EQ(round.claimed[0].instance, "b");
  EXPECT_EQ(round.claimed[1].instance, "c");
  EXPECT_TRUE(round.missed.empty());
  EXPECT_EQ(round.untried, std::vector<std::string>{"a"}) << "due, only past this round's share";
}

TEST_P(ClaimsTest, AStaleLeaseIsTakenOverAndItsRunEndsInterrupted) {
  auto first = claims_.claim({pull("a", kPast)}, 4, kFuture);
  const std::int64_t old_run = first.claimed.at(0).run_id;
  database_.session() << "UPDATE leases SET holder = 'gone.example:1', expires_at = "
                         "'2000-01-01T00:00:00Z'";

  auto second = claims_.claim({pull("a", kPast)}, 4, kFuture);
  ASSERT_EQ(second.claimed.size(), 1u);
  EXPECT_EQ(second.claimed[0].taken_over, std::optional<std::int64_t>(old_run));
  EXPECT_EQ(second.claimed[0].epoch, 2);
  EXPECT_EQ(run_text("state", old_run), "interrupted");
  EXPECT_NE(run_text("finished_at", old_run), "(null)") << "its end is the taking's time";
  EXPECT_FALSE(Leases(database_).release("a", old_run)) << "the old run no longer holds it";
  EXPECT_EQ(lease_number("run_id", "a"), second.claimed[0].run_id);
}

TEST_P(ClaimsTest, SettleAfterAnotherClaimChangesNothing) {
  auto first = claims_.claim({pull("a", kPast)}, 4, kFuture);
  const ClaimedRun run = first.claimed.at(0);
  claims_.settle("a", run.epoch, "2030-01-01T00:00:00Z", 2);
  EXPECT_EQ(lease_text("next_at", "a"), "2030-01-01T00:00:00Z");
  EXPECT_EQ(lease_number("failures", "a"), 2);
  claims_.settle("a", run.epoch - 1, "2031-01-01T00:00:00Z", 3);
  EXPECT_EQ(lease_text("next_at", "a"), "2030-01-01T00:00:00Z");
}

// A second worker's claim passes over a row the first one's transaction holds, at once.
TEST_P(ClaimsTest, AClaimSkipsARowAnotherClaimHoldsInsteadOfWaiting) {
  if (GetParam() == "sqlite3")
    GTEST_SKIP() << "SQLite has no row locks; one serve alone works on a file (ServeLock)";
  Database other(backend_.url());
  soci::transaction holding(other.session());
  std::string held;
  other.session() << "SELECT instance FROM leases WHERE instance = 'a' FOR UPDATE",
      soci::into(held);

  const auto started = std::chrono::steady_clock::now();
  auto round = claims_.claim({pull("a", kPast), pull("b", kPast)}, 4, kFuture);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_EQ(round.claimed.size(), 1u);
  EXPECT_EQ(round.claimed[0].instance, "b");
  ASSERT_EQ(round.missed.size(), 1u);
  EXPECT_EQ(round.missed[0].instance, "a");
  holding.rollback();
}

// Workers that propose the same instances at once: the one that comes second passes over
// what the first is claiming and takes its share from the rest, in the same round.
TEST_P(ClaimsTest, AClaimTakesItsShareFromWhatAnotherClaimLeaves) {
  if (GetParam() == "sqlite3")
    GTEST_SKIP() << "SQLite has no row locks; one serve alone works on a file (ServeLock)";
  claims_.enrol({"d"});
  Database other(backend_.url());
  soci::transaction holding(other.session());
  std::vector<std::string> held(2);
  other.session() << "SELECT instance FROM leases WHERE instance IN ('a', 'b') ORDER BY instance "
                     "FOR UPDATE",
      soci::into(held);

  auto round = claims_.claim(
      {pull("a", kPast), pull("b", kPast), pull("c", kPast), pull("d", kPast)}, 2, kFuture);
  ASSERT_EQ(round.claimed.size(), 2u);
  EXPECT_EQ(round.claimed[0].instance, "c");
  EXPECT_EQ(round.claimed[1].instance, "d");
  ASSERT_EQ(round.missed.size(), 2u);
  EXPECT_TRUE(round.untried.empty());
  holding.rollback();
}

// A run's batch commits while the claim waits to write: the claim goes on after it instead of
// failing (SQLite's WAL refuses a write to a transaction that read before another's commit).
TEST_P(ClaimsTest, AClaimWaitsForAWriterThatCommitsMeanwhile) {
  if (GetParam() != "sqlite3")
    GTEST_SKIP() << "PostgreSQL and MariaDB lock rows, not the database: a writer of another "
                    "row is nothing to wait for";
  Database writer(backend_.url());
  soci::transaction writing(writer.session());
  writer.session() << "UPDATE leases SET failures = 0 WHERE instance = 'c'";
  std::thread commit_later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    writing.commit();
  });
  ClaimRound round;
  EXPECT_NO_THROW(round = claims_.claim({pull("a", kPast)}, 4, kFuture));
  commit_later.join();
  EXPECT_EQ(round.claimed.size(), 1u);
}

// Four workers claim from the same twenty due instances at once: each instance is claimed by
// exactly one of them, and the work is shared.
TEST_P(ClaimsTest, ConcurrentWorkersNeverClaimOneInstanceTwice) {
  if (GetParam() == "sqlite3")
    GTEST_SKIP() << "one serve per SQLite file";
  std::vector<std::string> names;
  std::vector<ClaimCandidate> candidates;
  for (int i = 0; i < 20; ++i) {
    names.push_back("i" + std::to_string(i));
    candidates.push_back(pull(names.back(), kPast));
  }
  claims_.enrol(names);
  std::map<std::string, int> claimed_by_worker[4];
  std::atomic<int> failures{0};
  // Every round starts together, once all are connected: a connection's setup is no head start,
  // and a worker the machine runs first cannot do all its rounds before the others begin.
  std::barrier round_start(4);
  std::vector<std::thread> workers;
  workers.reserve(4);
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      try {
        Database own(backend_.url());
        Claims claims(own, "worker-" + std::to_string(w));
        for (int round = 0; round < 10; ++round) {
          round_start.arrive_and_wait();
          for (const auto& run : claims.claim(candidates, 2, kFuture).claimed)
            ++claimed_by_worker[w][run.instance];
        }
      } catch (const std::exception&) {
        ++failures;
        round_start.arrive_and_drop();  // never holds the others
      }
    });
  }
  for (auto& worker : workers)
    worker.join();
  EXPECT_EQ(failures.load(), 0);
  std::map<std::string, int> total;
  int workers_with_work = 0;
  for (const auto& claimed : claimed_by_worker) {
    workers_with_work += claimed.empty() ? 0 : 1;
    for (const auto& [instance, times] : claimed)
      total[instance] += times;
  }
  EXPECT_EQ(total.size(), 20u);
  for (const auto& [instance, times] : total)
    EXPECT_EQ(times, 1) << instance << " was claimed " << times << " times";
  EXPECT_GE(workers_with_work, 2) << "one worker took everything";
}

INSTANTIATE_TEST_SUITE_P(Backends, ClaimsTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
