// The hub as operators and schedulers run it: separate `campaign-hub` processes on one
// database. Two syncs at once, a sync killed with SIGKILL then run again (on SQLite,
// PostgreSQL and MariaDB), and a PostgreSQL server lost in the middle of a sync.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include "hub/store/database.h"
#include "hub/store/row_values.h"
#include "tests/db-servers/backend_database.h"
#include "tests/e2e/hub_process.h"

namespace {

namespace fs = std::filesystem;

using ProcessTest = test_support::HubProcessTest;

TEST_F(ProcessTest, TwoSyncsAtOnceOneSyncsOneSkips) {
  auto config = write_config("hub.json", "hub.db",
                             R"({"opportunities": 400, "page_size": 50, "delay_ms": 150})");
  // Create the schema first so that both processes race only for the lease.
  ASSERT_EQ(wait_for(start(config, {"db", "migrate"}, dir_ / "migrate.out")), 0);
  pid_t first = start(config, {"sync"}, dir_ / "first.out");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  pid_t second = start(config, {"sync"}, dir_ / "second.out");
  int second_code = wait_for(second);
  int first_code = wait_for(first);

  EXPECT_EQ(first_code, 0) << read(dir_ / "first.out");
  EXPECT_EQ(second_code, 0) << read(dir_ / "second.out");
  std::string skipped = read(dir_ / "second.out");
  EXPECT_NE(skipped.find("feed: skipped"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("run 1 ("), std::string::npos) << skipped;  // names the holder
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities"), 400);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM runs WHERE state = 'skipped'"), 1);
}

// `sync` of several instances runs them side by side, each in its own process, up to
// serve.max_parallel_runs: a slow provider does not hold the others up. With a cap of one, they
// run one after the other.
TEST_F(ProcessTest, SeveralInstancesSyncSideBySideUpToTheCap) {
  const auto config = [&](const std::string& name, int cap) {
    const std::string instance = R"({"plugin": "slow-feed", "settings": {"campaigns": 1, )"
                                 R"("opportunities": 200, "page_size": 10, "delay_ms": 100}})";
    std::string instances;
    for (const char* each : {"north", "south", "east"}) {
      instances += std::string(instances.empty() ? "" : ", ") + R"({"name": ")" + each + "\", " +
                   instance.substr(1);
    }
    return write_text(name,
                      R"({"database": {"url": ")" + url(name + ".db") + R"("}, "plugin_dir": ")" +
                          CAMPAIGN_HUB_TEST_PLUGIN_DIR +
                          R"(", "logging": {"level": "warn"}, "serve": {"max_parallel_runs": )" +
                          std::to_string(cap) + R"(}, "instances": [)" + instances + "]}");
  };
  // Whether any two runs were going on at the same time (times are to the second; each run
  // takes two: 20 pages of 100 ms).
  const auto overlapped = [&](const std::string& db) {
    hub::Database database(url(db));
    soci::rowset<soci::row> rows = database.session().prepare
                                   << "SELECT started_at, finished_at FROM runs ORDER BY id";
    std::vector<std::pair<std::string, std::string>> runs;
    for (const auto& row : rows)
      runs.emplace_back(hub::column_text(row, 0).value_or(""),
                        hub::column_text(row, 1).value_or(""));
    EXPECT_EQ(runs.size(), 3u);
    for (std::size_t i = 0; i < runs.size(); ++i) {
      for (std::size_t j = i + 1; j < runs.size(); ++j) {
        if (runs[i].first < runs[j].second && runs[j].first < runs[i].second)
          return true;
      }
    }
    return false;
  };
  ASSERT_EQ(wait_for(start(config("side.json", 3), {"sync"}, dir_ / "side.out")), 0)
      << read(dir_ / "side.out");
  EXPECT_TRUE(overlapped("side.json.db"));
  for (const char* each : {"north: succeeded", "south: succeeded", "east: succeeded"})
    EXPECT_NE(read(dir_ / "side.out").find(each), std::string::npos) << read(dir_ / "side.out");
  EXPECT_EQ(count("side.json.db", "SELECT COUNT(*) FROM opportunities"), 600);

  ASSERT_EQ(wait_for(start(config("one.json", 1), {"sync"}, dir_ / "one.out")), 0)
      << read(dir_ / "one.out");
  EXPECT_FALSE(overlapped("one.json.db"));
}

// The same on each backend: SQLite files, or databases of their own on the test servers.
class KilledSyncTest : public ProcessTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KilledSyncTest, KilledSyncResumedEndsLikeOneCleanRun) {
  test_support::BackendDatabase killed_db(GetParam()), clean_db(GetParam());
  const std::string settings = R"({"campaigns": 4, "opportunities": 3000, "page_size": 100, )"
                               R"("delay_ms": 20})";
  auto killed = write_config("killed.json", killed_db.url(), settings);
  auto clean = write_config("clean.json", clean_db.url(), settings);
  ASSERT_EQ(wait_for(start(clean, {"sync"}, dir_ / "clean.out")), 0) << read(dir_ / "clean.out");

  pid_t victim = start(killed, {"sync"}, dir_ / "killed.out");
  // Kill it once some pages are committed, well before the end (30 pages of 20 ms).
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      if (count(killed_db.url(), "SELECT COUNT(*) FROM cursors WHERE stream = 'opportunities'") >
          0) {
        break;
      }
    } catch (const std::exception&) {
      // Not created or migrated yet.
    }
  }
  kill(victim, SIGKILL);
  EXPECT_EQ(wait_for(victim), 128 + SIGKILL);
  long long before = count(killed_db.url(), "SELECT COUNT(*) FROM opportunities");
  EXPECT_GT(before, 0);
  EXPECT_LT(before, 3000);

  int code = wait_for(start(killed, {"sync"}, dir_ / "resumed.out"));
  EXPECT_EQ(code, 0) << read(dir_ / "resumed.out");
  EXPECT_EQ(dump(killed_db.url()), dump(clean_db.url()));
  EXPECT_EQ(count(killed_db.url(), "SELECT COUNT(*) FROM runs WHERE state = 'interrupted'"), 1);
}

// Three processes started at once on a fresh database: the migrations run once, in one of
// them, and no process fails (on PostgreSQL, 9 trials in 10 failed with a unique violation
// in pg_type; on SQLite, 4 in 20 with "table runs already exists").
TEST_P(KilledSyncTest, ThreeProcessesMigratingAFreshDatabaseAtOnceAllSucceed) {
  for (int round = 0; round < 5; ++round) {
    test_support::BackendDatabase fresh(GetParam());
    auto config = write_config("hub-" + std::to_string(round) + ".json", fresh.url(), "{}");
    std::vector<pid_t> started;
    for (int i = 0; i < 3; ++i) {
      started.push_back(
          start(config, {"db", "migrate"}, dir_ / ("migrate-" + std::to_string(i) + ".out")));
    }
    for (int i = 0; i < 3; ++i) {
      auto out = dir_ / ("migrate-" + std::to_string(i) + ".out");
      EXPECT_EQ(wait_for(started[static_cast<std::size_t>(i)]), 0)
          << "round " << round << ": " << read(out);
    }
    EXPECT_EQ(count(fresh.url(), "SELECT COUNT(*) FROM schema_migrations"),
              count(fresh.url(), "SELECT MAX(version) FROM schema_migrations"));
  }
}

// libpq printed its NOTICE lines on stderr itself, breaking --log-format json: every line a
// command writes on stderr is now a JSON object, on every backend.
TEST_P(KilledSyncTest, DatabaseNoticesGoThroughTheLogger) {
  test_support::BackendDatabase db(GetParam());
  auto config = write_config("hub.json", db.url(), "{}");
  for (int i = 0; i < 2; ++i) {  // the second run's CREATE ... IF NOT EXISTS draws a NOTICE
    pid_t pid = fork();
    if (pid == 0) {
      FILE* out = std::fopen((dir_ / "out").c_str(), "w");
      FILE* err = std::fopen((dir_ / "err").c_str(), "w");
      dup2(fileno(out), STDOUT_FILENO);
      dup2(fileno(err), STDERR_FILENO);
      execl(CAMPAIGN_HUB_EXECUTABLE, CAMPAIGN_HUB_EXECUTABLE, "--config", config.c_str(),
            "--log-format", "json", "--log-level", "debug", "db", "migrate", nullptr);
      _exit(127);
    }
    ASSERT_EQ(wait_for(pid), 0) << read(dir_ / "err");
  }
  std::istringstream lines(read(dir_ / "err"));
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(line.starts_with("{") && line.ends_with("}")) << "not JSON: " << line;
}

INSTANTIATE_TEST_SUITE_P(Backends, KilledSyncTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

// The PostgreSQL server stops (as in a crash) in the middle of a sync: that run fails saying
// which database, without its password; no half batch is stored; with the server back, the
// next run resumes from the last committed cursor and ends like one clean run.
TEST_F(ProcessTest, DatabaseLostMidSyncFailsTheRunAndTheNextResumes) {
  const std::string server = test_support::db_server_setting("postgresql_ctl");
  test_support::BackendDatabase lost_db("postgresql"), clean_db("postgresql");
  const std::string settings = R"({"campaigns": 3, "opportunities": 3000, "page_size": 100, )"
                               R"("delay_ms": 20})";
  auto lost = write_config("lost.json", lost_db.url(), settings, 50);
  auto clean = write_config("clean.json", clean_db.url(), settings, 50);
  ASSERT_EQ(wait_for(start(clean, {"sync"}, dir_ / "clean.out")), 0) << read(dir_ / "clean.out");
  std::string expected = dump(clean_db.url());

  pid_t sync = start(lost, {"sync"}, dir_ / "lost.out");
  for (int i = 0; i < 300; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      if (count(lost_db.url(), "SELECT COUNT(*) FROM cursors WHERE stream = 'opportunities'") > 0) {
        break;
      }
    } catch (const std::exception&) {
      // Not migrated yet.
    }
  }
  ASSERT_EQ(std::system((server + " stop").c_str()), 0) << "could not stop PostgreSQL";
  int code = wait_for(sync);
  int restarted = std::system((server + " start").c_str());
  ASSERT_EQ(restarted, 0) << "could not restart PostgreSQL";

  std::string said = read(dir_ / "lost.out");
  EXPECT_EQ(code, 2) << said;  // the instance failed
  EXPECT_NE(said.find("database postgresql://host=127.0.0.1"), std::string::npos) << said;
  EXPECT_NE(said.find("the batch was not stored"), std::string::npos) << said;
  std::string password = lost_db.url().substr(lost_db.url().find("password=") + 9);
  password = password.substr(0, password.find(' '));
  EXPECT_EQ(said.find(password), std::string::npos) << "the password was printed: " << said;

  // Whole batches only (50 records each), and never past what was read.
  long long stored = count(lost_db.url(), "SELECT COUNT(*) FROM opportunities");
  EXPECT_GT(stored, 0);
  EXPECT_LT(stored, 3000);
  EXPECT_EQ((stored + 3) % 50, 0) << stored << " records: a batch was half stored";

  code = wait_for(start(lost, {"sync"}, dir_ / "resumed.out"));
  EXPECT_EQ(code, 0) << read(dir_ / "resumed.out");
  EXPECT_EQ(dump(lost_db.url()), expected);
}

TEST_F(ProcessTest, PluginsCheckSaysInOneLineWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"wrong-api", "built for plugin API 1, this hub speaks 4"},
      {"no-symbols", "symbol campaign_hub_api_version missing"},
      {"bad-descriptor", "descriptor invalid: status_map[3]"},
      {"throwing-factory", "factory threw: "},
      {"not-a-library", "not a shared library"},
      {"absent", "no such file"},
  };
  std::ofstream(dir_ / "none.json") << "{}";
  for (auto [plugin, cause] : cases) {
    std::string file = std::string(CAMPAIGN_HUB_TEST_PLUGIN_DIR) + "/lib" + plugin + ".so";
    auto out = dir_ / (std::string(plugin) + ".out");
    EXPECT_EQ(wait_for(start(dir_ / "none.json", {"plugins", "check", file}, out)), 2) << plugin;
    std::string said = read(out);
    EXPECT_EQ(said, file + ": " + said.substr(file.size() + 2)) << said;  // starts with the file
    EXPECT_NE(said.find(cause), std::string::npos) << said;
    EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 1) << said;
  }
}

// The settings reference is printed from the plugin's schema: every setting with its type,
// range, default and description.
TEST_F(ProcessTest, PluginsCheckPrintsTheSettingsReference) {
  std::ofstream(dir_ / "none.json") << "{}";
  const std::string file = std::string(CAMPAIGN_HUB_PLUGIN_DIR) + "/libconnect-scouting.so";
  ASSERT_EQ(wait_for(start(dir_ / "none.json", {"plugins", "check", file}, dir_ / "check.out")), 0)
      << read(dir_ / "check.out");
  const std::string said = read(dir_ / "check.out");
  EXPECT_NE(said.find("settings (the instance's \"settings\" object):\n"
                      "  page_size  integer, 1 to 500, default 500\n"
                      "      Records asked for per request"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("  streams  array of \"campaigns\", \"opportunities\", default "
                      "[\"campaigns\",\"opportunities\"]\n"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("  campaign_kind  one of \"scouting\", \"email\""), std::string::npos)
      << said;
}

TEST_F(ProcessTest, ExportWritesEveryOpportunityAsCsvAndJson) {
  auto config = write_config("hub.json", "hub.db", R"({"campaigns": 2, "opportunities": 7})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 0) << read(dir_ / "sync.out");
  ASSERT_EQ(wait_for(start(config,
                           {"export", "opportunities", "--format", "csv", "--output",
                            (dir_ / "out.csv").string()},
                           dir_ / "csv.out")),
            0);
  std::string csv = read(dir_ / "out.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 8) << csv;  // header and 7 rows
  EXPECT_TRUE(csv.starts_with("instance,external_id,campaign_external_id,")) << csv;
  EXPECT_NE(csv.find("feed,o-7,c-1,"), std::string::npos) << csv;

  ASSERT_EQ(
      wait_for(start(config, {"export", "opportunities", "--format", "json"}, dir_ / "json.out")),
      0);
  std::string json = read(dir_ / "json.out");
  EXPECT_TRUE(json.starts_with("[\n{\"instance\":\"feed\",\"external_id\":\"o-1\"")) << json;
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), 7) << json;
}

// `opportunities triage`: the hub's own fields from the command line, kept by the next sync.
TEST_F(ProcessTest, TriageFromTheCommandLineSurvivesTheNextSync) {
  auto config = write_config("hub.json", "hub.db", R"({"campaigns": 1, "opportunities": 3})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 0) << read(dir_ / "sync.out");
  ASSERT_EQ(wait_for(start(config,
                           {"opportunities", "triage", "--instance", "feed", "o-2", "--state",
                            "shortlisted", "--initiative", "Packaging", "--by", "ana"},
                           dir_ / "triage.out")),
            0)
      << read(dir_ / "triage.out");
  EXPECT_NE(read(dir_ / "triage.out").find("feed o-2: shortlisted, initiative Packaging (ana,"),
            std::string::npos)
      << read(dir_ / "triage.out");
  EXPECT_NE(
      wait_for(start(
          config, {"opportunities", "triage", "--instance", "feed", "o-9", "--state", "rejected"},
          dir_ / "missing.out")),
      0);
  EXPECT_NE(read(dir_ / "missing.out").find("no opportunity 'o-9' in instance 'feed'"),
            std::string::npos)
      << read(dir_ / "missing.out");
  ASSERT_EQ(wait_for(start(config, {"sync", "--full-refresh"}, dir_ / "again.out")), 0)
      << read(dir_ / "again.out");
  EXPECT_EQ(count("hub.db",
                  "SELECT COUNT(*) FROM opportunity_triage WHERE external_id = 'o-2' "
                  "AND state = 'shortlisted' AND initiative = 'Packaging'"),
            1);
}

// The account managers' reads on the command line, from the API's query layer: tables for
// people, the API's body with --json, a refused filter named.
TEST_F(ProcessTest, ReadsShowCampaignsChangesAndTriage) {
  auto config = write_config("hub.json", "hub.db", R"({"campaigns": 2, "opportunities": 5})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 0) << read(dir_ / "sync.out");
  ASSERT_EQ(wait_for(start(config,
                           {"opportunities", "triage", "--instance", "feed", "o-3", "--state",
                            "reviewing", "--by", "ana"},
                           dir_ / "triage.out")),
            0)
      << read(dir_ / "triage.out");

  ASSERT_EQ(wait_for(start(config, {"campaigns", "list"}, dir_ / "list.out")), 0);
  const std::string list = read(dir_ / "list.out");
  EXPECT_NE(list.find("participant_count"), std::string::npos) << list;
  EXPECT_NE(list.find("(2 rows)"), std::string::npos) << list;

  ASSERT_EQ(wait_for(start(config, {"campaigns", "show", "c-1"}, dir_ / "show.out")), 0)
      << read(dir_ / "show.out");
  const std::string show = read(dir_ / "show.out");
  EXPECT_NE(show.find("campaign c-1 (feed)"), std::string::npos) << show;
  EXPECT_NE(show.find("status history"), std::string::npos) << show;
  EXPECT_NE(show.find("metrics trend"), std::string::npos) << show;

  ASSERT_EQ(wait_for(start(config, {"campaigns", "show", "c-1", "--json"}, dir_ / "json.out")), 0);
  rapidjson::Document detail;
  detail.Parse(read(dir_ / "json.out").c_str());
  ASSERT_TRUE(detail.IsObject()) << read(dir_ / "json.out");
  std::int64_t funnel = 0;
  for (const auto& status : detail["campaign"]["funnel"].GetObject())
    funnel += status.value.GetInt64();
  EXPECT_EQ(funnel, detail["campaign"]["opportunities"].GetInt64());
  EXPECT_GT(funnel, 0);

  EXPECT_EQ(wait_for(start(config, {"campaigns", "show", "c-9"}, dir_ / "missing.out")), 64);
  EXPECT_NE(read(dir_ / "missing.out").find("no campaign c-9"), std::string::npos);

  ASSERT_EQ(wait_for(start(config, {"opportunities", "list", "--triage", "reviewing"},
                           dir_ / "triaged.out")),
            0);
  const std::string triaged = read(dir_ / "triaged.out");
  EXPECT_NE(triaged.find("o-3"), std::string::npos) << triaged;
  EXPECT_NE(triaged.find("(1 row)"), std::string::npos) << triaged;

  EXPECT_EQ(
      wait_for(start(config, {"opportunities", "list", "--status", "sent"}, dir_ / "bad.out")), 64);
  EXPECT_NE(read(dir_ / "bad.out").find("--status: 'sent' is not a opportunity status"),
            std::string::npos)
      << read(dir_ / "bad.out");

  ASSERT_EQ(wait_for(start(config, {"opportunities", "list", "--limit", "2"}, dir_ / "page.out")),
            0);
  const std::string page = read(dir_ / "page.out");
  const auto at = page.find("more rows: add --cursor ");
  ASSERT_NE(at, std::string::npos) << page;
  const std::string cursor = page.substr(at + 24, page.find('\n', at) - at - 24);
  ASSERT_EQ(wait_for(start(config, {"opportunities", "list", "--limit", "2", "--cursor", cursor},
                           dir_ / "next.out")),
            0);
  EXPECT_NE(read(dir_ / "next.out").find("o-3"), std::string::npos) << read(dir_ / "next.out");

  ASSERT_EQ(wait_for(start(config, {"changes", "--since-run", "0"}, dir_ / "changes.out")), 0);
  const std::string changes = read(dir_ / "changes.out");
  EXPECT_NE(changes.find("records written: campaigns 2"), std::string::npos) << changes;
  EXPECT_NE(changes.find("opportunities 5"), std::string::npos) << changes;
  ASSERT_EQ(wait_for(start(config, {"changes", "--since-run", "1"}, dir_ / "none.out")), 0);
  EXPECT_NE(read(dir_ / "none.out").find("opportunities 0"), std::string::npos)
      << read(dir_ / "none.out");

  ASSERT_EQ(wait_for(start(config, {"metrics", "list"}, dir_ / "metrics.out")), 0);
  EXPECT_NE(read(dir_ / "metrics.out").find("(none)"), std::string::npos);
  ASSERT_EQ(wait_for(start(config, {"participants", "list"}, dir_ / "participants.out")), 0);
  EXPECT_NE(read(dir_ / "participants.out").find("(none)"), std::string::npos);
}

// `tokens hash` prints what serve.tokens keeps of a token; `tokens new` a token and its hash.
TEST_F(ProcessTest, TokensHashAndNew) {
  const std::string hashed = (dir_ / "hash.out").string();
  const std::string hash = "printf 'test\\n' | timeout 20 " + std::string(CAMPAIGN_HUB_EXECUTABLE) +
                           " tokens hash > " + hashed;
  ASSERT_EQ(std::system(hash.c_str()), 0);
  EXPECT_EQ(read(hashed), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
  const std::string made = (dir_ / "new.out").string();
  ASSERT_EQ(
      std::system(
          ("timeout 20 " + std::string(CAMPAIGN_HUB_EXECUTABLE) + " tokens new > " + made).c_str()),
      0);
  const std::string said = read(made);
  ASSERT_EQ(said.rfind("token:  chub_", 0), 0u) << said;
  const std::string token = said.substr(8, said.find('\n') - 8);
  EXPECT_EQ(token.size(), 29u) << said;
  const std::string again = "printf '%s\\n' " + token + " | timeout 20 " +
                            std::string(CAMPAIGN_HUB_EXECUTABLE) + " tokens hash > " + hashed;
  ASSERT_EQ(std::system(again.c_str()), 0);
  EXPECT_NE(said.find("sha256: " + read(hashed)), std::string::npos) << said << read(hashed);
}

// `campaign-hub ui`: the API alone over the synced database, on the port asked (0: a free one,
// said in the log); stopped by SIGTERM, bounded by the test.
TEST_F(ProcessTest, UiAnswersTheApiWithoutSyncing) {
  auto config = write_config("hub.json", "hub.db", R"({"campaigns": 2, "opportunities": 3})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 0) << read(dir_ / "sync.out");
  const pid_t ui = start(config, {"ui", "--listen", "127.0.0.1:0"}, dir_ / "ui.out");
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string said = read(dir_ / "ui.out");
    const auto at = said.find("listening on http://127.0.0.1:");
    if (at != std::string::npos)
      port = std::atoi(said.c_str() + at + std::string("listening on http://127.0.0.1:").size());
  }
  if (port == 0) {
    kill(ui, SIGKILL);
    wait_for(ui);
    FAIL() << "ui did not say where it listens: " << read(dir_ / "ui.out");
  }
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(10, 0);
  auto answer = http.Get("/api/v1/campaigns");
  kill(ui, SIGTERM);
  EXPECT_EQ(wait_for(ui), 0) << read(dir_ / "ui.out");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  rapidjson::Document page;
  page.Parse(answer->body.c_str());
  ASSERT_TRUE(page.IsObject()) << answer->body;
  ASSERT_EQ(page["items"].Size(), 2u) << answer->body;
  EXPECT_STREQ(page["items"][0]["external_id"].GetString(), "c-1");
  std::int64_t in_funnels = 0;
  for (const auto& item : page["items"].GetArray()) {
    for (const auto& status : item["funnel"].GetObject())
      in_funnels += status.value.GetInt64();
  }
  EXPECT_EQ(in_funnels, 3) << answer->body;  // every opportunity in its campaign's funnel
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM runs"), 1);  // ui synced nothing
}

// `export ENTITY`: every table, every column, typed JSON values, raw on request.
TEST_F(ProcessTest, ExportTakesEveryTableOutWithTypedValues) {
  auto config =
      write_config("hub.json", "hub.db",
                   R"({"campaigns": 2, "opportunities": 3, "status_of_opportunity": "Parked"})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 1) << read(dir_ / "sync.out");

  ASSERT_EQ(wait_for(start(config, {"export", "campaigns", "--format", "ndjson", "--raw"},
                           dir_ / "campaigns.out")),
            0);
  const std::string campaigns = read(dir_ / "campaigns.out");
  EXPECT_EQ(std::count(campaigns.begin(), campaigns.end(), '\n'), 2) << campaigns;
  rapidjson::Document first;
  first.Parse(campaigns.substr(0, campaigns.find('\n')).c_str());
  ASSERT_FALSE(first.HasParseError()) << campaigns;
  EXPECT_STREQ(first["external_id"].GetString(), "c-1");
  EXPECT_TRUE(first["deleted"].IsBool()) << campaigns;       // a flag, not "0"
  EXPECT_TRUE(first["last_run"].IsInt64()) << campaigns;     // a number, not "1"
  EXPECT_TRUE(first["raw"].IsObject()) << campaigns;         // the payload as it was
  ASSERT_TRUE(first["attributes"].IsObject()) << campaigns;  // JSON, not a string of it
  EXPECT_EQ(first["attributes"]["wave"].GetInt64(), 1) << campaigns;
  EXPECT_TRUE(first["budget"].IsNull() || first["budget"].IsNumber()) << campaigns;

  ASSERT_EQ(wait_for(start(config, {"export", "quarantine", "--format", "json", "--raw"},
                           dir_ / "quarantine.out")),
            0);
  rapidjson::Document quarantine;
  quarantine.Parse(read(dir_ / "quarantine.out").c_str());
  ASSERT_TRUE(quarantine.IsArray()) << read(dir_ / "quarantine.out");
  ASSERT_EQ(quarantine.Size(), 3u);
  EXPECT_EQ(quarantine[0]["times_seen"].GetInt64(), 1);
  EXPECT_TRUE(quarantine[0]["record"].IsObject());
  EXPECT_TRUE(quarantine[0]["replayed_run_id"].IsNull());

  for (const char* entity :
       {"opportunities", "participants", "steps", "metrics", "status-events"}) {
    const auto out = dir_ / (std::string(entity) + ".csv");
    ASSERT_EQ(
        wait_for(start(config, {"export", entity, "--output", out.string()}, dir_ / "export.out")),
        0)
        << entity << ": " << read(dir_ / "export.out");
    EXPECT_TRUE(read(out).starts_with(std::string(entity) == "metrics" ? "id,instance,"
                                      : std::string(entity) == "status-events"
                                          ? "id,instance,entity,"
                                          : "instance,external_id,"))
        << entity << ": " << read(out);
  }
  EXPECT_EQ(wait_for(start(config, {"export", "deals"}, dir_ / "deals.out")), 64)
      << read(dir_ / "deals.out");
}

TEST_F(ProcessTest, StateResetForgetsOnlyTheNamedStream) {
  auto config = write_config("hub.json", "hub.db", R"({"campaigns": 1, "opportunities": 5})");
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 0);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM cursors"), 2);
  ASSERT_EQ(
      wait_for(start(config, {"state", "reset", "--instance", "feed", "--stream", "opportunities"},
                     dir_ / "reset.out")),
      0);
  EXPECT_EQ(read(dir_ / "reset.out"), "feed: 1 cursor reset\n");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM cursors WHERE stream = 'campaigns'"), 1);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM cursors WHERE stream = 'opportunities'"), 0);
}

TEST_F(ProcessTest, QuarantinedRecordsGiveExitCodeOneAndAreListed) {
  auto config =
      write_config("hub.json", "hub.db",
                   R"({"campaigns": 1, "opportunities": 2, "status_of_opportunity": "Parked"})");
  EXPECT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 1) << read(dir_ / "sync.out");
  EXPECT_NE(read(dir_ / "sync.out").find("quarantined 2"), std::string::npos);
  ASSERT_EQ(wait_for(start(config, {"quarantine", "list", "--run", "1"}, dir_ / "list.out")), 0);
  std::string listed = read(dir_ / "list.out");
  EXPECT_NE(listed.find("unknown opportunity status 'Parked' from slow-feed"), std::string::npos)
      << listed;
  EXPECT_NE(listed.find("(2 rows)"), std::string::npos) << listed;
}

// A read-only command needs no provider's secret: with one instance's variable unset,
// `runs list` works, the other instance syncs, and that instance fails naming the variable.
TEST_F(ProcessTest, AnUnsetInstanceSecretFailsOnlyThatInstance) {
  ::unsetenv("HUB_TEST_NEVER_SET");
  auto config = write_text("hub.json",
                           R"({"database": {"url": ")" + url("hub.db") + R"("}, "plugin_dir": ")" +
                               CAMPAIGN_HUB_TEST_PLUGIN_DIR +
                               R"(", "logging": {"level": "warn"}, )"
                               R"("instances": [{"name": "feed", "plugin": "slow-feed", )"
                               R"("settings": {"opportunities": 5}}, {"name": "locked", "plugin": )"
                               R"("slow-feed", "http": {"auth": {"type": "bearer", "token": )"
                               R"("${env:HUB_TEST_NEVER_SET}"}}}]})");
  EXPECT_EQ(wait_for(start(config, {"runs", "list"}, dir_ / "runs.out")), 0)
      << read(dir_ / "runs.out");
  EXPECT_EQ(wait_for(start(config, {"sync"}, dir_ / "sync.out")), 2) << read(dir_ / "sync.out");
  std::string said = read(dir_ / "sync.out");
  EXPECT_NE(said.find("feed: succeeded"), std::string::npos) << said;
  EXPECT_NE(said.find("/instances/1/http/auth/token: environment variable HUB_TEST_NEVER_SET is "
                      "not set"),
            std::string::npos)
      << said;
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities"), 5);
}

TEST_F(ProcessTest, UnknownInstanceIsAConfigError) {
  auto config = write_config("hub.json", "hub.db", "{}");
  EXPECT_EQ(wait_for(start(config, {"sync", "--instance", "nope"}, dir_ / "out")), 3);
  EXPECT_NE(read(dir_ / "out").find("no instance named 'nope'"), std::string::npos);
}

}  // namespace
