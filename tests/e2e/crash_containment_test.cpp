// Crash containment: each instance's run is a process of its own, so a plugin that
// segfaults, aborts, dies of std::terminate, never returns or eats memory fails only its own
// run. The run is recorded with its cause in words, its lease is released, the other
// instances sync, and what the dead run committed stays: the next run resumes from it.
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/hub_process.h"

namespace {

using CrashContainmentTest = test_support::HubProcessTest;

// One slow-feed instance: 3 campaigns and `opportunities` in pages and batches of 100.
std::string instance(const std::string& name, const std::string& extra_settings,
                     const std::string& limits = "", int opportunities = 1000) {
  return R"({"name": ")" + name + R"(", "plugin": "slow-feed", "batch_size": 100, )" + limits +
         R"("settings": {"opportunities": )" + std::to_string(opportunities) +
         R"(, "page_size": 100)" + extra_settings + "}}";
}

class Configs : public CrashContainmentTest {
 protected:
  test_support::fs::path config(const std::string& name, const std::vector<std::string>& list) {
    std::string text = R"({"database": {"url": ")" + url("hub.db") + R"("}, "plugin_dir": ")" +
                       CAMPAIGN_HUB_TEST_PLUGIN_DIR +
                       R"(", "logging": {"level": "warn"}, "instances": [)";
    for (std::size_t i = 0; i < list.size(); ++i)
      text += (i ? ", " : "") + list[i];
    return write_text(name, text + "]}");
  }

  std::string run_text(const std::string& sql) {
    hub::Database database(url("hub.db"));
    std::string value;
    database.session() << sql, soci::into(value);
    return value;
  }

  std::string run_field(const std::string& instance, const std::string& field) {
    hub::Database database(url("hub.db"));
    std::string value;
    database.session() << "SELECT " + field + " FROM runs WHERE instance = :i ORDER BY id DESC",
        soci::use(instance), soci::into(value);
    return value;
  }
};

TEST_F(Configs, EachWayToDieFailsOnlyItsOwnRunWithItsCause) {
  std::vector<std::string> instances = {
      instance("segfault", R"(, "die": "segfault", "die_after": 250)"),
      instance("abort", R"(, "die": "abort", "die_after": 250)"),
      instance("terminate", R"(, "die": "terminate", "die_after": 250)"),
      instance("hang", R"(, "die": "hang", "die_after": 250)", R"("run_timeout_seconds": 3, )"),
      instance("healthy", "", "", 300)};
#ifndef CAMPAIGN_HUB_SANITIZED  // no memory limit under ASan (CMakeLists.txt)
  instances.push_back(
      instance("hog", R"(, "die": "allocate", "die_after": 250)", R"("memory_limit_mib": 256, )"));
#endif
  auto file = config("hub.json", instances);
  auto started = std::chrono::steady_clock::now();
  int code = wait_for(start(file, {"sync"}, dir_ / "sync.out"));
  std::string said = read(dir_ / "sync.out");
  EXPECT_EQ(code, 2) << said;  // some instances failed; the sync itself did not die
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));

  const std::pair<const char*, const char*> causes[] = {
      {"segfault", "plugin slow-feed crashed: signal 11 (SIGSEGV)"},
      {"abort", "plugin slow-feed crashed: signal 6 (SIGABRT)"},
      {"terminate",
       "plugin slow-feed crashed: signal 6 (SIGABRT) after std::terminate (uncaught exception: "
       "slow-feed: thrown on a thread of its own)"},
      {"hang", "ran past its run timeout of 3 s"},
      {"hog", "went over its memory limit of 256 MiB"},
  };
  for (auto [name, cause] : causes) {
#ifdef CAMPAIGN_HUB_SANITIZED
    if (std::string(name) == "hog")
      continue;
#endif
    EXPECT_EQ(run_field(name, "state"), "failed") << name << "\n" << said;
    EXPECT_EQ(run_field(name, "error"), cause) << name;
    EXPECT_NE(said.find(cause), std::string::npos) << name << "\n" << said;
  }
  EXPECT_EQ(run_field("healthy", "state"), "succeeded") << said;
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities WHERE instance = 'healthy'"), 300);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM leases WHERE run_id <> 0"), 0)
      << "a lease was not released";
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM runs WHERE state = 'running'"), 0);
}

TEST_F(Configs, WhatACrashedRunCommittedStaysAndTheNextRunResumes) {
  auto dying = config("dying.json", {instance("feed", R"(, "die": "segfault", "die_after": 550)")});
  EXPECT_EQ(wait_for(start(dying, {"sync"}, dir_ / "dying.out")), 2) << read(dir_ / "dying.out");
  long long kept = count("hub.db", "SELECT COUNT(*) FROM opportunities");
  const long long cursor =
      std::stoll(run_text("SELECT cursor_value FROM cursors WHERE stream = 'opportunities'"));
  // Whole pages of 100 up to the cursor, in batches of 100 records (3 campaigns first).
  EXPECT_GE(cursor, 300) << "the batches committed before the crash are gone";
  EXPECT_GE(kept, cursor);
  EXPECT_LE(kept, 550);
  // The dead run's counts are those of its last reported batch.
  EXPECT_EQ(std::stoll(run_field("feed", "CAST(inserted AS TEXT)")), kept + 3);

  auto healed = config("healed.json", {instance("feed", "")});
  EXPECT_EQ(wait_for(start(healed, {"sync"}, dir_ / "healed.out")), 0) << read(dir_ / "healed.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities"), 1000);
  // Resumed from the cursor: the pages committed before the crash were not read again.
  EXPECT_EQ(std::stoll(run_field("feed", "CAST(records_read AS TEXT)")), 1000 - cursor + 3);
}

TEST_F(Configs, InProcessKeepsTodaysModeForDebugging) {
  auto file = config("hub.json", {instance("feed", R"(, "fail_after": 150)", "", 300)});
  EXPECT_EQ(wait_for(start(file, {"sync", "--in-process"}, dir_ / "sync.out")), 2);
  std::string said = read(dir_ / "sync.out");
  EXPECT_NE(said.find("plugin slow-feed: slow-feed: failing after 150 opportunities"),
            std::string::npos)
      << said;
  EXPECT_EQ(run_field("feed", "state"), "failed");
}

TEST_F(Configs, RunInstanceRefusesToRunWithoutItsSupervisor) {
  auto file = config("hub.json", {instance("feed", "")});
  EXPECT_EQ(wait_for(start(file, {"run-instance", "--instance", "feed"}, dir_ / "out")), 2);
  EXPECT_NE(read(dir_ / "out").find("not by hand"), std::string::npos) << read(dir_ / "out");
}

}  // namespace
