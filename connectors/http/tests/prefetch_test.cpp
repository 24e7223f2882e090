// Prefetch: results in the order asked, whatever order the tasks end in; no more than `ahead`
// started past the last one taken; an exception where its task stands; and, through the
// client, several requests on the wire at once but never more than max_in_flight.
#include "connectors/http/prefetch.h"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "fixture.h"

namespace connectors::http {
namespace {

using namespace std::chrono_literals;

TEST(Prefetch, ResultsComeInTheOrderAskedWhateverOrderTasksEndIn) {
  std::vector<std::function<int()>> tasks;
  for (int i = 0; i < 8; ++i) {
    tasks.emplace_back([i] {
      // The first tasks take longest: they end last.
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * (8 - i)));
      return i * i;
    });
  }
  Prefetch<int> prefetch(std::move(tasks), 4, 8);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(prefetch.take(static_cast<std::size_t>(i)), i * i);
}

TEST(Prefetch, TasksRunSideBySide) {
  // Task 0 ends only once task 1 has started: one thread at a time would wait forever (and
  // fail after a second).
  std::atomic<bool> second_started{false};
  std::vector<std::function<bool()>> tasks = {[&] {
                                                for (int i = 0; i < 100 && !second_started; ++i)
                                                  std::this_thread::sleep_for(10ms);
                                                return second_started.load();
                                              },
                                              [&] {
                                                second_started = true;
                                                return true;
                                              }};
  Prefetch<bool> prefetch(std::move(tasks), 2, 2);
  EXPECT_TRUE(prefetch.take(0));
  EXPECT_TRUE(prefetch.take(1));
}

TEST(Prefetch, StartsNoMoreThanAheadPastTheLastTaken) {
  std::atomic<int> started{0};
  std::vector<std::function<int()>> tasks;
  for (int i = 0; i < 20; ++i)
    tasks.emplace_back([&started, i] {
      ++started;
      return i;
    });
  Prefetch<int> prefetch(std::move(tasks), 4, 3);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(started.load(), 3);  // tasks 0, 1, 2: nothing taken yet
  EXPECT_EQ(prefetch.take(0), 0);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(started.load(), 4);      // one more
  EXPECT_EQ(prefetch.take(10), 10);  // skipping ahead lets them all start up to 13
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(started.load(), 14);
}

TEST(Prefetch, AnExceptionComesBackWhereItsTaskStands) {
  std::vector<std::function<int()>> tasks = {
      [] { return 1; }, []() -> int { throw std::runtime_error("page 2 failed"); },
      [] { return 3; }};
  Prefetch<int> prefetch(std::move(tasks), 3, 3);
  EXPECT_EQ(prefetch.take(0), 1);
  try {
    prefetch.take(1);
    FAIL() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "page 2 failed");
  }
  EXPECT_EQ(prefetch.take(2), 3);
}

TEST(Prefetch, LeavingEarlyDropsTheTasksNotStarted) {
  std::atomic<int> started{0};
  {
    std::vector<std::function<int()>> tasks;
    for (int i = 0; i < 50; ++i)
      tasks.emplace_back([&started] {
        ++started;
        std::this_thread::sleep_for(20ms);
        return 0;
      });
    Prefetch<int> prefetch(std::move(tasks), 2, 4);
    prefetch.take(0);
  }
  EXPECT_LE(started.load(), 6);
}

using PrefetchClientTest = testing::SimulatorTest;

// Through the client: several requests at once, never more than max_in_flight, every answer
// handed back in order.
TEST_F(PrefetchClientTest, RequestsGoSideBySideUpToTheInFlightCap) {
  simulator_->set_faults(R"([{"kind": "delay", "ms": 60, "count": -1}])");
  auto c = client(R"("max_in_flight": 3)");
  std::vector<std::function<std::string()>> tasks;
  for (int i = 0; i < 12; ++i) {
    tasks.emplace_back([&c, i] {
      return c->send(testing::get("/_sim/blob?bytes=" + std::to_string(100 + i))).body;
    });
  }
  Prefetch<std::string> prefetch(std::move(tasks), 6, 12);
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(prefetch.take(static_cast<std::size_t>(i)).size(), static_cast<std::size_t>(100 + i));
  EXPECT_EQ(simulator_->stats().max_in_flight, 3);
  EXPECT_EQ(c->counters().requests, 12);
}

}  // namespace
}  // namespace connectors::http
