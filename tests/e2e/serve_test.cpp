// `campaign-hub serve` as operators run it: a real process on a free port, with slow-feed
// instances on schedules, stopped by the test that started it. Concurrency up to the cap,
// SIGTERM in the middle of a batch, SIGHUP reloads, crashes and backoff, /metrics against
// the runs table (checked by promtool), and the operations endpoints.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>

#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tests/e2e/hub_process.h"

namespace {

using namespace std::chrono_literals;
using test_support::ScopedProcess;
using test_support::fs::path;

// One slow-feed instance; `settings` and `extra` are JSON members.
std::string instance(const std::string& name, const std::string& settings,
                     const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "plugin": "slow-feed", "batch_size": 100, )" + extra +
         R"("settings": {"campaigns": 3, "page_size": 100)" + settings + "}}";
}

std::string every(const std::string& interval) {
  return R"("schedule": {"every": ")" + interval + R"("}, )";
}

class ServeTest : public test_support::HubProcessTest {
 protected:
  path config(const std::vector<std::string>& instances, const std::string& serve = "",
              const std::string& name = "hub.json") {
    std::string text = R"({"database": {"url": ")" + url("hub.db") + R"("}, "plugin_dir": ")" +
                       CAMPAIGN_HUB_TEST_PLUGIN_DIR +
                       R"(", "logging": {"level": "info"}, "serve": {"listen": "127.0.0.1:0", )"
                       R"("retry_first_seconds": 1, "retry_max_seconds": 4)" +
                       serve + R"(}, "instances": [)";
    for (std::size_t i = 0; i < instances.size(); ++i)
      text += (i ? ", " : "") + instances[i];
    return write_text(name, text + "]}");
  }

  // Starts serve on `file` and waits for its listener; the port is then in port_.
  std::unique_ptr<ScopedProcess> serve(const path& file) {
    auto process = std::make_unique<ScopedProcess>(start(file, {"serve"}, dir_ / "serve.out"));
    const std::regex listening(R"(listening on https?://127\.0\.0\.1:(\d+))");
    std::smatch match;
    bool up = eventually([&] {
      std::string said = read(dir_ / "serve.out");
      if (!std::regex_search(said, match, listening))
        return false;
      port_ = std::stoi(match[1]);
      return true;
    });
    EXPECT_TRUE(up) << read(dir_ / "serve.out");
    return process;
  }

  httplib::Client client() {
    httplib::Client http("127.0.0.1", port_);
    http.set_read_timeout(10, 0);
    return http;
  }

  long long runs(const std::string& instance, const std::string& state = "") {
    std::string sql = "SELECT COUNT(*) FROM runs WHERE instance = '" + instance + "'";
    if (!state.empty())
      sql += " AND state = '" + state + "'";
    try {
      return count("hub.db", sql);
    } catch (const std::exception&) {
      return 0;  // not migrated yet
    }
  }

  std::string text(const std::string& sql) {
    hub::Database database(url("hub.db"));
    std::string value;
    database.session() << sql, soci::into(value);
    return value;
  }

  int port_ = 0;
};

// The value of one sample of a Prometheus exposition, by its name and labels as written.
// The value of `series` (its name and labels as written, less the worker label every series
// of a serve carries) in the exposition.
std::optional<double> sample(const std::string& exposition, const std::string& series) {
  static const std::regex worker(R"(,?worker="[^"]*")");
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    line = std::regex_replace(line, worker, "");
    line = std::regex_replace(line, std::regex(R"(\{,)"), "{");
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

TEST_F(ServeTest, ThreeInstancesOnOneSecondSchedulesRunConcurrentlyUpToTheCap) {
  // Each run takes about 1.2 s (4 pages of 300 ms): with a cap of 2, two run at once.
  const std::string slow = R"(, "opportunities": 400, "delay_ms": 300)";
  auto hub = serve(config({instance("a", slow, every("1s")), instance("b", slow, every("1s")),
                           instance("c", slow, every("1s"))},
                          R"(, "max_parallel_runs": 2)"));
  long long most = 0;
  auto until = std::chrono::steady_clock::now() + 8s;
  while (std::chrono::steady_clock::now() < until) {
    try {
      most = std::max(most, count("hub.db", "SELECT COUNT(*) FROM leases WHERE run_id <> 0"));
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(most, 2) << "runs at once; the cap is 2\n" << read(dir_ / "serve.out");
  for (const char* name : {"a", "b", "c"})
    EXPECT_GE(runs(name, "succeeded"), 1) << name << "\n" << read(dir_ / "serve.out");
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, SigtermMidBatchCommitsReleasesAndTheNextStartResumes) {
  auto file = config({instance("feed", R"(, "opportunities": 3000, "delay_ms": 100)", every("1h"))},
                     R"(, "grace_period_seconds": 10)");
  auto hub = serve(file);
  ASSERT_TRUE(eventually([&] {
    try {
      return count("hub.db", "SELECT COUNT(*) FROM cursors WHERE stream = 'opportunities'") > 0;
    } catch (const std::exception&) {
      return false;
    }
  })) << read(dir_ / "serve.out");
  auto asked = std::chrono::steady_clock::now();
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(12s), 0) << read(dir_ / "serve.out");
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 10s) << "past the grace period";

  EXPECT_EQ(runs("feed", "interrupted"), 1) << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM leases WHERE run_id <> 0"), 0)
      << "the lease was not released";
  const long long cursor =
      std::stoll(text("SELECT cursor_value FROM cursors WHERE stream = 'opportunities'"));
  EXPECT_LT(cursor, 3000);
  // Everything up to the checkpoint it stopped at is committed, nothing past it.
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities"), cursor);

  auto again = serve(file);
  ASSERT_TRUE(eventually([&] { return runs("feed", "succeeded") == 1; }))
      << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities"), 3000);
  EXPECT_EQ(std::stoll(text("SELECT CAST(records_read AS TEXT) FROM runs WHERE state = "
                            "'succeeded'")),
            3000 - cursor + 3)
      << "it read again what was committed";
  again->signal(SIGTERM);
  EXPECT_EQ(again->wait(15s), 0);
}

TEST_F(ServeTest, SighupAddsOneInstanceAndDropsAnotherAndABrokenConfigIsRefused) {
  const std::string small = R"(, "opportunities": 10)";
  auto file = config({instance("a", small, every("1s")), instance("b", small, every("1s"))});
  auto hub = serve(file);
  ASSERT_TRUE(eventually([&] { return runs("a") >= 1 && runs("b") >= 1; }))
      << read(dir_ / "serve.out");

  config({instance("a", small, every("1s")), instance("c", small, every("1s"))});
  hub->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return runs("c") >= 1; })) << read(dir_ / "serve.out");
  EXPECT_NE(read(dir_ / "serve.out").find("(added: c; removed: b)"), std::string::npos);
  std::this_thread::sleep_for(500ms);  // a run of b that had started may end
  const long long b_runs = runs("b");
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(runs("b"), b_runs) << "b still runs after it was dropped";

  write_text("hub.json", R"({"instances": [{"name": "a", "plugin": "slow-feed",)");
  hub->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] {
    return read(dir_ / "serve.out").find("reload refused, the running config stays") !=
           std::string::npos;
  })) << read(dir_ / "serve.out");
  EXPECT_NE(read(dir_ / "serve.out").find("hub.json:1:"), std::string::npos)
      << "the same error as at start, with where";
  const long long a_runs = runs("a");
  EXPECT_TRUE(eventually([&] { return runs("a") > a_runs + 1; }))
      << "the old config stopped running\n"
      << read(dir_ / "serve.out");
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, ACrashingInstanceBacksOffAndTheOthersGoOn) {
  auto hub = serve(config({instance("crashes",
                                    R"(, "opportunities": 300, "die": "segfault", )"
                                    R"("die_after": 150)",
                                    every("1s")),
                           instance("healthy", R"(, "opportunities": 50)", every("1s"))}));
  // Retries after 1, 2 and 4 s: four failed runs take 7 s; healthy runs every second.
  ASSERT_TRUE(eventually([&] { return runs("crashes", "failed") >= 3; }, 20s))
      << read(dir_ / "serve.out");
  EXPECT_GE(runs("healthy", "succeeded"), 3);
  EXPECT_EQ(text("SELECT error FROM runs WHERE instance = 'crashes' ORDER BY id DESC"),
            "plugin slow-feed crashed: signal 11 (SIGSEGV)");

  auto metrics = client().Get("/metrics");
  ASSERT_TRUE(metrics) << "no answer from /metrics";
  const std::string& body = metrics->body;
  auto deaths =
      sample(body, R"(campaign_hub_plugin_deaths_total{cause="crash",instance="crashes"})");
  ASSERT_TRUE(deaths) << body;
  EXPECT_GE(*deaths, 3);
  auto failures = sample(body, R"(campaign_hub_consecutive_failures{instance="crashes"})");
  ASSERT_TRUE(failures) << body;
  EXPECT_GE(*failures, 2);
  auto backoff = sample(body, R"(campaign_hub_retry_backoff_seconds{instance="crashes"})");
  ASSERT_TRUE(backoff) << body;
  EXPECT_GE(*backoff, 2);
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, MetricsParseAsPrometheusTextAndMatchTheRunsTable) {
  // No schedules: the test starts each run, so nothing runs between the two reads.
  auto hub = serve(config({instance("a", R"(, "opportunities": 120)"),
                           instance("b", R"(, "opportunities": 5, "status_of_opportunity": )"
                                         R"("Parked")")}));
  auto http = client();
  for (int i = 0; i < 3; ++i) {
    for (const char* name : {"a", "b"}) {
      const long long before = runs(name);
      auto started = http.Post(std::string("/instances/") + name + "/sync");
      ASSERT_TRUE(started);
      EXPECT_EQ(started->status, 202) << started->body;
      ASSERT_TRUE(eventually([&] { return runs(name) > before && runs(name, "running") == 0; }))
          << read(dir_ / "serve.out");
    }
  }
  // A run is counted once the supervisor has recorded it; give the metrics a moment.
  std::string body;
  auto total = [&](const std::string& name) {
    double sum = 0;
    for (const char* state : {"succeeded", "partial", "failed", "skipped", "interrupted"}) {
      sum +=
          sample(body, "campaign_hub_runs_total{instance=\"" + name + "\",state=\"" + state + "\"}")
              .value_or(0);
    }
    return sum;
  };
  ASSERT_TRUE(eventually([&] {
    auto metrics = http.Get("/metrics");
    body = metrics ? metrics->body : "";
    return total("a") == 3 && total("b") == 3;
  })) << body;
  // b's first run quarantines its 5 opportunities (partial); the next two read nothing new.
  EXPECT_EQ(runs("b", "partial"), 1);
  for (const char* name : {"a", "b"}) {
    for (const char* state : {"succeeded", "partial"}) {
      EXPECT_EQ(sample(body, "campaign_hub_runs_total{instance=\"" + std::string(name) +
                                 "\",state=\"" + state + "\"}")
                    .value_or(0),
                runs(name, state))
          << name << " " << state;
    }
    for (const char* result : {"inserted", "updated", "unchanged", "quarantined"}) {
      double sum = 0;
      for (const char* entity : {"campaign", "opportunity"}) {
        sum += sample(body, "campaign_hub_records_total{entity=\"" + std::string(entity) +
                                "\",instance=\"" + name + "\",result=\"" + result + "\"}")
                   .value_or(0);
      }
      EXPECT_EQ(sum, count("hub.db", std::string("SELECT SUM(") + result +
                                         ") FROM runs WHERE instance = '" + name + "'"))
          << name << " " << result << "\n"
          << body;
    }
  }
  // b's opportunities are the ones quarantined; a's campaigns were inserted once.
  EXPECT_EQ(
      sample(
          body,
          R"(campaign_hub_records_total{entity="opportunity",instance="b",result="quarantined"})"),
      5);
  EXPECT_EQ(
      sample(body,
             R"(campaign_hub_records_total{entity="campaign",instance="a",result="inserted"})"),
      3);

  // promtool (Debian's prometheus package) checks the exposition rules.
  std::ofstream(dir_ / "metrics.txt") << body;
  const std::string check = "promtool check metrics < " + (dir_ / "metrics.txt").string() + " > " +
                            (dir_ / "promtool.out").string() + " 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0) << read(dir_ / "promtool.out");
  // Every series names the worker that serves it (several may share the database).
  const std::string worker = text("SELECT id FROM workers");
  EXPECT_NE(body.find("campaign_hub_runs_in_progress{worker=\"" + worker + "\"} 0"),
            std::string::npos)
      << body;
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, OperationsEndpointsAnswer) {
  auto hub = serve(config({instance("a", R"(, "opportunities": 1)")}));
  auto http = client();
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "{\"status\":\"alive\"}\n");
  auto ready = http.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, "{\"status\":\"ready\"}\n");
  auto unknown = http.Post("/instances/nope/sync");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("no instance named 'nope'"), std::string::npos);
  auto started = http.Post("/instances/a/sync");
  ASSERT_TRUE(started);
  EXPECT_EQ(started->status, 202);
  EXPECT_TRUE(eventually([&] { return runs("a", "succeeded") == 1; }));
  // The account managers' API is on the same listener: the run just made, typed.
  auto listed = http.Get("/api/v1/runs?instance=a");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_NE(listed->body.find(R"("state":"succeeded")"), std::string::npos) << listed->body;
  EXPECT_NE(listed->body.find(R"("dry_run":false)"), std::string::npos) << listed->body;
  hub->signal(SIGINT);
  EXPECT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
  std::string said = read(dir_ / "serve.out");
  EXPECT_NE(said.find("instance 'a': run 1 started"), std::string::npos) << said;
  EXPECT_NE(said.find("instance 'a': run 1 succeeded in"), std::string::npos) << said;
}

// A datagram socket standing in for systemd's: serve says READY once it listens, pings the
// watchdog at half its period, and says STOPPING on SIGTERM.
TEST_F(ServeTest, TellsSystemdReadyWatchdogAndStopping) {
  const std::string socket_path = (dir_ / "notify.sock").string();
  int notify = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(notify, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
  ASSERT_EQ(::bind(notify, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);  // pings every 200 ms
  auto hub = serve(config({instance("a", R"(, "opportunities": 1)")}));
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");

  std::vector<std::string> said;
  auto listen_for = [&](std::chrono::milliseconds how_long) {
    auto until = std::chrono::steady_clock::now() + how_long;
    while (std::chrono::steady_clock::now() < until) {
      pollfd ready{notify, POLLIN, 0};
      if (::poll(&ready, 1, 50) > 0) {
        char buffer[512];
        ssize_t got = ::recv(notify, buffer, sizeof buffer, 0);
        if (got > 0)
          said.emplace_back(buffer, static_cast<std::size_t>(got));
      }
    }
  };
  listen_for(1500ms);
  ASSERT_FALSE(said.empty()) << "serve sent nothing to NOTIFY_SOCKET";
  EXPECT_EQ(said.front().rfind("READY=1", 0), 0u) << said.front();
  EXPECT_GE(std::count(said.begin(), said.end(), "WATCHDOG=1"), 4)
      << "watchdog pings in 1.5 s at a 400 ms period";
  hub->signal(SIGTERM);
  listen_for(1000ms);
  EXPECT_EQ(hub->wait(10s), 0);
  EXPECT_NE(std::find(said.begin(), said.end(), "STOPPING=1"), said.end());
  ::close(notify);
}

// HTTPS when serve.tls names a certificate and key (a throwaway one made by openssl).
TEST_F(ServeTest, ServesHttpsWithAConfiguredCertificate) {
  const std::string make_certificate =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
      (dir_ / "hub.key").string() + " -out " + (dir_ / "hub.pem").string() + " > " +
      (dir_ / "openssl.out").string() + " 2>&1";
  if (std::system(make_certificate.c_str()) != 0)
    GTEST_SKIP() << "openssl could not make a certificate: " << read(dir_ / "openssl.out");
  auto hub = serve(config({}, R"(, "tls": {"certificate": "hub.pem", "private_key": "hub.key"})"));
  EXPECT_NE(read(dir_ / "serve.out").find("listening on https://127.0.0.1:"), std::string::npos);
  httplib::SSLClient https("127.0.0.1", port_);
  https.enable_server_certificate_verification(false);  // self-signed
  auto health = https.Get("/healthz");
  ASSERT_TRUE(health) << "no answer over HTTPS";
  EXPECT_EQ(health->status, 200);
  httplib::Client plain("127.0.0.1", port_);
  auto refused = plain.Get("/healthz");
  EXPECT_TRUE(!refused || refused->status != 200) << "plain HTTP answered on the TLS port";
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(10s), 0);
}

TEST_F(ServeTest, APushedRequestIsIngestedAtOnceAndOneKeptBeforeTheStartAtTheStart) {
  const std::string secret = "pushy-path-secret-0123456789";
  const std::string push = R"({"name": "push", "plugin": "pushy", "webhook": )"
                           R"({"scheme": "url-secret", "secret": ")" +
                           secret + R"("}})";
  auto file = config({push});
  auto hub = serve(file);
  auto event = [](const std::string& id, const std::string& name, const std::string& updated) {
    return R"({"type": "campaign.updated", "data": {"id": ")" + id + R"(", "name": ")" + name +
           R"(", "state": "Live", "updated_at": ")" + updated + R"("}})";
  };
  auto kept = client().Post("/webhooks/push/" + secret,
                            event("c-1", "Spring", "2026-03-01T09:00:00Z"), "application/json");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200) << kept->body;
  auto campaigns = [&](const std::string& where) {
    try {
      return count("hub.db", "SELECT COUNT(*) FROM campaigns WHERE " + where);
    } catch (const std::exception&) {
      return 0LL;
    }
  };
  EXPECT_TRUE(eventually([&] { return campaigns("external_id = 'c-1' AND name = 'Spring'") == 1; }))
      << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'taken'"), 1);
  EXPECT_TRUE(eventually([&] { return runs("push", "succeeded") == 1; }))
      << "one ingestion run, and no pull: push has no schedule\n"
      << read(dir_ / "serve.out");
  hub->signal(SIGTERM);
  ASSERT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");

  // Kept while this serve was down (by another worker's listener, or just before a crash):
  // the next start ingests it.
  {
    hub::Database database(url("hub.db"));
    const std::string body = event("c-1", "Spring, renamed", "2026-03-01T10:00:00Z");
    database.session() << "INSERT INTO webhook_spool (instance, delivery_id, received_at, method, "
                          "path, query_text, headers, body, body_encoding, state) VALUES ('push', "
                          "'kept-before', '2026-03-01T10:00:01Z', 'POST', '', '', '{}', :b, "
                          "'text', 'pending')",
        soci::use(body);
  }
  auto again = serve(file);
  EXPECT_TRUE(eventually([&] { return campaigns("name = 'Spring, renamed'") == 1; }))
      << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'pending'"), 0);
  again->signal(SIGTERM);
  EXPECT_EQ(again->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, ASecondServeOnOneSQLiteFileRefusesToStartAndMayOnceTheFirstIsGone) {
  auto file = config({instance("feed", "", every("1h"))});
  auto first = serve(file);
  ScopedProcess second(start(file, {"serve"}, dir_ / "second.out"));
  EXPECT_EQ(second.wait(15s), 2) << read(dir_ / "second.out");
  const std::string said = read(dir_ / "second.out");
  EXPECT_NE(said.find("another campaign-hub serve (pid " + std::to_string(first->pid()) +
                      ") already serves the SQLite database"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("SQLite is single-node"), std::string::npos) << said;
  // `sync` beside it is still allowed: its lease keeps the instance to one run.
  EXPECT_EQ(wait_for(start(file, {"sync"}, dir_ / "sync.out")), 0) << read(dir_ / "sync.out");

  first->signal(SIGKILL);  // even a serve that dies frees the file
  EXPECT_EQ(first->wait(10s), 128 + SIGKILL);
  // The kernel frees an flock once no process holds the file open: within moments of the kill
  // (a run's process it forked dies with it, by PR_SET_PDEATHSIG).
  EXPECT_TRUE(eventually(
      [&] {
        const int fd = ::open((dir_ / "hub.db.serve-lock").c_str(), O_RDWR | O_CLOEXEC);
        const bool free = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (fd >= 0)
          ::close(fd);
        return free;
      },
      5s));
  test_support::fs::remove(dir_ / "serve.out");  // the first one's "listening on" is not this one's
  auto third = serve(file);
  EXPECT_GT(port_, 0);
  third->signal(SIGTERM);
  EXPECT_EQ(third->wait(15s), 0) << read(dir_ / "serve.out");
}

TEST_F(ServeTest, ServeRegistersAsAWorkerItsRunsNameItAndItSignsOff) {
  auto file = config({instance("feed", "", every("1h"))});
  auto hub = serve(file);
  ASSERT_TRUE(eventually([&] { return runs("feed", "succeeded") == 1; }))
      << read(dir_ / "serve.out");
  const std::string worker = text("SELECT id FROM workers");
  EXPECT_EQ(worker.substr(worker.find(':') + 1, worker.find('@') - worker.find(':') - 1),
            std::to_string(hub->pid()));
  EXPECT_EQ(text("SELECT worker FROM runs WHERE instance = 'feed'"), worker);
  ASSERT_EQ(wait_for(start(file, {"workers", "list"}, dir_ / "list.out")), 0);
  EXPECT_NE(read(dir_ / "list.out").find(std::to_string(hub->pid())), std::string::npos)
      << read(dir_ / "list.out");
  EXPECT_NE(read(dir_ / "list.out").find("running"), std::string::npos) << read(dir_ / "list.out");

  hub->signal(SIGTERM);
  ASSERT_EQ(hub->wait(15s), 0) << read(dir_ / "serve.out");
  ASSERT_EQ(wait_for(start(file, {"workers", "list"}, dir_ / "list.out")), 0);
  EXPECT_NE(read(dir_ / "list.out").find("stopped"), std::string::npos) << read(dir_ / "list.out");
}

TEST_F(ServeTest, AListenAddressInUseIsAClearStartError) {
  httplib::Server taken;
  int port = taken.bind_to_any_port("127.0.0.1");
  auto file = config({}, "");
  std::string text = read(file);
  text.replace(text.find("127.0.0.1:0"), 11, "127.0.0.1:" + std::to_string(port));
  write_text("hub.json", text);
  ScopedProcess hub(start(file, {"serve"}, dir_ / "serve.out"));
  EXPECT_EQ(hub.wait(15s), 2) << read(dir_ / "serve.out");
  EXPECT_NE(read(dir_ / "serve.out").find("cannot listen on 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << read(dir_ / "serve.out");
}

}  // namespace
