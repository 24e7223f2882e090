// Several `campaign-hub serve` workers on one PostgreSQL or MariaDB database (issue 17), as
// real processes: a fault trial of random SIGKILLs and SIGSTOP/SIGCONTs, and a partition made
// by a TCP proxy of our own between one worker and the database. Each checks, from the runs
// table, that no instance was ever run by two workers at once, that every instance's schedule
// is met again within a lease period of each fault, and that the database ends equal to a
// clean single-worker sync.
//
// CAMPAIGN_HUB_TRIAL_SECONDS makes the fault trial longer (scripts/workers-trial.sh); the
// figures each test prints are the ones quoted in issue 17's note.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "connectors/time/rfc3339.h"
#include "tests/db-servers/backend_database.h"
#include "tests/e2e/hub_process.h"
#include "tests/e2e/tcp_proxy.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
using test_support::ScopedProcess;
using test_support::fs::path;

constexpr int kLeaseSeconds = 5;

// A run as the runs table has it.
struct RunRow {
  long long id = 0;
  std::string instance, state, started_at, finished_at, worker, error;
  long long epoch = 0;
};

Clock::time_point time_of(const std::string& text) {
  auto instant = connectors::time::parse_rfc3339(text);
  return instant ? Clock::time_point(instant->seconds) : Clock::time_point{};
}

std::string text_of(Clock::time_point time) {
  return connectors::time::format_utc({std::chrono::floor<std::chrono::seconds>(time)});
}

class SeveralWorkersTest : public test_support::HubProcessTest,
                           public ::testing::WithParamInterface<std::string> {
 protected:
  // `count` slow-feed instances on 1-second schedules: each first run reads 1,000
  // opportunities in pages of 100, 100 ms apart, committing each page.
  path config(const std::string& name, const std::string& database_url, int count) {
    std::string text = R"({"database": {"url": ")" + database_url + R"("}, "plugin_dir": ")" +
                       CAMPAIGN_HUB_TEST_PLUGIN_DIR +
                       R"(", "logging": {"level": "warn"}, "serve": {"listen": "127.0.0.1:0", )"
                       R"("max_parallel_runs": 4, "lease_seconds": )" +
                       std::to_string(kLeaseSeconds) +
                       R"(, "grace_period_seconds": 2, "retry_first_seconds": 1, )"
                       R"("retry_max_seconds": 2}, "instances": [)";
    for (int i = 0; i < count; ++i) {
      text += std::string(i ? ", " : "") + R"({"name": ")" + instance_name(i) +
              R"(", "plugin": "slow-feed", "batch_size": 100, "schedule": {"every": "1s"}, )"
              R"("settings": {"campaigns": 3, "opportunities": 1000, "page_size": 100, )"
              R"("delay_ms": 100}})";
    }
    return write_text(name, text + "]}");
  }

  static std::string instance_name(int i) {
    return std::string("i") + (i < 10 ? "0" : "") + std::to_string(i);
  }

  std::unique_ptr<ScopedProcess> start_worker(const path& file) {
    const path out = dir_ / ("worker-" + std::to_string(++started_) + ".out");
    return std::make_unique<ScopedProcess>(start(file, {"serve"}, out, /*own_group=*/true));
  }

  std::vector<RunRow> runs() {
    hub::Database database(backend_.url());
    soci::rowset<soci::row> rows = database.session().prepare
                                   << "SELECT id, instance, state, started_at, finished_at, "
                                      "epoch, worker, error FROM runs WHERE state <> 'skipped' "
                                      "ORDER "
                                      "BY instance, epoch, id";
    std::vector<RunRow> all;
    for (const auto& row : rows) {
      RunRow run;
      run.id = hub::column_integer(row, 0);
      run.instance = hub::column_text(row, 1).value_or("");
      run.state = hub::column_text(row, 2).value_or("");
      run.started_at = hub::column_text(row, 3).value_or("");
      run.finished_at = hub::column_text(row, 4).value_or("");
      run.epoch = hub::column_integer(row, 5);
      run.worker = hub::column_text(row, 6).value_or("");
      run.error = hub::column_text(row, 7).value_or("");
      all.push_back(std::move(run));
    }
    return all;
  }

  // Runs of one instance that overlap: two with one epoch, one that never ended, or one that
  // started before the previous one (by epoch) ended. Each is described.
  static std::vector<std::string> overlaps(const std::vector<RunRow>& all) {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const RunRow& run = all[i];
      if (run.finished_at.empty())
        found.push_back("run " + std::to_string(run.id) + " never ended (" + run.state + ")");
      if (i == 0 || all[i - 1].instance != run.instance)
        continue;
      const RunRow& before = all[i - 1];
      if (before.epoch == run.epoch || run.started_at < before.finished_at) {
        found.push_back(run.instance + ": run " + std::to_string(run.id) + " (epoch " +
                        std::to_string(run.epoch) + ", " + run.worker + ", from " + run.started_at +
                        ") overlaps run " + std::to_string(before.id) + " (epoch " +
                        std::to_string(before.epoch) + ", " + before.worker + ", until " +
                        before.finished_at + ")");
      }
    }
    return found;
  }

  // How long after `fault` every instance had started a run again (the longest wait); an
  // instance that never did goes into `never`.
  static std::chrono::seconds all_ran_again_after(const std::vector<RunRow>& all,
                                                  Clock::time_point fault,
                                                  const std::set<std::string>& instances,
                                                  std::set<std::string>& never) {
    std::map<std::string, Clock::time_point> first;
    const std::string from = text_of(fault);
    for (const RunRow& run : all) {
      if (run.started_at >= from && !first.count(run.instance))
        first[run.instance] = time_of(run.started_at);
    }
    std::chrono::seconds longest{0};
    for (const auto& instance : instances) {
      auto it = first.find(instance);
      if (it == first.end()) {
        never.insert(instance);
        continue;
      }
      longest =
          std::max(longest, std::chrono::duration_cast<std::chrono::seconds>(
                                it->second - std::chrono::floor<std::chrono::seconds>(fault)));
    }
    return longest;
  }

  // The takeover after `fault` of worker `worker`: for each run of it the fault cut short
  // (taken over: interrupted, or lost_lease once the worker woke), how long until the
  // instance's next run started; the longest.
  static std::chrono::seconds takeover_after(const std::vector<RunRow>& all,
                                             Clock::time_point fault, const std::string& worker) {
    const std::string at = text_of(fault);
    std::chrono::seconds longest{0};
    for (std::size_t i = 0; i < all.size(); ++i) {
      const RunRow& run = all[i];
      if (run.worker != worker || run.started_at > at || run.finished_at < at ||
          (run.state != "interrupted" && run.state != "lost_lease"))
        continue;
      if (i + 1 < all.size() && all[i + 1].instance == run.instance) {
        longest = std::max(longest, std::chrono::duration_cast<std::chrono::seconds>(
                                        time_of(all[i + 1].started_at) -
                                        std::chrono::floor<std::chrono::seconds>(fault)));
      }
    }
    return longest;
  }

  // The longest wait between two starts of one instance with no fault in or just before it
  // (a lease period and 3 s): how often the machine meets the schedules of all instances.
  static std::chrono::seconds usual_cycle(const std::vector<RunRow>& all,
                                          const std::vector<Clock::time_point>& faults) {
    std::chrono::seconds longest{0};
    for (std::size_t i = 1; i < all.size(); ++i) {
      if (all[i].instance != all[i - 1].instance)
        continue;
      const auto from = time_of(all[i - 1].started_at);
      const auto to = time_of(all[i].started_at);
      const bool faulted = std::any_of(faults.begin(), faults.end(), [&](auto fault) {
        return fault <= to && fault + std::chrono::seconds(kLeaseSeconds + 3) >= from;
      });
      if (!faulted)
        longest = std::max(longest, std::chrono::duration_cast<std::chrono::seconds>(to - from));
    }
    return longest;
  }

  // The worker id of the serve with process id `pid`.
  std::string worker_of(pid_t pid) {
    hub::Database database(backend_.url());
    std::string id;
    long long process = pid;
    database.session() << "SELECT id FROM workers WHERE pid = :p AND stopped_at IS NULL",
        soci::use(process), soci::into(id);
    return id;
  }

  // The stored records and cursors of every instance, as text, in key order.
  std::string contents(const std::string& database_url) {
    return rows_of(
        database_url,
        {"SELECT instance, external_id, name, status FROM campaigns ORDER BY instance, "
         "external_id",
         "SELECT instance, external_id, campaign_external_id, status, content_hash FROM "
         "opportunities ORDER BY instance, external_id",
         "SELECT instance, stream, cursor_value FROM cursors ORDER BY instance, stream"});
  }

  // A clean sync of the same instances by one `campaign-hub sync` into an SQLite file.
  std::string clean_sync(int count) {
    const std::string reference = url("reference.db");
    const path file = config("reference.json", reference, count);
    const int code = wait_for(start(file, {"sync"}, dir_ / "reference.out"));
    EXPECT_EQ(code, 0) << read(dir_ / "reference.out");
    return contents(reference);
  }

  // Stops each worker with SIGTERM; all of them within the grace period.
  void stop_all(std::vector<std::unique_ptr<ScopedProcess>>& workers) {
    for (auto& worker : workers)
      worker->signal(SIGTERM);
    for (auto& worker : workers)
      EXPECT_EQ(worker->wait(30s), 0) << "a worker did not stop on SIGTERM";
  }

  std::string logs() {
    std::string all;
    for (int i = 1; i <= started_; ++i) {
      const std::string said = read(dir_ / ("worker-" + std::to_string(i) + ".out"));
      all += "--- worker " + std::to_string(i) + "\n" + said.substr(0, 4000);
    }
    return all;
  }

  test_support::BackendDatabase backend_{GetParam()};
  int started_ = 0;
};

// Three workers and fifty instances; every 8 to 14 s one worker is killed (and a new one
// started two seconds later) or stopped past its lease and then continued. Fifty runs a second
// (each a process) are more than 2 cores do: the schedules are met as often as the machine
// can (the usual cycle, measured once the faults are over), and after a fault within a lease
// period of that.
TEST_P(SeveralWorkersTest, RandomKillsAndStopsNeverOverlapLoseOrDoubleAnything) {
  constexpr int kInstances = 50;
  const char* asked = std::getenv("CAMPAIGN_HUB_TRIAL_SECONDS");
  const auto trial = std::chrono::seconds(asked ? std::atoi(asked) : 75);
  const path file = config("hub.json", backend_.url(), kInstances);
  std::vector<std::unique_ptr<ScopedProcess>> workers;
  workers.reserve(3);
  for (int i = 0; i < 3; ++i)
    workers.push_back(start_worker(file));

  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  struct Fault {
    std::string kind;
    Clock::time_point at;
    std::string worker;
  };
  std::vector<Fault> faults;
  const auto end = std::chrono::steady_clock::now() + trial;
  std::this_thread::sleep_for(5s);
  // The last fault leaves a lease period and more for every schedule to be met again.
  while (std::chrono::steady_clock::now() + 20s < end) {
    auto& victim = workers[std::uniform_int_distribution<std::size_t>(0, 2)(random)];
    const pid_t group = victim->pid();
    if (faults.size() % 2 == 0) {
      faults.push_back({"kill", Clock::now(), worker_of(group)});
      ::kill(-group, SIGKILL);
      victim->wait(5s);
      std::this_thread::sleep_for(2s);
      victim = start_worker(file);
    } else {
      faults.push_back({"stop", Clock::now(), worker_of(group)});
      ::kill(-group, SIGSTOP);
      std::this_thread::sleep_for(std::chrono::seconds(kLeaseSeconds + 2));
      ::kill(-group, SIGCONT);
    }
    std::this_thread::sleep_for(std::chrono::seconds(
        std::uniform_int_distribution<int>(6, 12)(random) - (faults.size() % 2 ? 2 : 0)));
  }
  std::this_thread::sleep_for(end - std::chrono::steady_clock::now());
  stop_all(workers);

  const std::vector<RunRow> all = runs();
  const auto found = overlaps(all);
  EXPECT_TRUE(found.empty()) << found.size() << " overlaps, the first: " << found.front();
  std::set<std::string> instances;
  for (const RunRow& run : all)
    instances.insert(run.instance);
  EXPECT_EQ(instances.size(), static_cast<std::size_t>(kInstances));
  std::vector<Clock::time_point> fault_times;
  for (const auto& fault : faults)
    fault_times.push_back(fault.at);
  const auto cycle = usual_cycle(all, fault_times);
  std::set<std::string> never;
  std::string figures;
  for (const auto& fault : faults) {
    const auto takeover = takeover_after(all, fault.at, fault.worker);
    const auto all_again = all_ran_again_after(all, fault.at, instances, never);
    figures += " " + fault.kind + ": takeover " + std::to_string(takeover.count()) + " s, all " +
               std::to_string(all_again.count()) + " s;";
    // On a saturated machine a taken-over instance also waits its turn for a free slot: a
    // lease period and the usual cycle (issue 17's note has the figures).
    EXPECT_LE(takeover.count(), kLeaseSeconds + 3 + cycle.count())
        << "the instances of a " << fault.kind << "ed worker waited past a lease period";
    EXPECT_LE(all_again.count(), kLeaseSeconds + 3 + cycle.count())
        << "after a " << fault.kind << ", not every schedule was met again within a lease "
        << "period of the usual cycle (" << cycle.count() << " s)";
  }
  EXPECT_TRUE(never.empty()) << never.size() << " instances never ran after a fault";
  std::map<std::string, int> by_state;
  std::set<std::string> failures;  // why runs failed, a few
  for (const RunRow& run : all) {
    ++by_state[run.state];
    if (run.state == "failed" && failures.size() < 3)
      failures.insert(run.error.substr(0, 160));
  }
  const std::string stored = contents(backend_.url());
  EXPECT_EQ(stored, clean_sync(kInstances)) << "the database differs from a clean sync";

  std::string states;
  for (const auto& [state, count] : by_state)
    states += " " + state + " " + std::to_string(count) + ";";
  const auto kills = std::count_if(faults.begin(), faults.end(),
                                   [](const Fault& fault) { return fault.kind == "kill"; });
  std::printf(
      "workers trial on %s: %lld s, seed %u, %zu kills, %zu stops, %zu runs (%s ), %zu "
      "overlaps; usual cycle %lld s; after each fault, the faulted worker's instances ran "
      "again (takeover) and all instances had run again within:%s\n",
      GetParam().c_str(), static_cast<long long>(trial.count()), seed,
      static_cast<std::size_t>(kills), faults.size() - static_cast<std::size_t>(kills), all.size(),
      states.c_str(), found.size(), static_cast<long long>(cycle.count()), figures.c_str());
  for (const auto& failure : failures)
    std::printf("  a failed run: %s\n", failure.c_str());
  if (HasFailure())
    std::printf("%s\n", logs().c_str());
}

// One worker reaches the database through a proxy that cuts every connection for two lease
// periods: that worker's runs fail (their leases run out: nothing more of them commits), the
// other worker takes its instances over, and once the path heals both go on.
TEST_P(SeveralWorkersTest, APartitionedWorkerFailsCleanlyAndAnotherTakesOver) {
  constexpr int kInstances = 8;
  std::smatch port;
  const std::string direct = backend_.url();
  ASSERT_TRUE(std::regex_search(direct, port, std::regex(R"(port=(\d+))"))) << direct;
  test_support::TcpProxy proxy(static_cast<std::uint16_t>(std::stoi(port[1])));
  const std::string proxied =
      std::regex_replace(direct, std::regex(R"(port=\d+)"), "port=" + std::to_string(proxy.port()));
  std::vector<std::unique_ptr<ScopedProcess>> workers;
  workers.push_back(start_worker(config("cut-off.json", proxied, kInstances)));
  workers.push_back(start_worker(config("direct.json", direct, kInstances)));
  std::this_thread::sleep_for(8s);

  const auto cut = Clock::now();
  proxy.cut();
  std::this_thread::sleep_for(std::chrono::seconds(2 * kLeaseSeconds));
  proxy.heal();
  const auto healed = Clock::now();
  std::this_thread::sleep_for(8s);
  stop_all(workers);

  const std::vector<RunRow> all = runs();
  const auto found = overlaps(all);
  EXPECT_TRUE(found.empty()) << found.size() << " overlaps, the first: " << found.front();
  // During the cut only the direct worker started runs, and every instance had one.
  std::set<std::string> during, cut_off_workers;
  std::map<std::string, int> cut_off_states;
  const std::string from = text_of(cut + std::chrono::seconds(kLeaseSeconds + 3));
  const std::string until = text_of(healed);
  for (const RunRow& run : all) {
    if (run.started_at >= from && run.started_at < until) {
      during.insert(run.instance);
      cut_off_workers.insert(run.worker);
    }
  }
  EXPECT_EQ(during.size(), static_cast<std::size_t>(kInstances))
      << "instances not taken over during the cut";
  EXPECT_EQ(cut_off_workers.size(), 1u) << "the cut-off worker started runs during the cut";
  std::string states;
  for (const RunRow& run : all) {
    if (run.started_at < text_of(cut) && run.finished_at >= text_of(cut))
      states += " " + run.state;
  }
  std::set<std::string> after;
  for (const RunRow& run : all) {
    if (run.started_at >= text_of(healed + 2s))
      after.insert(run.worker);
  }
  EXPECT_EQ(after.size(), 2u) << "both workers run again once the path healed";
  EXPECT_EQ(contents(direct), clean_sync(kInstances)) << "the database differs from a clean sync";
  std::printf("partition on %s: runs going at the cut ended:%s\n", GetParam().c_str(),
              states.c_str());
  if (HasFailure())
    std::printf("%s\n", logs().c_str());
}

INSTANTIATE_TEST_SUITE_P(Servers, SeveralWorkersTest, ::testing::Values("postgresql", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
