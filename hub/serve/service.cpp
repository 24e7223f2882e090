#include "hub/serve/service.h"

#include <algorithm>
#include <csignal>
#include <limits>
#include <set>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "connectors/time/rfc3339.h"
#include "hub/logging/logging.h"
#include "hub/model/time.h"
#include "hub/serve/listener.h"
#include "hub/serve/ops_module.h"
#include "hub/serve/serve_lock.h"
#include "hub/store/claims.h"
#include "hub/store/database.h"
#include "hub/store/migrations.h"
#include "hub/store/workers.h"
#include "hub/supervise/supervisor.h"
#include "hub/sync/run_recorder.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

// How often the loop looks at signals when nothing else wakes it.
constexpr auto kTick = 100ms;
// How often it looks for pushed requests no listener of its own told it about.
constexpr auto kSpoolLook = 5s;
// When it tries again to claim an instance another worker holds or was claiming.
constexpr auto kClaimRetry = 1s;

std::map<std::string, std::optional<Schedule>> schedules_of(const Config& config) {
  std::map<std::string, std::optional<Schedule>> schedules;
  for (const auto& instance : config.instances)
    schedules[instance.name] = schedule_of(instance);
  return schedules;
}

Scheduler::Retry retry_of(const Config& config) {
  return {std::chrono::seconds(config.serve.retry_first_seconds),
          std::chrono::seconds(config.serve.retry_max_seconds)};
}

}  // namespace

std::optional<Schedule> schedule_of(const InstanceConfig& instance) {
  if (!instance.schedule)
    return std::nullopt;
  const ScheduleConfig& when = *instance.schedule;
  return Schedule::parse({when.every, when.cron, when.time_zone, parse_jitter(when.jitter)});
}

Service::Service(Config config, ServeOptions options)
    : options_(std::move(options)),
      config_(std::make_shared<const Config>(std::move(config))),
      scheduler_(retry_of(*config_)) {}

Service::~Service() {
  for (auto& [name, thread] : runs_) {
    if (thread.joinable())
      thread.join();
  }
}

std::shared_ptr<const Config> Service::config() const {
  std::lock_guard lock(config_mutex_);
  return config_;
}

std::optional<std::string> Service::not_ready() {
  auto current = config();
  if (!current)
    return "no config is loaded";
  std::lock_guard lock(ready_mutex_);
  try {
    if (!ready_database_)
      ready_database_ = std::make_unique<Database>(current->database_url);
    int one = 0;
    ready_database_->session() << "SELECT 1", soci::into(one);
    return std::nullopt;
  } catch (const std::exception& error) {
    ready_database_.reset();  // reconnect on the next check
    return "database " + redact_database_url(current->database_url) +
           " is not reachable: " + redact(redact_database_url(error.what()));
  }
}

void Service::pushed(const std::string& instance) {
  if (!scheduler_.pushed(instance, Scheduler::Clock::now()))
    return;
  {
    std::lock_guard lock(runs_mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Service::look_at_spool(const std::vector<std::string>& only) {
  const auto snapshot = config();
  try {
    Database& database = loop_database();
    for (const auto& instance : snapshot->instances) {
      if (!instance.webhook ||
          (!only.empty() && std::find(only.begin(), only.end(), instance.name) == only.end()))
        continue;
      long long id = 0;
      soci::indicator found = soci::i_null;
      database.session() << "SELECT id FROM webhook_spool WHERE instance = :i AND state = "
                            "'pending' ORDER BY id LIMIT 1",
          soci::use(instance.name), soci::into(id, found);
      if (database.session().got_data() && found == soci::i_ok)
        scheduler_.pushed(instance.name, Scheduler::Clock::now());
    }
  } catch (const std::exception& error) {
    loop_database_.reset();  // reconnect next time
    spdlog::warn("serve: cannot look for pushed requests to ingest: {}",
                 redact(redact_database_url(error.what())));
  }
}

Database& Service::loop_database() {
  if (!loop_database_)
    loop_database_ = std::make_unique<Database>(config()->database_url);
  return *loop_database_;
}

void Service::beat(bool leaving) {
  try {
    Workers workers(loop_database());
    if (leaving) {
      workers.leave(worker_, utc_now());
      return;
    }
    const auto now = std::chrono::system_clock::now();
    workers.beat(worker_, format_utc(now));
    live_workers_ = std::max<std::size_t>(workers.count_running(now), 1);
  } catch (const std::exception& error) {
    loop_database_.reset();
    spdlog::warn("serve: cannot {} worker {} in the database: {}",
                 leaving ? "sign off" : "beat for", worker_,
                 redact(redact_database_url(error.what())));
  }
}

void Service::enrol() {
  std::vector<std::string> names;
  for (const auto& instance : config()->instances)
    names.push_back(instance.name);
  try {
    Claims(loop_database(), worker_).enrol(names);
  } catch (const std::exception& error) {
    loop_database_.reset();  // each claim enrols what it misses: Claims::ask, and the next try
    spdlog::warn("serve: cannot enrol the instances for claiming: {}",
                 redact(redact_database_url(error.what())));
  }
}

int Service::run() {
  signals_ = &install_signal_handlers();
  const ServeLock single_node(config()->database_url);  // SQLite: this serve alone
  {
    // Fail at start, not at the first run, when the database cannot be opened or migrated.
    Database database(config()->database_url);
    migrate(database);
  }
  scheduler_.configure(schedules_of(*config()), Scheduler::Clock::now());
  {
    Database database(config()->database_url);
    Workers workers(database);
    const auto now = std::chrono::system_clock::now();
    worker_ = workers.join(format_utc(now));
    if (auto pruned = workers.prune_stopped(format_utc(now - kForgetStoppedAfter)))
      spdlog::info("serve: forgot {} workers that stopped over a week ago", pruned);
  }
  metrics_ = std::make_unique<ServeMetrics>(worker_);
  enrol();
  beat();
  auto last_beat = std::chrono::steady_clock::now();

  OpsModule ops({
                    [this] { return not_ready(); },
                    [this] { return metrics_->exposition(); },
                    [this](const std::string& instance) {
                      bool running = scheduler_.running(instance);
                      if (!scheduler_.ask(instance, Scheduler::Clock::now()))
                        return OpsModule::Ask::unknown;
                      {
                        std::lock_guard lock(runs_mutex_);
                        asked_.push_back(instance);
                        woken_ = true;
                      }
                      wake_.notify_all();
                      return running ? OpsModule::Ask::running : OpsModule::Ask::queued;
                    },
                },
                options_.access ? *options_.access : Access(config()->serve.tokens));
  HttpListener listener(config()->serve);
  listener.attach(ops);
  for (HttpModule* module : options_.modules) {
    module->count_into(*metrics_);
    listener.attach(*module);
  }
  listener.start();
  look_at_spool();  // what was kept before this start
  auto last_spool_look = std::chrono::steady_clock::now();
  spdlog::info("serve: listening on {}, {} instances, up to {} runs at once", listener.url(),
               config()->instances.size(), config()->serve.max_parallel_runs);

  std::uint64_t watchdog_usec = 0;
  const bool watchdog = sd_watchdog_enabled(0, &watchdog_usec) > 0;
  auto last_ping = std::chrono::steady_clock::now();
  sd_notify(0, "READY=1\nSTATUS=serving");

  while (!signals_->stop.load()) {
    if (signals_->reload.exchange(false)) {
      sd_notify(0, "RELOADING=1");
      reload();
      sd_notify(0, "READY=1\nSTATUS=serving");
    }
    collect_finished();
    if (std::chrono::steady_clock::now() - last_beat >= kHeartbeatEvery) {
      beat();
      last_beat = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - last_spool_look >= kSpoolLook) {
      look_at_spool();
      last_spool_look = std::chrono::steady_clock::now();
    }
    record_asks();
    std::size_t running;
    {
      std::lock_guard lock(runs_mutex_);
      running = runs_.size();
    }
    const auto cap = static_cast<std::size_t>(config()->serve.max_parallel_runs);
    if (running < cap)
      claim_due(cap - running);
    if (watchdog && std::chrono::steady_clock::now() - last_ping >=
                        std::chrono::microseconds(watchdog_usec / 2)) {
      sd_notify(0, "WATCHDOG=1");
      last_ping = std::chrono::steady_clock::now();
    }
    std::unique_lock lock(runs_mutex_);
    wake_.wait_for(lock, kTick, [this] { return woken_; });
    woken_ = false;
  }

  const int signal = signals_->stop_signal.load();
  std::size_t running;
  {
    std::lock_guard lock(runs_mutex_);
    running = runs_.size();
  }
  spdlog::info("serve: {} received; stopping {} running runs (grace period {} s)",
               signal == SIGINT ? "SIGINT" : "SIGTERM", running,
               config()->serve.grace_period_seconds);
  sd_notify(0, "STOPPING=1");
  // Each run's supervisor sees the same stop flag: it asks its child to commit and stop,
  // and kills it once the grace period is over.
  for (;;) {
    collect_finished();
    std::unique_lock lock(runs_mutex_);
    if (runs_.empty())
      break;
    wake_.wait_for(lock, kTick, [this] { return woken_; });
    woken_ = false;
  }
  listener.stop();
  beat(true);
  spdlog::info("serve: stopped");
  return 0;
}

void Service::record_asks() {
  std::vector<std::string> asked;
  {
    std::lock_guard lock(runs_mutex_);
    asked.swap(asked_);
  }
  for (const auto& instance : asked) {
    try {
      Claims(loop_database(), worker_).ask(instance);
    } catch (const std::exception& error) {
      loop_database_.reset();
      spdlog::warn("serve: the run asked for instance '{}' is not recorded in the database: {}",
                   instance, redact(redact_database_url(error.what())));
    }
  }
}

void Service::claim_due(std::size_t free) {
  const auto now = Scheduler::Clock::now();
  // Everything due is proposed: where another worker is claiming the same instances at the
  // same moment, the claim passes over them to the next ones instead of coming back empty.
  const auto proposed = scheduler_.take_due(now, std::numeric_limits<std::size_t>::max());
  if (proposed.empty())
    return;
  // A fair share: this worker takes its part of what is due, the other workers the rest.
  const std::size_t due = proposed.size();
  const std::size_t workers = live_workers_;
  const std::size_t share = std::min(free, (due + workers - 1) / workers);
  const auto snapshot = config();  // reload() runs on this thread: it stays until launched
  std::vector<Scheduler::Due> taken;
  std::vector<ClaimCandidate> candidates;
  for (const auto& each : proposed) {
    if (!snapshot->instance(each.instance)) {  // not configured: nothing to claim
      scheduler_.missed(each, std::nullopt, now + kClaimRetry);
      continue;
    }
    ClaimCandidate candidate;
    candidate.instance = each.instance;
    candidate.pull = each.kind == RunKind::pull;
    if (candidate.pull) {
      const auto next = scheduler_.planned_next(each.instance, now);
      candidate.next_at = next ? format_utc(*next) : "";
    }
    taken.push_back(each);
    candidates.push_back(std::move(candidate));
  }
  ClaimRound round;
  try {
    round = Claims(loop_database(), worker_).claim(candidates, share, lease_deadline());
  } catch (const std::exception& error) {
    loop_database_.reset();
    spdlog::warn("serve: cannot claim the {} due instances: {}", candidates.size(),
                 redact(redact_database_url(error.what())));
    for (const auto& each : taken)
      scheduler_.missed(each, std::nullopt, now + kClaimRetry);
    return;
  }
  auto due_of = [&](const std::string& instance) {
    return *std::find_if(taken.begin(), taken.end(),
                         [&](const Scheduler::Due& each) { return each.instance == instance; });
  };
  for (const auto& missed : round.missed) {
    std::optional<Scheduler::Time> due_at;
    if (missed.due_at) {
      if (auto instant = connectors::time::parse_rfc3339(*missed.due_at))
        due_at = instant->seconds;
    }
    scheduler_.missed(due_of(missed.instance), due_at, now + kClaimRetry);
  }
  for (const auto& untried : round.untried)
    scheduler_.missed(due_of(untried), std::nullopt, now);  // as due as before, in its place
  for (const auto& claimed : round.claimed) {
    const Scheduler::Due due = due_of(claimed.instance);
    if (claimed.taken_over) {
      spdlog::warn("instance '{}': took over the stale lease of run {}", claimed.instance,
                   *claimed.taken_over);
    }
    if (due.kind == RunKind::pull)
      scheduler_.adopt_failures(claimed.instance, claimed.failures);
    launch(*snapshot->instance(claimed.instance), due.kind, claimed);
  }
}

void Service::launch(const InstanceConfig& instance, RunKind kind, const ClaimedRun& claimed) {
  metrics_->run_started(instance.name);
  const auto started = Scheduler::Clock::now();
  auto snapshot = config();
  std::lock_guard lock(runs_mutex_);
  runs_[instance.name] = std::thread([this, snapshot, instance, kind, started, claimed] {
    InstanceResult result;
    result.instance = instance.name;
    result.summary.instance = instance.name;
    try {
      auto database = supervisor_databases_.take(snapshot->database_url);
      RunCommand command{
          this_executable(),   snapshot->text,
          snapshot->file,      options_.log_level,
          options_.log_format, std::chrono::seconds(snapshot->serve.grace_period_seconds)};
      SyncOptions sync;
      sync.stop = &signals_->stop;
      sync.webhooks = kind == RunKind::webhooks;
      sync.worker = worker_;
      sync.claimed = SyncOptions::Claimed{claimed.run_id, claimed.epoch};
      result = RunSupervisor(*database, command).run(instance, sync);
      supervisor_databases_.give_back(
          snapshot->database_url, std::move(database),
          static_cast<std::size_t>(std::max(snapshot->serve.max_parallel_runs, 1)));
    } catch (const std::exception& error) {
      mark_failed(result, error.what());
    }
    metrics_->run_finished(result);
    {
      std::lock_guard done(runs_mutex_);
      // A run that lost its lease stalled: no failure of the provider's to back off from.
      const Outcome outcome = result.summary.state == run_state_name(RunState::lost_lease)
                                  ? Outcome::skipped
                                  : result.outcome;
      finished_.push_back({instance.name, kind, outcome, started, claimed.epoch});
      woken_ = true;
    }
    wake_.notify_all();
  });
}

void Service::collect_finished() {
  std::vector<Finished> done;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(runs_mutex_);
    done.swap(finished_);
    for (const auto& each : done) {
      auto it = runs_.find(each.instance);
      if (it != runs_.end()) {
        threads.push_back(std::move(it->second));
        runs_.erase(it);
      }
    }
  }
  for (auto& thread : threads)
    thread.join();
  std::vector<std::string> ingested;
  for (const auto& each : done) {
    if (each.kind == RunKind::webhooks) {
      scheduler_.ingested(each.instance, each.outcome, Scheduler::Clock::now());
      if (each.outcome == Outcome::succeeded)
        ingested.push_back(each.instance);  // a run takes a bounded number: more may wait
      continue;
    }
    auto state =
        scheduler_.finished(each.instance, each.outcome, each.started, Scheduler::Clock::now());
    metrics_->backoff(each.instance, state.failures, state.backoff);
    // Every worker's next claim of the instance waits for the time this one worked out.
    try {
      Claims(loop_database(), worker_)
          .settle(each.instance, each.epoch, state.next ? format_utc(*state.next) : "",
                  state.failures);
    } catch (const std::exception& error) {
      loop_database_.reset();
      spdlog::warn("instance '{}': cannot record its next time in the database: {}", each.instance,
                   redact(redact_database_url(error.what())));
    }
    if (state.failures > 0) {
      spdlog::warn("instance '{}': {} failed runs in a row; next try in {} s", each.instance,
                   state.failures, state.backoff.count());
    }
  }
  if (!ingested.empty())
    look_at_spool(ingested);
}

void Service::reload() {
  auto current = config();
  if (current->file.empty()) {
    spdlog::warn("serve: SIGHUP, but the config was not read from a file; nothing to reload");
    return;
  }
  Config fresh;
  std::map<std::string, std::optional<Schedule>> schedules;
  try {
    fresh = load_config(current->file);
    schedules = schedules_of(fresh);
  } catch (const std::exception& error) {
    spdlog::error("serve: reload refused, the running config stays: config error: {}",
                  redact(error.what()));
    return;
  }
  add_secrets(fresh.secrets);
  std::set<std::string> before, after;
  for (const auto& instance : current->instances)
    before.insert(instance.name);
  for (const auto& instance : fresh.instances)
    after.insert(instance.name);
  std::string added, removed;
  for (const auto& name : after) {
    if (!before.count(name))
      added += (added.empty() ? "" : ", ") + name;
  }
  for (const auto& name : before) {
    if (!after.count(name)) {
      removed += (removed.empty() ? "" : ", ") + name;
      metrics_->instance_removed(name);
    }
  }
  if (fresh.serve.listen != current->serve.listen ||
      fresh.serve.tls_certificate != current->serve.tls_certificate) {
    spdlog::warn("serve: a new serve.listen or serve.tls takes effect at the next start");
  }
  scheduler_.set_retry(retry_of(fresh));
  scheduler_.configure(schedules, Scheduler::Clock::now());
  set_lease_time(std::chrono::seconds(fresh.serve.lease_seconds));
  {
    std::lock_guard lock(config_mutex_);
    config_ = std::make_shared<const Config>(std::move(fresh));
  }
  enrol();
  for (HttpModule* module : options_.modules)
    module->reconfigure(*config());
  spdlog::info("serve: reloaded {}: {} instances (added: {}; removed: {})", current->file.string(),
               after.size(), added.empty() ? "none" : added, removed.empty() ? "none" : removed);
}

}  // namespace hub
