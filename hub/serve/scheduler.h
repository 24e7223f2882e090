// When `serve` runs each instance: at its schedule's times, now when someone asks, and after
// a failure again later and later (exponential backoff, reset by a success). An instance whose
// provider pushed requests that are kept and not yet ingested is due for a webhook ingestion
// run (`sync --webhooks`); one instance never has two runs of either kind at once. Pure logic over
// a clock the caller passes, so that tests need not wait; the service calls it from its loop
// and from the HTTP thread, so every member takes the lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hub/schedule/schedule.h"
#include "hub/sync/run_types.h"

namespace hub {

enum class RunKind {
  pull,      // a sync of what the provider's API lists
  webhooks,  // an ingestion of the requests it pushed
};

class Scheduler {
 public:
  using Clock = std::chrono::system_clock;
  using Time = Clock::time_point;
  // A random part of `up_to` (the schedule's jitter); tests pass one that is not random.
  using Jitter = std::function<std::chrono::seconds(std::chrono::seconds up_to)>;

  struct Retry {
    std::chrono::seconds first{60};
    std::chrono::seconds max{3600};
  };

  struct State {
    std::optional<Schedule> schedule;  // none: only when asked
    std::optional<Time> next;          // none: not due until asked
    bool running = false;
    bool asked = false;  // asked to run while it was running: again once it ends
    int failures = 0;    // consecutive
    std::chrono::seconds backoff{0};
    // Pushed requests wait for ingestion: a webhooks run is due at this time.
    std::optional<Time> pushed;
    // A claim missed (held or being claimed by another worker): not tried again before this,
    // yet still due since `next` or `pushed`, so that it keeps its place in the queue.
    std::optional<Time> not_before;
  };

  struct Due {
    std::string instance;
    RunKind kind = RunKind::pull;
    bool operator==(const Due&) const = default;
  };

  explicit Scheduler(Retry retry, Jitter jitter = random_jitter);

  // The instances to schedule, from the config (at start and at each reload). An instance
  // that stays keeps its state (a running one goes on); a new one is due at its schedule's
  // first time: now for `every`, the next matching time for cron.
  void configure(const std::map<std::string, std::optional<Schedule>>& instances, Time now);
  void set_retry(Retry retry);

  // Asks for a run of `name` as soon as a slot is free. False for an unknown instance.
  bool ask(const std::string& name, Time now);

  // `name` has pushed requests waiting: a webhooks run is due now (or once its running run
  // ends; or, after a failed ingestion, once the retry wait is over). False for an unknown
  // instance.
  bool pushed(const std::string& name, Time now);

  // Up to `slots` runs due at `now` of instances not running, the longest-waiting first (an
  // ingestion before a pull due at the same time); each instance is marked running.
  std::vector<Due> take_due(Time now, std::size_t slots);

  // A run take_due gave was not claimed (Claims): another worker ran the instance and it is
  // not due before `due_at`, or it is held or being claimed elsewhere (none: try again at
  // `retry`, keeping its place among what is due). Not a failure; the instance is no longer
  // running here.
  void missed(const Due& due, std::optional<Time> due_at, Time retry);
  // When `name` is next due if a run starting at `now` succeeds (its schedule's next time);
  // none for an instance run only when asked.
  std::optional<Time> planned_next(const std::string& name, Time now) const;
  // The failed runs in a row the database counts for `name` (whichever worker ran them), so
  // that its backoff goes on where it was.
  void adopt_failures(const std::string& name, int failures);

  // `name`'s run ended at `now` with `outcome`; answers its state after. A skipped run
  // (another process held the lease) is not a failure.
  State finished(const std::string& name, Outcome outcome, Time started, Time now);
  // `name`'s webhooks run ended: its pull schedule is untouched. A failed ingestion is tried
  // again after the first retry wait (the requests stay pending), a skipped one (another
  // process held the instance) in a few seconds.
  State ingested(const std::string& name, Outcome outcome, Time now);

  std::optional<State> state(const std::string& name) const;
  bool running(const std::string& name) const;
  // The earliest time an instance not running is due, for the service to sleep until.
  std::optional<Time> next_due() const;

  static std::chrono::seconds random_jitter(std::chrono::seconds up_to);

 private:
  std::optional<Time> scheduled_after(const State& state, Time after) const;

  mutable std::mutex mutex_;
  Retry retry_;
  Jitter jitter_;
  std::map<std::string, State> states_;
};

}  // namespace hub
