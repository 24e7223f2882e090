#include "hub/serve/scheduler.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

using namespace std::chrono_literals;
using Time = Scheduler::Time;

// 2026-12-04 10:00:00 UTC, a Friday.
const Time kStart =
    Time(std::chrono::sys_days(std::chrono::year{2026} / 12 / 4).time_since_epoch()) + 10h;

Schedule every(const std::string& text, std::chrono::seconds jitter = 0s) {
  return Schedule::parse({text, "", "UTC", jitter});
}

Schedule cron(const std::string& text) {
  return Schedule::parse({"", text, "UTC", 0s});
}

using Due = Scheduler::Due;

std::vector<Due> pulls(std::initializer_list<const char*> names) {
  std::vector<Due> due;
  for (const char* name : names)
    due.push_back({name, RunKind::pull});
  return due;
}

// Jitter that is always its whole range: the tests see where a start can land at the latest.
Scheduler scheduler(Scheduler::Retry retry = {60s, 3600s}) {
  return Scheduler(retry, [](std::chrono::seconds up_to) { return up_to; });
}

TEST(SchedulerTest, AnIntervalInstanceIsDueAtStartThenOneIntervalAfterItsRunStarted) {
  auto plan = scheduler();
  plan.configure({{"a", every("15m")}}, kStart);
  EXPECT_EQ(plan.take_due(kStart, 4), pulls({"a"}));
  EXPECT_TRUE(plan.running("a"));
  EXPECT_TRUE(plan.take_due(kStart + 1h, 4).empty()) << "due again while it runs";
  auto state = plan.finished("a", Outcome::succeeded, kStart, kStart + 2min);
  EXPECT_EQ(state.next, kStart + 15min);
  EXPECT_FALSE(plan.running("a"));
  EXPECT_TRUE(plan.take_due(kStart + 15min - 1s, 4).empty());
  EXPECT_EQ(plan.take_due(kStart + 15min, 4), pulls({"a"}));
}

TEST(SchedulerTest, ARunLongerThanItsIntervalIsFollowedAtOnce) {
  auto plan = scheduler();
  plan.configure({{"a", every("1m")}}, kStart);
  plan.take_due(kStart, 1);
  auto state = plan.finished("a", Outcome::succeeded, kStart, kStart + 5min);
  EXPECT_EQ(state.next, kStart + 5min);
}

TEST(SchedulerTest, JitterDelaysTheStartWithinItsRange) {
  auto plan = scheduler();
  plan.configure({{"a", every("1h", 30s)}}, kStart);
  EXPECT_EQ(plan.state("a")->next, kStart + 30s);
}

TEST(SchedulerTest, ACronInstanceWaitsForItsNextTime) {
  auto plan = scheduler();
  plan.configure({{"a", cron("0 9 * * 1-5")}}, kStart);
  // Friday 10:00: the next weekday 09:00 is Monday the 7th.
  EXPECT_EQ(plan.state("a")->next,
            Time(std::chrono::sys_days(std::chrono::year{2026} / 12 / 7).time_since_epoch()) + 9h);
  EXPECT_TRUE(plan.take_due(kStart + 1h, 4).empty());
}

TEST(SchedulerTest, FailuresBackOffDoublingUpToTheCapAndASuccessResets) {
  auto plan = scheduler({60s, 300s});
  plan.configure({{"a", every("15m")}}, kStart);
  Time now = kStart;
  std::vector<std::chrono::seconds> waits;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(plan.take_due(now, 1).size(), 1u) << i;
    auto state = plan.finished("a", Outcome::failed, now, now);
    EXPECT_EQ(state.failures, i + 1);
    waits.push_back(state.backoff);
    EXPECT_EQ(state.next, now + state.backoff);
    now = *state.next;
  }
  EXPECT_EQ(waits, (std::vector<std::chrono::seconds>{60s, 120s, 240s, 300s, 300s}));
  plan.take_due(now, 1);
  auto state = plan.finished("a", Outcome::succeeded, now, now + 1s);
  EXPECT_EQ(state.failures, 0);
  EXPECT_EQ(state.backoff, 0s);
  EXPECT_EQ(state.next, now + 15min);
}

TEST(SchedulerTest, ASkippedRunIsNotAFailure) {
  auto plan = scheduler();
  plan.configure({{"a", every("10m")}}, kStart);
  plan.take_due(kStart, 1);
  auto state = plan.finished("a", Outcome::skipped, kStart, kStart + 1s);
  EXPECT_EQ(state.failures, 0);
  EXPECT_EQ(state.next, kStart + 10min);
}

TEST(SchedulerTest, AskingRunsAnInstanceNowOrRightAfterItsRun) {
  auto plan = scheduler();
  plan.configure({{"manual", std::nullopt}, {"a", every("1h")}}, kStart);
  EXPECT_FALSE(plan.state("manual")->next.has_value());
  EXPECT_EQ(plan.take_due(kStart + 24h, 4), pulls({"a"}));
  EXPECT_FALSE(plan.ask("nope", kStart));
  EXPECT_TRUE(plan.ask("manual", kStart + 1min));
  EXPECT_EQ(plan.take_due(kStart + 1min, 4), pulls({"manual"}));
  // Asked again while it runs: it runs again as soon as it ends.
  EXPECT_TRUE(plan.ask("manual", kStart + 2min));
  auto state = plan.finished("manual", Outcome::succeeded, kStart + 1min, kStart + 3min);
  EXPECT_EQ(state.next, kStart + 3min);
  plan.take_due(kStart + 3min, 4);
  state = plan.finished("manual", Outcome::succeeded, kStart + 3min, kStart + 4min);
  EXPECT_FALSE(state.next.has_value());
}

TEST(SchedulerTest, TakesNoMoreThanTheFreeSlotsLongestWaitingFirst) {
  auto plan = scheduler();
  plan.configure({{"a", std::nullopt}, {"b", std::nullopt}, {"c", std::nullopt}}, kStart);
  plan.ask("c", kStart);
  plan.ask("a", kStart + 1s);
  plan.ask("b", kStart + 2s);
  EXPECT_EQ(plan.take_due(kStart + 3s, 2), pulls({"c", "a"}));
  EXPECT_EQ(plan.take_due(kStart + 3s, 2), pulls({"b"}));
  EXPECT_EQ(plan.next_due(), std::nullopt);
}

TEST(SchedulerTest, PushedRequestsMakeAWebhooksRunDueBeforeAPullDueAsEarly) {
  auto plan = scheduler({60s, 3600s});
  plan.configure({{"a", every("15m")}, {"b", std::nullopt}}, kStart);
  EXPECT_FALSE(plan.pushed("nope", kStart));
  EXPECT_TRUE(plan.pushed("b", kStart - 1s));
  EXPECT_TRUE(plan.pushed("a", kStart));
  // b's requests waited longest; a's pull and its ingestion are due at once: one run each
  // time, the ingestion first.
  EXPECT_EQ(plan.take_due(kStart, 4),
            (std::vector<Due>{{"b", RunKind::webhooks}, {"a", RunKind::webhooks}}));
  EXPECT_FALSE(plan.state("a")->pushed.has_value()) << "taken";
  // Pushed while its ingestion runs: due again once it ends; the pull stays due meanwhile.
  EXPECT_TRUE(plan.pushed("a", kStart + 1s));
  EXPECT_TRUE(plan.take_due(kStart + 2s, 4).empty());
  auto state = plan.ingested("a", Outcome::succeeded, kStart + 2s);
  EXPECT_EQ(state.pushed, kStart + 1s);
  EXPECT_EQ(state.next, kStart) << "an ingestion leaves the pull schedule alone";
  EXPECT_EQ(state.failures, 0);
  EXPECT_EQ(plan.take_due(kStart + 2s, 4), (std::vector<Due>{{"a", RunKind::pull}}))
      << "the pull was due first";
  plan.finished("a", Outcome::succeeded, kStart + 2s, kStart + 3s);
  EXPECT_EQ(plan.take_due(kStart + 3s, 4), (std::vector<Due>{{"a", RunKind::webhooks}}));
  plan.ingested("a", Outcome::succeeded, kStart + 4s);
  EXPECT_EQ(plan.next_due(), kStart + 15min + 2s);
}

TEST(SchedulerTest, AFailedIngestionWaitsTheFirstRetryAndASkippedOneAMoment) {
  auto plan = scheduler({60s, 3600s});
  plan.configure({{"a", std::nullopt}}, kStart);
  plan.pushed("a", kStart);
  plan.take_due(kStart, 1);
  auto state = plan.ingested("a", Outcome::failed, kStart + 1s);
  EXPECT_EQ(state.pushed, kStart + 61s);
  EXPECT_EQ(state.failures, 0) << "the pull's backoff is its own";
  plan.pushed("a", kStart + 2s);
  EXPECT_EQ(plan.state("a")->pushed, kStart + 61s) << "a new push does not cut the wait short";
  EXPECT_TRUE(plan.take_due(kStart + 60s, 1).empty());
  EXPECT_EQ(plan.take_due(kStart + 61s, 1).size(), 1u);
  state = plan.ingested("a", Outcome::skipped, kStart + 62s);
  EXPECT_EQ(state.pushed, kStart + 64s);
  EXPECT_EQ(plan.next_due(), kStart + 64s);
}

// A claim that did not reach an instance (past its share) gives it back as due as before: the
// next round proposes it again at once.
TEST(SchedulerTest, AnUntriedClaimIsDueAgainAtOnce) {
  auto plan = scheduler();
  plan.configure({{"a", every("15m")}, {"b", every("15m")}}, kStart);
  auto due = plan.take_due(kStart, 4);
  ASSERT_EQ(due.size(), 2u);
  plan.missed(due[1], std::nullopt, kStart);
  auto again = plan.take_due(kStart, 4);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].instance, due[1].instance);
  EXPECT_EQ(plan.state(due[1].instance)->next, kStart) << "its place: due since the start";
}

// Another worker ran the instance (its claim missed here): it is due at the time that worker
// recorded, not at this one's own; one held or being claimed elsewhere is tried again soon.
TEST(SchedulerTest, AMissedClaimWaitsForTheSharedTimeOrTriesAgainSoon) {
  auto plan = scheduler();
  plan.configure({{"a", every("15m")}, {"b", every("15m")}}, kStart);
  auto due = plan.take_due(kStart, 4);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_TRUE(plan.take_due(kStart, 4).empty()) << "both are being claimed";
  plan.missed(due[0], kStart + 14min, kStart + 1s);
  plan.missed(due[1], std::nullopt, kStart + 1s);
  EXPECT_FALSE(plan.running("a"));
  EXPECT_EQ(plan.state("a")->next, kStart + 14min);
  EXPECT_EQ(plan.state("b")->next, kStart) << "still due since then";
  EXPECT_EQ(plan.state("a")->failures, 0) << "a missed claim is no failure";
  EXPECT_TRUE(plan.take_due(kStart + 500ms, 4).empty()) << "tried again before its retry";
  EXPECT_EQ(plan.next_due(), kStart + 1s);
  EXPECT_EQ(plan.take_due(kStart + 1s, 4), pulls({"b"}));
}

// An instance held by a worker that died is tried every second until its lease runs out; in a
// queue of what is due it keeps its place, ahead of instances due after it.
TEST(SchedulerTest, AMissedClaimKeepsItsPlaceInTheQueue) {
  auto plan = scheduler();
  plan.configure({{"held", every("15m")}}, kStart);
  auto due = plan.take_due(kStart, 1);
  plan.missed(due.at(0), std::nullopt, kStart + 1s);
  plan.configure({{"held", every("15m")}, {"later", every("15m")}}, kStart + 500ms);
  EXPECT_EQ(plan.take_due(kStart + 1s, 1), pulls({"held"}));
}

TEST(SchedulerTest, AMissedIngestionStaysDue) {
  auto plan = scheduler();
  plan.configure({{"a", std::nullopt}}, kStart);
  plan.pushed("a", kStart);
  auto due = plan.take_due(kStart, 4);
  ASSERT_EQ(due, (std::vector<Due>{{"a", RunKind::webhooks}}));
  plan.missed(due[0], std::nullopt, kStart + 1s);
  EXPECT_EQ(plan.take_due(kStart + 1s, 4), (std::vector<Due>{{"a", RunKind::webhooks}}));
}

TEST(SchedulerTest, ThePlannedNextTimeIsTheSchedulesAndTheBackoffGoesOnFromTheSharedCount) {
  auto plan = scheduler({60s, 3600s});
  plan.configure({{"a", every("15m")}, {"asked-only", std::nullopt}}, kStart);
  EXPECT_EQ(plan.planned_next("a", kStart), kStart + 15min);
  EXPECT_EQ(plan.planned_next("asked-only", kStart), std::nullopt);
  plan.take_due(kStart, 4);
  plan.adopt_failures("a", 2);  // two failed runs on other workers
  auto state = plan.finished("a", Outcome::failed, kStart, kStart);
  EXPECT_EQ(state.failures, 3);
  EXPECT_EQ(state.backoff, 240s);
}

TEST(SchedulerTest, ReconfiguringKeepsWhatStaysAddsAndDrops) {
  auto plan = scheduler({60s, 3600s});
  plan.configure({{"a", every("1h")}, {"b", every("1h")}}, kStart);
  plan.take_due(kStart, 4);
  plan.finished("b", Outcome::failed, kStart, kStart);
  plan.configure({{"a", every("1h")}, {"b", every("1h")}, {"c", every("5m")}}, kStart + 10s);
  EXPECT_TRUE(plan.running("a")) << "a running instance that stays goes on";
  EXPECT_EQ(plan.state("b")->failures, 1) << "its backoff is kept";
  EXPECT_EQ(plan.state("c")->next, kStart + 10s);
  plan.configure({{"a", every("1h")}}, kStart + 20s);
  EXPECT_FALSE(plan.state("b").has_value());
  EXPECT_FALSE(plan.state("c").has_value());
  // The dropped instance's run ends later: nothing to schedule.
  EXPECT_EQ(plan.finished("b", Outcome::succeeded, kStart, kStart + 30s).next, std::nullopt);
}

TEST(SchedulerTest, AChangedScheduleTakesEffect) {
  auto plan = scheduler();
  plan.configure({{"a", every("1h")}}, kStart);
  plan.take_due(kStart, 1);
  plan.finished("a", Outcome::succeeded, kStart, kStart + 1s);
  plan.configure({{"a", every("5m")}}, kStart + 1min);
  EXPECT_EQ(plan.state("a")->next, kStart + 1min);
}

}  // namespace
}  // namespace hub
