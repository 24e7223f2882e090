#include "hub/serve/scheduler.h"

#include <algorithm>
#include <random>

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

std::vector<std::string> Scheduler::take_due(Time now, std::size_t slots) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<Time, std::string>> due;
  for (const auto& [name, state] : states_) {
    if (!state.running && state.next && *state.next <= now)
      due.emplace_back(*state.next, name);
  }
  std::sort(due.begin(), due.end());
  std::vector<std::string> taken;
  for (const auto& [when, name] : due) {
    if (taken.size() >= slots)
      break;
    states_[name].running = true;
    taken.push_back(name);
  }
  return taken;
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
    if (!state.running && state.next && (!earliest || *state.next < *earliest))
      earliest = state.next;
  }
  return earliest;
}

}  // namespace hub
