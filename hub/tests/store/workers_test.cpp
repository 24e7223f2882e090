// Workers (issue 17, membership): a serve registers, beats, signs off; one silent past the
// lost time without having signed off is lost; a run records the worker that ran it.
#include "hub/store/workers.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/run_log.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

class WorkersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { migrate(database_); }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
  Workers workers_{database_};
};

TEST_P(WorkersTest, AWorkerJoinsBeatsAndSignsOff) {
  const auto start = std::chrono::system_clock::now();
  const std::string id = workers_.join(format_utc(start));
  const std::string holder = this_holder();
  EXPECT_EQ(id, holder + "@" + format_utc(start));

  auto listed = workers_.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].host, holder.substr(0, holder.rfind(':')));
  EXPECT_EQ(listed[0].pid, ::getpid());
  EXPECT_EQ(listed[0].started_at, format_utc(start));
  EXPECT_EQ(worker_state(listed[0], start + 29s), "running");
  EXPECT_EQ(worker_state(listed[0], start + 31s), "lost") << "30 s without a heartbeat";

  workers_.beat(id, format_utc(start + 20s));
  listed = workers_.list();
  EXPECT_EQ(listed[0].heartbeat_at, format_utc(start + 20s));
  EXPECT_EQ(worker_state(listed[0], start + 31s), "running") << "it beat 11 s before";

  workers_.leave(id, format_utc(start + 25s));
  listed = workers_.list();
  EXPECT_EQ(listed[0].stopped_at, format_utc(start + 25s));
  EXPECT_EQ(worker_state(listed[0], start + 1h), "stopped") << "signed off: never lost";
}

TEST_P(WorkersTest, TheLatestStartedIsListedFirstAndARunNamesItsWorker) {
  const std::string first = workers_.join("2026-12-06T10:00:00Z");
  const std::string second = workers_.join("2026-12-06T11:00:00Z");
  const auto listed = workers_.list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, second);
  EXPECT_EQ(listed[1].id, first);

  RunLog runs(database_);
  const auto by_worker = runs.begin("crm", false, false, second);
  const auto by_hand = runs.begin("crm", false, false);
  const long long a = by_worker, b = by_hand;
  std::string worker;
  soci::indicator none = soci::i_ok;
  database_.session() << "SELECT worker FROM runs WHERE id = :i", soci::use(a), soci::into(worker);
  EXPECT_EQ(worker, second);
  database_.session() << "SELECT worker FROM runs WHERE id = :i", soci::use(b),
      soci::into(worker, none);
  EXPECT_EQ(none, soci::i_null) << "a run outside serve has no worker";
}

TEST_P(WorkersTest, OnlyTheRunningCountAndOnlyLongStoppedOnesAreForgotten) {
  const auto start = std::chrono::system_clock::now();
  const std::string stopped_long_ago = workers_.join(format_utc(start - 10 * 24h));
  workers_.leave(stopped_long_ago, format_utc(start - 9 * 24h));
  const std::string stopped_lately = workers_.join(format_utc(start - 2h));
  workers_.leave(stopped_lately, format_utc(start - 1h));
  const std::string lost = workers_.join(format_utc(start - 40s));
  const std::string running = workers_.join(format_utc(start - 10s));
  const std::string also_running = workers_.join(format_utc(start));

  EXPECT_EQ(workers_.count_running(start), 2u) << "neither the stopped nor the lost one";
  EXPECT_EQ(workers_.count_running(start + 25s), 1u) << "the first running one beat 35 s before";
  workers_.beat(lost, format_utc(start));
  EXPECT_EQ(workers_.count_running(start), 3u) << "a lost worker that beats again runs again";

  EXPECT_EQ(workers_.prune_stopped(format_utc(start - kForgetStoppedAfter)), 1u);
  std::vector<std::string> left;
  for (const auto& worker : workers_.list())
    left.push_back(worker.id);
  EXPECT_EQ(left, (std::vector<std::string>{also_running, running, lost, stopped_lately}));
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkersTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
