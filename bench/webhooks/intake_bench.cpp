// Webhook intake (issue 13): serve's receiver (HttpListener + WebhookModule: verify the
// Standard Webhooks signature, keep the request in the spool, answer 200) under sustained
// load on loopback, against the same listener with a module that answers 200 doing nothing.
// Several interleaved rounds; per side requests/s and p50/p99/max latency; the ratios
// hub/baseline; the targets (>= 5,000 requests/s, p99 < 50 ms); and, after each hub side, the
// spool's rows against the 200 "accepted" answers (nothing lost, nothing doubled). The load
// generator runs in this process, on the same cores as the server (README.md).
//
//   intake_bench [--seconds N] [--warmup N] [--rounds N] [--connections N]
//                [--database-url URL] [--json FILE] [--pool-threads N]
//
// Exit code 0 when every round of the hub meets the targets with no error and a spool that
// matches its answers, 1 when one does not, 2 when the run broke.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <soci/soci.h>

#include "bench/machine.h"
#include "bench/options.h"
#include "connectors/text/base64.h"
#include "hub/serve/listener.h"
#include "hub/serve/metrics.h"
#include "hub/store/database.h"
#include "hub/store/migrations.h"
#include "hub/webhooks/signatures.h"
#include "hub/webhooks/webhook_module.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double kTargetRequestsPerSecond = 5000.0;
constexpr double kTargetP99Ms = 50.0;
constexpr const char* kInstance = "connect";
constexpr const char* kPath = "/webhooks/connect";
const std::string kKey = "connect-signing-key-32-bytes-long";

struct Options {
  double seconds = 10;
  double warmup = 2;
  int rounds = 3;
  int connections = 32;
  std::string database_url;  // empty: a fresh SQLite file per round in a temp dir
  std::string json;
  // Diagnosis only: the listener's httplib pool with this many threads instead of its
  // default (0), set through a module's attach, on both sides.
  int pool_threads = 0;
};

Options parse_options(int argc, char** argv) {
  bench::Arguments args("intake_bench",
                        "intake_bench [--seconds N] [--warmup N] [--rounds N] "
                        "[--connections N] [--database-url URL] [--json FILE] "
                        "[--pool-threads N]",
                        argc, argv);
  Options options;
  while (args.next()) {
    const std::string& name = args.name();
    if (name == "--seconds")
      options.seconds = args.positive_number();
    else if (name == "--warmup")
      options.warmup = args.positive_number();
    else if (name == "--rounds")
      options.rounds = static_cast<int>(args.positive_number());
    else if (name == "--connections")
      options.connections = static_cast<int>(args.positive_number());
    else if (name == "--database-url")
      options.database_url = args.value();
    else if (name == "--json")
      options.json = args.value();
    else if (name == "--pool-threads")
      options.pool_threads = static_cast<int>(args.positive_number());
    else if (name == "--help" || name == "-h")
      args.usage("help");
    else
      args.unknown();
  }
  if (options.rounds < 1 || options.connections < 1)
    args.usage("--rounds and --connections must be at least 1");
  return options;
}

// ---- the machine ----

// This process's threads now (/proc/self/status).
int thread_count() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("Threads:"))
      return std::atoi(line.c_str() + 8);
  }
  return 0;
}

double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

std::string utc_text(std::time_t when, const char* format = "%Y-%m-%dT%H:%M:%SZ") {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char text[40];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

// ---- the requests: Connect push events, signed as Connect signs them ----

const char* const kTitles[] = {
    "PHA-based film with oxygen barrier", "Bio-sourced epoxy for wind blades",
    "Low-temperature heat pump for dairies", "Recycled-carbon composite bike frame",
    "Enzymatic PET depolymerisation pilot"};
const char* const kSummaries[] = {
    "Lab-scale film, 40 µm, OTR below 5 cc/m²/day; seeking a converter for trials.",
    "Résine époxy biosourcée validée en laboratoire, recherche un partenaire industriel.",
    "Wärmepumpe für Molkereien, Prototyp im Feldtest, Partner für Skalierung gesucht.",
    "Rama de bicicleta de compuesto reciclado, TRL 5, busca fabricante europeo."};
const char* const kInstitutions[] = {"Université de Lyon", "Technische Universität München",
                                     "Universidad de Sevilla", "Åbo Akademi"};
const char* const kCountries[] = {"FR", "DE", "ES", "FI"};
const char* const kPeople[] = {"Élodie Marchand", "Jürgen Weiß", "Inés García", "Aoife Byrne"};
const char* const kStatuses[] = {"Active", "On-hold", "Closed", "Declined"};

template <typename T, std::size_t N>
const T& pick(const T (&from)[N], std::uint64_t n) {
  return from[n % N];
}

// About 640 bytes: an `opportunity.updated` event whose data is what GET /v1/opportunities
// returns (connect-feed.md), different for every `n`.
std::string event_body(std::uint64_t n, const std::string& now) {
  char text[1536];
  const int size = std::snprintf(
      text, sizeof text,
      R"({"type":"opportunity.updated","occurred_at":"%s","data":{"id":"opp_%08llx",)"
      R"("campaign_id":"cmp_%04llx","title":"%s #%llu","summary":"%s",)"
      R"("institution":{"name":"%s","country":"%s"},)"
      R"("submitted_by":{"name":"%s","email":"contact%llu@partner.example"},"status":"%s",)"
      R"("trl":%d,"submitted_at":"2026-02-14T16:03:11+01:00","updated_at":"%s",)"
      R"("attachments":[{"name":"deck.pdf","url":"https://files.provider.example/a/%llu"}]}})",
      now.c_str(), static_cast<unsigned long long>(n), static_cast<unsigned long long>(n % 2000),
      pick(kTitles, n), static_cast<unsigned long long>(n), pick(kSummaries, n / 5),
      pick(kInstitutions, n / 3), pick(kCountries, n / 3), pick(kPeople, n / 7),
      static_cast<unsigned long long>(n % 10007), pick(kStatuses, n / 11),
      static_cast<int>(n % 9 + 1), now.c_str(), static_cast<unsigned long long>(n));
  return {text, static_cast<std::size_t>(std::min<int>(size, sizeof text - 1))};
}

// Builds and signs one delivery: webhook-id, webhook-timestamp, webhook-signature
// (v1,<base64 HMAC-SHA256(key, id.timestamp.body)>).
class Signer {
 public:
  explicit Signer(std::string id_prefix) : prefix_(std::move(id_prefix)) {}

  void sign(std::uint64_t n, httplib::Headers& headers, std::string& body) {
    const std::time_t now = std::time(nullptr);
    if (now != second_) {
      second_ = now;
      timestamp_ = std::to_string(now);
      iso_ = utc_text(now);
    }
    body = event_body(n, iso_);
    std::string id = prefix_ + std::to_string(n);
    std::string signature =
        "v1," + hub::webhooks::hmac_sha256_base64(kKey, id + "." + timestamp_ + "." + body);
    headers = {{"webhook-id", std::move(id)},
               {"webhook-timestamp", timestamp_},
               {"webhook-signature", std::move(signature)}};
  }

 private:
  std::string prefix_;
  std::time_t second_ = 0;
  std::string timestamp_;
  std::string iso_;
};

// ---- the load ----

struct ClientResult {
  std::vector<double> latencies_ms;  // requests sent inside the timed window
  std::size_t errors = 0;            // inside the window: non-2xx or no answer
  std::size_t warmup_errors = 0;
  std::size_t accepted = 0;                     // 200 {"status":"accepted"}, warm-up included
  std::size_t duplicates = 0;                   // 200 {"status":"duplicate", ...}
  std::map<std::string, std::size_t> failures;  // "503", "transport: Read", ...: a count each
  double cpu_seconds = 0;                       // this thread's CPU inside the window
};

struct Load {
  double seconds = 0;
  std::size_t requests = 0;
  double requests_per_second = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::size_t errors = 0;
  std::size_t warmup_errors = 0;
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::map<std::string, std::size_t> failures;
  double process_cpu_seconds = 0;
  double client_cpu_seconds = 0;
  int threads = 0;
};

// The nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// `connections` threads, each one keep-alive httplib::Client, send signed events to `port` as
// fast as they are answered: `warmup` seconds untimed, then `seconds` timed.
Load drive(int port, const Options& options, const std::string& id_prefix) {
  const auto start = Clock::now() + std::chrono::milliseconds(100);  // every thread is up
  const auto window_start = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(options.warmup));
  const auto window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.seconds));

  std::vector<ClientResult> results(static_cast<std::size_t>(options.connections));
  std::vector<std::thread> clients;
  clients.reserve(results.size());
  for (std::size_t c = 0; c < results.size(); ++c) {
    clients.emplace_back([&, c] {
      ClientResult& out = results[c];
      out.latencies_ms.reserve(static_cast<std::size_t>(options.seconds * 2000));
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      // As curl and Go's net/http do: httplib writes the headers and the body apart, and
      // Nagle's algorithm would hold the body for the server's delayed ACK (40 ms).
      client.set_tcp_nodelay(true);
      client.set_connection_timeout(10, 0);
      client.set_read_timeout(60, 0);
      client.set_write_timeout(60, 0);
      Signer signer(id_prefix + std::to_string(c) + "-");
      httplib::Headers headers;
      std::string body;
      std::this_thread::sleep_until(start);
      bool timing = false;
      double cpu_at_start = 0;
      for (std::uint64_t n = 0;; ++n) {
        signer.sign(n, headers, body);
        const auto sent = Clock::now();
        if (sent >= window_end)
          break;
        if (!timing && sent >= window_start) {
          timing = true;
          cpu_at_start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        }
        auto answer = client.Post(kPath, headers, body, "application/json");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        const bool ok = answer && answer->status >= 200 && answer->status < 300;
        if (timing)
          out.latencies_ms.push_back(ms);
        if (!ok) {
          ++(timing ? out.errors : out.warmup_errors);
          ++out.failures[answer
                             ? std::to_string(answer->status) + ": " + answer->body.substr(0, 120)
                             : "no answer: " + httplib::to_string(answer.error())];
        } else if (answer->status == 200 &&
                   answer->body.find("\"accepted\"") != std::string::npos) {
          ++out.accepted;
        } else if (answer->body.find("\"duplicate\"") != std::string::npos) {
          ++out.duplicates;
        }
      }
      if (timing)
        out.cpu_seconds = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_at_start;
    });
  }

  Load load;
  std::this_thread::sleep_until(window_start);
  const double process_at_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  std::this_thread::sleep_until(window_start + (window_end - window_start) / 2);
  load.threads = thread_count();
  std::this_thread::sleep_until(window_end);
  load.process_cpu_seconds = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_at_start;
  for (auto& client : clients)
    client.join();

  std::vector<double> all;
  for (const auto& each : results) {
    all.insert(all.end(), each.latencies_ms.begin(), each.latencies_ms.end());
    load.errors += each.errors;
    load.warmup_errors += each.warmup_errors;
    load.accepted += each.accepted;
    load.duplicates += each.duplicates;
    load.client_cpu_seconds += each.cpu_seconds;
    for (const auto& [what, count] : each.failures)
      load.failures[what] += count;
  }
  std::sort(all.begin(), all.end());
  load.seconds = options.seconds;
  load.requests = all.size();
  load.requests_per_second = static_cast<double>(all.size()) / options.seconds;
  load.p50_ms = percentile(all, 0.50);
  load.p99_ms = percentile(all, 0.99);
  load.max_ms = all.empty() ? 0 : all.back();
  return load;
}

// ---- the two sides ----

// The baseline: the same listener and route, answering what the hub answers, doing nothing.
class AnswerOnly : public hub::HttpModule {
 public:
  void attach(httplib::Server& server) override {
    server.Post(R"(/webhooks/([^/]+)(/.*)?)",
                [](const httplib::Request& /*request*/, httplib::Response& response) {
                  response.status = 200;
                  response.set_content(R"({"status":"accepted"})"
                                       "\n",
                                       "application/json");
                });
  }
};

// --pool-threads: attached before the side's own module, it gives the listener's server a
// pool of another size. Not what serve runs: a what-if, to see what the pool's size costs.
class PoolSize : public hub::HttpModule {
 public:
  explicit PoolSize(int threads) : threads_(static_cast<std::size_t>(threads)) {}
  void attach(httplib::Server& server) override {
    if (threads_ > 0) {
      server.new_task_queue = [threads = threads_] { return new httplib::ThreadPool(threads); };
    }
  }

 private:
  std::size_t threads_;
};

struct Side {
  std::string name;  // "baseline" or "hub"
  Load load;
  long long spool_rows = -1;  // hub: rows the round added to webhook_spool
  bool spool_matches = true;  // hub: spool_rows == accepted answers, no duplicate answer
};

hub::ServeConfig loopback() {
  hub::ServeConfig serve;
  serve.listen = "127.0.0.1:0";
  return serve;
}

Side run_baseline(const Options& options, const std::string& id_prefix) {
  AnswerOnly module;
  PoolSize pool(options.pool_threads);
  hub::HttpListener listener(loopback());
  listener.attach(pool);
  listener.attach(module);
  listener.start();
  Side side{"baseline", drive(listener.port(), options, id_prefix), -1, true};
  listener.stop();
  return side;
}

long long spool_rows(const std::string& url) {
  hub::Database database(url);
  long long rows = 0;
  database.session() << "SELECT COUNT(*) FROM webhook_spool WHERE instance = :i",
      soci::use(std::string(kInstance)), soci::into(rows);
  return rows;
}

Side run_hub(const Options& options, const std::string& url, const std::string& id_prefix) {
  {
    hub::Database database(url);
    hub::migrate(database);
  }
  const long long before = spool_rows(url);

  hub::Config config;
  config.database_url = url;
  hub::InstanceConfig instance;
  instance.name = kInstance;
  instance.plugin = "connect-scouting";
  hub::WebhookConfig webhook;
  webhook.scheme = "standard-webhooks";
  webhook.secret = "whsec_" + connectors::text::base64(kKey);
  instance.webhook = webhook;
  config.instances.push_back(instance);

  Side side{"hub", {}, -1, false};
  {
    // As serve builds it: the module counts into serve's metrics, then attaches.
    hub::ServeMetrics metrics;
    hub::webhooks::WebhookModule module(config, false);
    module.count_into(metrics);
    PoolSize pool(options.pool_threads);
    hub::HttpListener listener(loopback());
    listener.attach(pool);
    listener.attach(module);
    listener.start();
    side.load = drive(listener.port(), options, id_prefix);
    listener.stop();
  }  // the module's spool finishes what is queued
  side.spool_rows = spool_rows(url) - before;
  side.spool_matches =
      side.spool_rows == static_cast<long long>(side.load.accepted) && side.load.duplicates == 0;
  return side;
}

bool meets_targets(const Side& hub) {
  return hub.load.requests_per_second >= kTargetRequestsPerSecond &&
         hub.load.p99_ms < kTargetP99Ms && hub.load.errors == 0 && hub.load.warmup_errors == 0 &&
         hub.spool_matches;
}

// What building and signing one request costs the load generator, on one thread (µs).
double signing_microseconds() {
  constexpr int kCount = 20000;
  Signer signer("sign-cost-");
  httplib::Headers headers;
  std::string body;
  std::size_t bytes = 0;
  const auto start = Clock::now();
  for (int i = 0; i < kCount; ++i) {
    signer.sign(static_cast<std::uint64_t>(i), headers, body);
    bytes += body.size();
  }
  const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  return bytes > 0 ? us / kCount : 0;
}

double round2(double v) {
  return std::round(v * 100) / 100;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n == 0 ? 0 : (n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
}

void print_side(int round, const Side& side) {
  const Load& l = side.load;
  const double busy = l.process_cpu_seconds / l.seconds;
  const double clients = l.client_cpu_seconds / l.seconds;
  std::printf("%5d  %-8s %9.0f %8.2f %8.2f %8.2f %7zu   %4.2f / %4.2f / %4.2f  %7d", round,
              side.name.c_str(), l.requests_per_second, l.p50_ms, l.p99_ms, l.max_ms,
              l.errors + l.warmup_errors, busy, clients, busy - clients, l.threads);
  if (side.spool_rows >= 0) {
    std::printf("  spool %lld rows / %zu accepted: %s", side.spool_rows, l.accepted,
                side.spool_matches ? "match" : "MISMATCH");
  }
  std::printf("\n");
  for (const auto& [what, count] : l.failures)
    std::printf("         %zu x %s\n", count, what.c_str());
  std::fflush(stdout);
}

void write_load(rapidjson::PrettyWriter<rapidjson::StringBuffer>& json, const Side& side) {
  const Load& l = side.load;
  json.StartObject();
  json.Key("requests");
  json.Uint64(l.requests);
  json.Key("requests_per_second");
  json.Double(std::round(l.requests_per_second));
  json.Key("p50_ms");
  json.Double(round2(l.p50_ms));
  json.Key("p99_ms");
  json.Double(round2(l.p99_ms));
  json.Key("max_ms");
  json.Double(round2(l.max_ms));
  json.Key("errors");
  json.Uint64(l.errors);
  json.Key("warmup_errors");
  json.Uint64(l.warmup_errors);
  json.Key("failures");
  json.StartObject();
  for (const auto& [what, count] : l.failures) {
    json.Key(what.c_str());
    json.Uint64(count);
  }
  json.EndObject();
  json.Key("cpu_cores_busy");
  json.Double(round2(l.process_cpu_seconds / l.seconds));
  json.Key("cpu_cores_load_generator");
  json.Double(round2(l.client_cpu_seconds / l.seconds));
  json.Key("threads");
  json.Int(l.threads);
  if (side.spool_rows >= 0) {
    json.Key("accepted_answers");
    json.Uint64(l.accepted);
    json.Key("duplicate_answers");
    json.Uint64(l.duplicates);
    json.Key("spool_rows");
    json.Int64(side.spool_rows);
    json.Key("spool_matches");
    json.Bool(side.spool_matches);
  }
  json.EndObject();
}

int run(const Options& options) {
  const fs::path work =
      fs::temp_directory_path() / ("campaign-hub-intake-" + std::to_string(getpid()));
  fs::create_directories(work);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{work};

  const std::string backend = options.database_url.empty()
                                  ? "sqlite3 (a new file per round in " + work.string() + ")"
                                  : hub::Database(options.database_url).display_url();
  const double sign_us = signing_microseconds();
  const std::string load_before = bench::load_average();
  std::printf(
      "intake_bench: POST %s, Standard Webhooks, %d keep-alive connections, %.0f s warm-up + "
      "%.0f s timed, %d round(s)\n"
      "  hub: HttpListener + WebhookModule, spool on %s\n"
      "  baseline: the same HttpListener, a module answering 200 {\"status\":\"accepted\"} "
      "doing nothing\n"
      "  the load generator runs in this process on the same %u cores; building and signing "
      "one request costs it %.1f us (one thread)\n"
      "  the listener's pool: %s\n"
      "  load average before: %s\n\n",
      kPath, options.connections, options.warmup, options.seconds, options.rounds, backend.c_str(),
      std::thread::hardware_concurrency(), sign_us,
      options.pool_threads > 0 ? (std::to_string(options.pool_threads) +
                                  " threads (--pool-threads: NOT what serve runs)")
                                     .c_str()
                               : "serve's own (HttpListener), as serve runs it",
      load_before.c_str());
  std::printf(
      "round  side       req/s  p50 ms   p99 ms   max ms  errors   cores: all / gen / "
      "server  threads\n");
  std::fflush(stdout);

  // Ids unique across runs, so that a reused --database-url never sees an id twice.
  const std::string run_id =
      "msg_" + std::to_string(std::time(nullptr)) + "_" + std::to_string(getpid()) + "_";
  std::vector<std::pair<Side, Side>> rounds;  // baseline, hub
  for (int r = 1; r <= options.rounds; ++r) {
    const std::string prefix = run_id + std::to_string(r) + "_";
    const std::string url =
        options.database_url.empty()
            ? "sqlite3://" + (work / ("round-" + std::to_string(r) + ".db")).string()
            : options.database_url;
    // Interleaved: odd rounds baseline first, even rounds hub first.
    Side baseline, hub;
    if (r % 2 == 1) {
      baseline = run_baseline(options, prefix + "b");
      print_side(r, baseline);
      hub = run_hub(options, url, prefix + "h");
      print_side(r, hub);
    } else {
      hub = run_hub(options, url, prefix + "h");
      print_side(r, hub);
      baseline = run_baseline(options, prefix + "b");
      print_side(r, baseline);
    }
    rounds.emplace_back(std::move(baseline), std::move(hub));
  }
  const std::string load_after = bench::load_average();

  std::printf(
      "\nround  hub/baseline req/s  hub/baseline p99  hub >= %.0f req/s, p99 < %.0f ms, "
      "0 errors, spool = accepted\n",
      kTargetRequestsPerSecond, kTargetP99Ms);
  bool pass = true;
  std::vector<double> throughput_ratios, p99_ratios, hub_rps, hub_p99;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const auto& [baseline, hub] = rounds[r];
    const double throughput = hub.load.requests_per_second / baseline.load.requests_per_second;
    const double p99 = hub.load.p99_ms / baseline.load.p99_ms;
    const bool ok = meets_targets(hub);
    pass = pass && ok;
    throughput_ratios.push_back(throughput);
    p99_ratios.push_back(p99);
    hub_rps.push_back(hub.load.requests_per_second);
    hub_p99.push_back(hub.load.p99_ms);
    std::printf("%5zu  %18.2fx %16.2fx  %s\n", r + 1, throughput, p99, ok ? "PASS" : "FAIL");
  }
  std::printf(
      "median %17.2fx %16.2fx  hub %.0f req/s, p99 %.2f ms\n"
      "targets (issue 13), every round: %s\n"
      "load average after: %s. The load generator shares the cores with the server: 'gen' is "
      "its CPU, 'server' the rest of the process.\n",
      median(throughput_ratios), median(p99_ratios), median(hub_rps), median(hub_p99),
      pass ? "PASS" : "FAIL", load_after.c_str());

  if (!options.json.empty()) {
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> json(buffer);
    json.StartObject();
    json.Key("benchmark");
    json.String("webhook-intake");
    json.Key("date");
    json.String(utc_text(std::time(nullptr)).c_str());
    const std::string commit = bench::command_output("git rev-parse --short HEAD 2>/dev/null");
    json.Key("commit");
    json.String(commit.empty() ? "unknown" : commit.c_str());
    json.Key("uncommitted_changes");
    json.Bool(
        !bench::command_output("git status --porcelain --untracked-files=no 2>/dev/null").empty());
    json.Key("machine");
    json.StartObject();
    json.Key("cores");
    json.Uint(std::thread::hardware_concurrency());
    json.Key("cpu");
    json.String(bench::cpu_model().c_str());
    json.Key("load_average_before");
    json.String(load_before.c_str());
    json.Key("load_average_after");
    json.String(load_after.c_str());
    json.EndObject();
    json.Key("settings");
    json.StartObject();
    json.Key("backend");
    json.String(backend.c_str());
    json.Key("connections");
    json.Int(options.connections);
    json.Key("warmup_seconds");
    json.Double(options.warmup);
    json.Key("seconds");
    json.Double(options.seconds);
    json.Key("rounds");
    json.Int(options.rounds);
    json.Key("scheme");
    json.String("standard-webhooks");
    json.Key("body_bytes");
    json.Uint64(event_body(12345, "2026-03-01T09:30:02Z").size());
    json.Key("sign_microseconds");
    json.Double(round2(sign_us));
    json.Key("pool_threads");
    if (options.pool_threads > 0)
      json.Int(options.pool_threads);
    else
      json.String("httplib default, as serve runs it");
    json.Key("load_generator");
    json.String("in process, on the same cores as the server");
    json.EndObject();
    json.Key("targets");
    json.StartObject();
    json.Key("requests_per_second_min");
    json.Double(kTargetRequestsPerSecond);
    json.Key("p99_ms_below");
    json.Double(kTargetP99Ms);
    json.EndObject();
    json.Key("rounds");
    json.StartArray();
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      const auto& [baseline, hub] = rounds[r];
      json.StartObject();
      json.Key("round");
      json.Uint64(r + 1);
      json.Key("first");
      json.String(r % 2 == 0 ? "baseline" : "hub");
      json.Key("baseline");
      write_load(json, baseline);
      json.Key("hub");
      write_load(json, hub);
      json.Key("hub_over_baseline_requests_per_second");
      json.Double(round2(throughput_ratios[r]));
      json.Key("hub_over_baseline_p99");
      json.Double(round2(p99_ratios[r]));
      json.Key("pass");
      json.Bool(meets_targets(hub));
      json.EndObject();
    }
    json.EndArray();
    json.Key("median_hub_over_baseline_requests_per_second");
    json.Double(round2(median(throughput_ratios)));
    json.Key("median_hub_over_baseline_p99");
    json.Double(round2(median(p99_ratios)));
    json.Key("pass");
    json.Bool(pass);
    json.EndObject();
    const fs::path out(options.json);
    if (out.has_parent_path())
      fs::create_directories(out.parent_path());
    std::ofstream(out) << buffer.GetString() << "\n";
    std::printf("intake_bench: wrote %s\n", out.c_str());
  }
  return pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "intake_bench: %s\n", error.what());
    return 2;
  }
}
