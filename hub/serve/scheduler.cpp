#include "hub/serve/scheduler.h"

#include <algorithm>
#include <random>
#include <tuple>

namespace hub {

Scheduler::Scheduler(Retry retry, Jitter jitter) : retry_(retry), jitter_(std::move(jitter)) {}

std::chrono::seconds Scheduler::random_jitter(std::chrono::seconds up_to) {
  if (up_to.count() <= 0)
    return std::chrono::seconds(0);
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(0, up_to.count());
  return std::chrono::seconds(pick(generator));
}

std::optional<Scheduler::Time> Scheduler::scheduled_after(const State& state, Time after) const {
  if (!state.schedule)
    return std::nullopt;
  return state.schedule->next_after(after) + jitter_(state.schedule->jitter());
}

void Scheduler::configure(const std::map<std::string, std::optional<Schedule>>& instances,
                          Time now) {
  std::lock_guard lock(mutex_);
  for (auto it = states_.begin(); it != states_.end();) {
    it = instances.count(it->first) ? std::next(it) : states_.erase(it);
  }
  for (const auto& [name, schedule] : instances) {
    auto [it, added] = states_.try_emplace(name);
    State& state = it->second;
    const bool changed = added || !state.schedule != !schedule ||
                         (schedule && state.schedule->describe() != schedule->describe());
    state.schedule = schedule;
    if (!changed)
      continue;
    if (!schedule) {
      state.next.reset();
    } else if (schedule->is_interval()) {
      state.next = now + jitter_(schedule->jitter());  // its first run: at start
    } else {
      state.next = scheduled_after(state, now);
    }
  }
}

void Scheduler::set_retry(Retry retry) {
  std::lock_guard lock(mutex_);
  retry_ = retry;
}

bool Scheduler::ask(const std::string& name, Time now) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return false;
  if (it->second.running) {
    it->second.asked = true;
  } else {
    it->second.next = now;
  }
  return true;
}

bool Scheduler::pushed(const std::string& name, Time now) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return false;
  if (!it->second.pushed)
    it->second.pushed = now;  // an earlier time (a retry's) stays
  return true;
}

std::vector<Scheduler::Due> Scheduler::take_due(Time now, std::size_t slots) {
  std::lock_guard lock(mutex_);
  // By time; at the same time an ingestion first (RunKind::webhooks sorts after pull, hence
  // the negation): it is short, and what it writes is the newest news.
  std::vector<std::tuple<Time, bool, std::string>> due;
  for (const auto& [name, state] : states_) {
    if (state.running || (state.not_before && *state.not_before > now))
      continue;
    const bool push_due = state.pushed && *state.pushed <= now;
    const bool pull_due = state.next && *state.next <= now;
    if (push_due && (!pull_due || *state.pushed <= *state.next)) {
      due.emplace_back(*state.pushed, false, name);
    } else if (pull_due) {
      due.emplace_back(*state.next, true, name);
    }
  }
  std::sort(due.begin(), due.end());
  std::vector<Due> taken;
  for (const auto& [when, pull, name] : due) {
    if (taken.size() >= slots)
      break;
    State& state = states_[name];
    state.running = true;
    state.not_before.reset();
    if (!pull)
      state.pushed.reset();  // what is pushed from now on waits for the next run
    taken.push_back({name, pull ? RunKind::pull : RunKind::webhooks});
  }
  return taken;
}

void Scheduler::missed(const Due& due, std::optional<Time> due_at, Time retry) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(due.instance);
  if (it == states_.end())
    return;
  State& state = it->second;
  state.running = false;
  if (due.kind == RunKind::webhooks) {
    state.not_before = retry;  // the requests stay pending in the spool, and due
    if (!state.pushed)
      state.pushed = retry;
  } else if (state.asked) {
    state.asked = false;
    state.next = retry;
  } else if (due_at) {
    state.next = *due_at;  // another worker ran it: due again at the time it recorded
  } else {
    state.not_before = retry;  // still due, from when it was
    if (!state.next)
      state.next = retry;
  }
}

std::optional<Scheduler::Time> Scheduler::planned_next(const std::string& name, Time now) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return std::nullopt;
  auto next = scheduled_after(it->second, now);
  return next ? std::optional<Time>(std::max(*next, now)) : std::nullopt;
}

void Scheduler::adopt_failures(const std::string& name, int failures) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it != states_.end())
    it->second.failures = failures;
}

Scheduler::State Scheduler::finished(const std::string& name, Outcome outcome, Time started,
                                     Time now) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return {};  // dropped from the config while it ran
  State& state = it->second;
  state.running = false;
  if (outcome == Outcome::failed) {
    ++state.failures;
    auto wait = retry_.first;
    for (int i = 1; i < state.failures && wait < retry_.max; ++i)
      wait *= 2;
    state.backoff = std::min(wait, retry_.max);
    state.next = now + state.backoff;
  } else {
    state.failures = 0;
    state.backoff = std::chrono::seconds(0);
    // An interval counts from the start of the run; a run longer than it starts again now.
    auto next =
        scheduled_after(state, state.schedule && state.schedule->is_interval() ? started : now);
    state.next = next ? std::optional<Time>(std::max(*next, now)) : std::nullopt;
  }
  if (state.asked) {
    state.asked = false;
    state.next = now;
  }
  return state;
}

Scheduler::State Scheduler::ingested(const std::string& name, Outcome outcome, Time now) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return {};
  State& state = it->second;
  state.running = false;
  if (outcome == Outcome::failed) {
    state.pushed = now + retry_.first;
  } else if (outcome == Outcome::skipped) {
    state.pushed = now + std::chrono::seconds(2);
  }
  if (state.asked) {
    state.asked = false;
    state.next = now;
  }
  return state;
}

std::optional<Scheduler::State> Scheduler::state(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  if (it == states_.end())
    return std::nullopt;
  return it->second;
}

bool Scheduler::running(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(name);
  return it != states_.end() && it->second.running;
}

std::optional<Scheduler::Time> Scheduler::next_due() const {
  std::lock_guard lock(mutex_);
  std::optional<Time> earliest;
  for (const auto& [name, state] : states_) {
    if (state.running)
      continue;
    for (auto when : {state.next, state.pushed}) {
      if (when && state.not_before && *state.not_before > *when)
        when = state.not_before;
      if (when && (!earliest || *when < *earliest))
        earliest = when;
    }
  }
  return earliest;
}

}  // namespace hub
