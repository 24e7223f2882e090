// Several workers (issue 17): the wall time of one pass over 50 instances of a latency-bound
// provider (the simulator answering every request 100 ms late) with 1, 2 and 3
// `campaign-hub serve` workers on one PostgreSQL database. The work is mostly waiting, so N
// workers should take close to 1/N of one worker's time; the ratios to one worker are the
// figures, beside the physical limit. That limit is the slots' (each worker runs up to
// --parallel at once and the runs are of one length, so 50 runs take ceil(50 / (4 N)) run
// lengths: 5 against 13, not 1/3), or, when more, the waves' CPU (a wave's runs start together
// and need their CPU before they end) or the pass's CPU over the cores (see main).
// The CPU is measured for the hub (every reaped descendant: the workers and their runs'
// processes), the PostgreSQL server (its postmaster's own, reaped and living children's) and
// the simulator (this process), beside the machine's busy time, other tenants' included.
// Rounds interleave the worker counts (1 2 3, 2 3 1, 3 1 2), each measurement on a fresh
// database, migrated before the clock starts; the clock runs from starting the workers to the
// end of the last run. The medians are compared. Also: how the runs were shared among the
// workers (the fair claiming), and that every instance ran exactly once.
//
//   workers_bench [--rounds N] [--instances N] [--delay-ms N] [--page-size N] [--parallel N]
//                 [--json FILE]
//
// Needs the test database servers (bench/workers/run.sh starts and stops them). Exit code 0
// when every count of workers is within 25% of its limit, 1 when one is not, 2 when the run
// broke.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "bench/machine.h"
#include "bench/options.h"
#include "hub/store/database.h"
#include "hub/store/migrations.h"
#include "hub/store/row_values.h"
#include "provider_sim/simulator.h"
#include "tests/db-servers/backend_database.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kMaxWorkers = 3;
constexpr double kTolerance = 1.25;  // of the 1/N limit

struct Options {
  std::size_t rounds = 3;
  std::size_t instances = 50;
  std::size_t delay_ms = 100;
  std::size_t page_size = 20;  // the plugin's: 11 requests a run, 1.1 s of waiting
  std::size_t parallel = 4;    // serve.max_parallel_runs of each worker
  std::string json;
};

// One pass: how long it took, and how many runs each worker did.
struct Pass {
  int workers = 0;
  double seconds = 0;
  double cpu_seconds = 0;            // the workers and their runs' processes, user and system
  double server_cpu_seconds = 0;     // the PostgreSQL server's processes
  double simulator_cpu_seconds = 0;  // this process: the provider simulator's threads
  double machine_busy_seconds = 0;   // every core's busy time, other tenants' included
  std::vector<long long> runs_per_worker;
  long long runs = 0;
  long long failed = 0;
};

// A started `campaign-hub serve`, killed when it goes out of scope if it still runs.
class Worker {
 public:
  Worker(const fs::path& config, const fs::path& out) {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* file = std::fopen(out.c_str(), "w");
      dup2(fileno(file), STDOUT_FILENO);
      dup2(fileno(file), STDERR_FILENO);
      execl(CAMPAIGN_HUB_EXECUTABLE, CAMPAIGN_HUB_EXECUTABLE, "--config", config.c_str(), "serve",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid_ < 0)
      throw std::runtime_error("cannot fork a worker");
  }
  ~Worker() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // SIGTERM, then waits up to 30 s for it to end.
  void stop() {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 600; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  pid_t pid_ = -1;
};

// User and system CPU time in seconds of this process (RUSAGE_SELF: the simulator's threads)
// or of every reaped descendant (RUSAGE_CHILDREN: the workers and their runs).
double rusage_cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The PostgreSQL server's CPU so far: the postmaster's, its reaped children's (the backends
// that served a connection and ended), and its living children's.
double server_cpu_seconds(long postmaster) {
  double seconds = bench::process_cpu_seconds(postmaster, true);
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") == std::string::npos &&
        bench::process_parent(std::stol(name)) == postmaster)
      seconds += bench::process_cpu_seconds(std::stol(name), false);
  }
  return seconds;
}

// The postmaster's pid: the parent of the backend serving `database`'s connection (the
// server runs on this machine, tests/db-servers).
long postmaster_of(hub::Database& database) {
  long long backend = 0;
  database.session() << "SELECT pg_backend_pid()", soci::into(backend);
  const long parent = bench::process_parent(static_cast<long>(backend));
  if (parent <= 1)
    throw std::runtime_error("cannot find the PostgreSQL server's process (not on this machine?)");
  return parent;
}

long long count(hub::Database& database, const std::string& sql) {
  long long n = 0;
  database.session() << sql, soci::into(n);
  return n;
}

fs::path write_config(const fs::path& dir, const std::string& database_url,
                      const std::string& simulator, const Options& options) {
  std::string text = R"({"database": {"url": ")" + database_url + R"("}, "plugin_dir": ")" +
                     CAMPAIGN_HUB_PLUGIN_DIR +
                     R"(", "logging": {"level": "warn"}, "serve": {"listen": "127.0.0.1:0", )"
                     R"("max_parallel_runs": )" +
                     std::to_string(options.parallel) + R"(}, "instances": [)";
  for (std::size_t i = 0; i < options.instances; ++i) {
    // Due at start, once within the pass: the first run of an `every` schedule is at once.
    text += std::string(i ? ", " : "") + R"({"name": "connect-)" + std::to_string(i) +
            R"(", "plugin": "connect-scouting", "schedule": {"every": "1h"}, )"
            R"("settings": {"page_size": )" +
            std::to_string(options.page_size) +
            R"(}, )"
            R"("http": {"base_url": ")" +
            simulator + R"(", "auth": {"type": "bearer", "token": "sim-connect-token"}}})";
  }
  const fs::path file = dir / "hub.json";
  std::ofstream(file) << text << "]}";
  return file;
}

// Starts `workers` serves at once on a fresh database and waits until every instance's run
// has ended.
Pass measure(int workers, const std::string& simulator, const Options& options,
             const fs::path& dir) {
  test_support::BackendDatabase backend("postgresql");
  const fs::path config = write_config(dir, backend.url(), simulator, options);
  long postmaster = 0;
  {
    // Migrated before the clock starts: a fresh database's schema is not the pass's work.
    hub::Database database(backend.url());
    hub::migrate(database);
    postmaster = postmaster_of(database);
  }
  Pass pass;
  pass.workers = workers;
  const double cpu_before = rusage_cpu_seconds(RUSAGE_CHILDREN);
  const double server_before = server_cpu_seconds(postmaster);
  const double self_before = rusage_cpu_seconds(RUSAGE_SELF);
  const double busy_before = bench::machine_busy_seconds();
  const auto started = Clock::now();
  std::vector<std::unique_ptr<Worker>> serves;
  for (int i = 0; i < workers; ++i)
    serves.push_back(
        std::make_unique<Worker>(config, dir / ("worker-" + std::to_string(i) + ".out")));
  const auto limit = started + std::chrono::minutes(5);
  std::unique_ptr<hub::Database> database;
  for (;;) {
    if (Clock::now() > limit)
      throw std::runtime_error("the pass took more than 5 minutes; see " + dir.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {
      if (!database)
        database = std::make_unique<hub::Database>(backend.url());
      if (count(*database,
                "SELECT COUNT(*) FROM runs WHERE state NOT IN ('running', "
                "'skipped')") >= static_cast<long long>(options.instances))
        break;
    } catch (const std::exception&) {
      database.reset();  // not migrated yet
    }
  }
  pass.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  pass.machine_busy_seconds = bench::machine_busy_seconds() - busy_before;
  pass.simulator_cpu_seconds = rusage_cpu_seconds(RUSAGE_SELF) - self_before;
  for (auto& serve : serves)
    serve->stop();
  // Every run's process was reaped by its worker, and every worker by this process: their
  // CPU is all here. The database server's is not (it is no child of ours).
  pass.cpu_seconds = rusage_cpu_seconds(RUSAGE_CHILDREN) - cpu_before;
  // The backends of the workers' connections ended with them: their CPU is the postmaster's
  // reaped children's now.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  pass.server_cpu_seconds = server_cpu_seconds(postmaster) - server_before;
  pass.runs = count(*database, "SELECT COUNT(*) FROM runs WHERE state <> 'skipped'");
  pass.failed = count(*database,
                      "SELECT COUNT(*) FROM runs WHERE state NOT IN ('succeeded', "
                      "'partial', 'skipped')");
  soci::rowset<soci::row> rows = database->session().prepare
                                 << "SELECT COUNT(*) FROM runs GROUP BY worker ORDER BY 1 DESC";
  for (const auto& row : rows)
    pass.runs_per_worker.push_back(hub::column_integer(row, 0));
  return pass;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bench::Arguments args("workers_bench",
                        "workers_bench [--rounds N] [--instances N] [--delay-ms N] "
                        "[--page-size N] [--parallel N] [--json FILE]",
                        argc, argv);
  while (args.next()) {
    if (args.name() == "--rounds")
      options.rounds = args.count();
    else if (args.name() == "--instances")
      options.instances = args.count();
    else if (args.name() == "--delay-ms")
      options.delay_ms = args.count();
    else if (args.name() == "--page-size")
      options.page_size = args.count();
    else if (args.name() == "--parallel")
      options.parallel = args.count();
    else if (args.name() == "--json")
      options.json = args.value();
    else
      args.unknown();
  }
  if (options.rounds == 0 || options.instances == 0 || options.parallel == 0 ||
      options.page_size == 0)
    args.usage("--rounds, --instances, --page-size and --parallel must be at least 1");

  try {
    provider_sim::Options sim;
    sim.campaigns = 20;
    sim.opportunities = 200;
    sim.threads = 64;
    sim.faults_json =
        R"([{"kind": "delay", "ms": )" + std::to_string(options.delay_ms) + R"(, "count": -1}])";
    provider_sim::Simulator simulator(sim);
    simulator.start();
    const fs::path dir = fs::temp_directory_path() / ("workers-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const std::string load_before = bench::load_average();

    std::map<int, std::vector<double>> seconds;
    std::map<int, std::vector<double>> cpu;
    std::map<int, std::vector<Pass>> passes;
    for (std::size_t round = 0; round < options.rounds; ++round) {
      for (int i = 0; i < kMaxWorkers; ++i) {
        const int workers = 1 + static_cast<int>((round + static_cast<std::size_t>(i)) %
                                                 static_cast<std::size_t>(kMaxWorkers));
        Pass pass = measure(workers, simulator.base_url(), options, dir);
        std::string shares;
        for (long long runs : pass.runs_per_worker)
          shares += (shares.empty() ? "" : "/") + std::to_string(runs);
        std::printf(
            "round %zu: %d worker%s %6.2f s, CPU: hub %5.2f s, PostgreSQL %5.2f s, simulator "
            "%5.2f s, machine busy %5.2f of %5.2f core-s; %lld runs (%lld failed), per worker "
            "%s\n",
            round + 1, workers, workers == 1 ? " " : "s", pass.seconds, pass.cpu_seconds,
            pass.server_cpu_seconds, pass.simulator_cpu_seconds, pass.machine_busy_seconds,
            pass.seconds * std::max(1U, std::thread::hardware_concurrency()), pass.runs,
            pass.failed, shares.c_str());
        std::fflush(stdout);
        if (pass.runs != static_cast<long long>(options.instances) || pass.failed != 0)
          throw std::runtime_error("a pass did not run every instance exactly once");
        seconds[workers].push_back(pass.seconds);
        // All the pass's CPU: the hub's, the database server's, the provider's.
        cpu[workers].push_back(pass.cpu_seconds + pass.server_cpu_seconds +
                               pass.simulator_cpu_seconds);
        passes[workers].push_back(std::move(pass));
      }
    }
    fs::remove_all(dir);

    const double one = median(seconds[1]);
    bool met = true;
    std::printf(
        "\n%zu instances, every request %zu ms late, pages of %zu, up to %zu runs per worker; "
        "medians of %zu rounds (load %s before, %s after)\n",
        options.instances, options.delay_ms, options.page_size, options.parallel, options.rounds,
        load_before.c_str(), bench::load_average().c_str());
    // The physical limit of N workers. Each runs up to `parallel` at once and every instance is
    // due at the start, so the runs go in waves of N * parallel: ceil(50 / (4 N)) of them, 13
    // for one worker and 5 for three, not 1/3 (the "slots" figure). A wave lasts no less than
    // one worker's waves do (a run's waiting and its own chain of work), nor less than its runs'
    // CPU over the cores: they start together, and each needs its CPU (the hub's, the
    // server's, the simulator's: the pass's over its runs) before it ends ("waves"). Nor is
    // the pass shorter than all its CPU over the cores ("CPU floor").
    const double cores = std::max(1U, std::thread::hardware_concurrency());
    auto wave_count = [&](int workers) {
      const auto slots = static_cast<double>(options.parallel * static_cast<std::size_t>(workers));
      return std::ceil(static_cast<double>(options.instances) / slots);
    };
    auto waves_limit = [&](int workers, double cpu_per_run) {
      const std::size_t slots = options.parallel * static_cast<std::size_t>(workers);
      const double alone = one / wave_count(1);
      double total = 0;
      for (std::size_t left = options.instances; left > 0; left -= std::min(left, slots)) {
        const auto runs = static_cast<double>(std::min(left, slots));
        total += std::max(alone, runs * cpu_per_run / cores);
      }
      return total / one;
    };
    std::printf(
        "workers  wall s  CPU s  ratio to 1    1/N  slots  waves  CPU floor  limit  speed-up  "
        "target\n");
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> json(buffer);
    json.StartObject();
    json.Key("instances");
    json.Uint64(options.instances);
    json.Key("delay_ms");
    json.Uint64(options.delay_ms);
    json.Key("page_size");
    json.Uint64(options.page_size);
    json.Key("max_parallel_runs");
    json.Uint64(options.parallel);
    json.Key("rounds");
    json.Uint64(options.rounds);
    json.Key("machine");
    json.String(bench::cpu_model().c_str());
    json.Key("workers");
    json.StartArray();
    for (int workers = 1; workers <= kMaxWorkers; ++workers) {
      const double wall = median(seconds[workers]);
      const double ratio = wall / one;
      const double cpu_seconds = median(cpu[workers]);
      const double floor = cpu_seconds / cores / one;
      const double slots = wave_count(workers) / wave_count(1);
      const double waves =
          waves_limit(workers, cpu_seconds / static_cast<double>(options.instances));
      const double limit = std::max({slots, waves, floor});
      const bool ok = ratio <= limit * kTolerance;
      met = met && ok;
      std::printf("%7d  %6.2f  %5.2f  %10.3f  %5.3f  %5.3f  %5.3f  %9.3f  %5.3f  %7.2fx  %s\n",
                  workers, wall, cpu_seconds, ratio, 1.0 / workers, slots, waves, floor, limit,
                  one / wall,
                  workers == 1 ? "baseline"
                  : ok         ? "met"
                               : "NOT MET");
      json.StartObject();
      json.Key("workers");
      json.Int(workers);
      json.Key("median_seconds");
      json.Double(wall);
      json.Key("ratio_to_one");
      json.Double(ratio);
      json.Key("median_cpu_seconds");
      json.Double(cpu_seconds);
      json.Key("slots_limit");
      json.Double(slots);
      json.Key("waves_limit");
      json.Double(waves);
      json.Key("cpu_floor");
      json.Double(floor);
      json.Key("limit");
      json.Double(limit);
      json.Key("seconds");
      json.StartArray();
      for (double s : seconds[workers])
        json.Double(s);
      json.EndArray();
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    std::printf(
        "target: N workers within %.0f%% of the limit, the most of slots, waves and the pass's "
        "CPU over %.0f cores: %s\n",
        (kTolerance - 1) * 100, cores, met ? "met" : "NOT MET");
    if (!options.json.empty())
      std::ofstream(options.json) << buffer.GetString() << "\n";
    return met ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "workers_bench: %s\n", error.what());
    return 2;
  }
}
