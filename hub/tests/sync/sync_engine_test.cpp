// The sync engine end to end in one process: the slow-feed test plugin, a real SQLite file.
#include "hub/sync/sync_engine.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "hub/query/views.h"
#include "hub/store/cursors.h"
#include "hub/store/migrations.h"
#include "hub/store/triage.h"
#include "hub/sync/replay.h"

namespace hub {
namespace {

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sync-engine-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A config with one slow-feed instance whose settings are `settings`.
  void configure(const std::string& settings, const std::string& extra = "") {
    config_ = parse_config(R"({"database": {"url": "sqlite3://)" + (dir_ / "hub.db").string() +
                               R"("}, "instances": [{"name": "feed", "plugin": "slow-feed", )"
                               R"("batch_size": 50, "settings": )" +
                               settings + extra + "}]}",
                           dir_ / "hub.json");
    database_ = std::make_unique<Database>(config_.database_url);
    migrate(*database_);
  }

  InstanceResult sync(SyncOptions options = {}) {
    SyncEngine engine(config_, *database_, plugins_, {});
    return engine.run(options).at(0);
  }

  long long count(const std::string& sql) {
    long long n = 0;
    database_->session() << sql, soci::into(n);
    return n;
  }

  std::filesystem::path dir_;
  Config config_;
  std::unique_ptr<Database> database_;
  PluginCatalog plugins_{CAMPAIGN_HUB_TEST_PLUGIN_DIR};
};

TEST_F(SyncEngineTest, FirstSyncStoresEveryRecordAndSecondChangesNothing) {
  configure(R"({"campaigns": 3, "opportunities": 250, "page_size": 40})");
  auto first = sync();
  EXPECT_EQ(first.outcome, Outcome::succeeded) << first.message;
  EXPECT_EQ(first.summary.read, 253);
  EXPECT_EQ(first.summary.inserted, 253);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities"), 250);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE initiative = 'Default Initiative'"),
            250);
  EXPECT_EQ(count("SELECT COUNT(*) FROM initiatives WHERE is_default = 1"), 1);

  SyncOptions full;
  full.full_refresh = true;
  auto second = sync(full);
  EXPECT_EQ(second.outcome, Outcome::succeeded);
  EXPECT_EQ(second.summary.read, 253);
  EXPECT_EQ(second.summary.unchanged, 253);
  EXPECT_EQ(second.summary.inserted + second.summary.updated, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE state = 'succeeded'"), 2);
  // What the plugin noted goes into the run's summary.
  EXPECT_EQ(second.summary.details, R"({"last_opportunity":"250"})");
}

TEST_F(SyncEngineTest, IncrementalSyncResumesFromTheSavedCursor) {
  configure(R"({"campaigns": 2, "opportunities": 100, "page_size": 25})");
  sync();
  EXPECT_EQ(load_cursors(*database_, "feed").at("opportunities"), "100");
  auto again = sync();
  // Campaigns are re-read (their stream restarts), opportunities resume after the last one.
  EXPECT_EQ(again.summary.read, 2);
}

TEST_F(SyncEngineTest, UnknownStatusIsQuarantinedThenReplayedAfterAnOverride) {
  configure(R"({"campaigns": 1, "opportunities": 5, "status_of_opportunity": "Parked"})");
  auto run = sync();
  EXPECT_EQ(run.outcome, Outcome::partial);
  EXPECT_EQ(run.summary.quarantined, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities"), 0);
  auto quarantined = views::list_quarantine(*database_, {}).table;
  ASSERT_EQ(quarantined.rows.size(), 5u);
  EXPECT_NE(quarantined.at(0, "reason")->value().find("unknown opportunity status 'Parked'"),
            std::string::npos);

  // The operator maps the word; replay stores what was kept.
  configure(R"({"campaigns": 1, "opportunities": 5, "status_of_opportunity": "Parked"})",
            R"(, "status_overrides": {"opportunity": {"Parked": "on_hold"}})");
  auto replayed = replay_quarantine(config_, *database_, plugins_, std::nullopt);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].stored, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE status = 'on_hold' AND "
                  "raw_status = 'Parked'"),
            5);
  EXPECT_TRUE(views::list_quarantine(*database_, {}).table.rows.empty());
}

// A record with no status at all is never guessed: quarantined, until the operator says what
// such a record is (status_when_missing); replay then stores it, raw_status staying null.
TEST_F(SyncEngineTest, RecordWithoutStatusWaitsForTheOperatorsWhenMissing) {
  configure(R"({"campaigns": 1, "opportunities": 3, "status_of_opportunity": ""})");
  auto run = sync();
  EXPECT_EQ(run.outcome, Outcome::partial);
  EXPECT_EQ(run.summary.quarantined, 3);
  auto quarantined = views::list_quarantine(*database_, {}).table;
  ASSERT_EQ(quarantined.rows.size(), 3u);
  EXPECT_NE(quarantined.at(0, "reason")->value().find("set status_when_missing.opportunity"),
            std::string::npos)
      << quarantined.at(0, "reason")->value();

  configure(R"({"campaigns": 1, "opportunities": 3, "status_of_opportunity": ""})",
            R"(, "status_when_missing": {"opportunity": "on_hold"})");
  auto replayed = replay_quarantine(config_, *database_, plugins_, std::nullopt);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].stored, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE status = 'on_hold' AND "
                  "raw_status IS NULL"),
            3);
  auto next = sync();
  EXPECT_EQ(next.outcome, Outcome::succeeded) << next.message;
}

// A person's triage is the hub's own: neither an incremental sync bringing provider changes nor
// a full refresh undoes it, and the provider's new status lands beside it.
TEST_F(SyncEngineTest, TriageSurvivesSyncsAndProviderChangesLandBesideIt) {
  configure(R"({"campaigns": 1, "opportunities": 4})");
  ASSERT_EQ(sync().outcome, Outcome::succeeded);
  set_triage(*database_, {"feed", "o-1", "Packaging", "shortlisted", "call back in May", "ana"});
  set_triage(*database_, {"feed", "o-2", std::nullopt, "rejected", std::nullopt, "bo"});
  set_campaign_owner(*database_, "feed", "c-1", "Ana Núñez", "ana");

  // The provider adds two opportunities and now says "Won" for every one.
  configure(R"({"campaigns": 1, "opportunities": 6, "status_of_opportunity": "Won"})");
  auto incremental = sync();
  ASSERT_EQ(incremental.outcome, Outcome::succeeded) << incremental.message;
  EXPECT_EQ(incremental.summary.inserted, 2);
  SyncOptions full;
  full.full_refresh = true;
  auto refreshed = sync(full);
  ASSERT_EQ(refreshed.outcome, Outcome::succeeded) << refreshed.message;

  views::OpportunityQuery shortlisted;
  shortlisted.triage = "shortlisted";
  auto page = views::list_opportunities(*database_, shortlisted);
  ASSERT_EQ(page.table.rows.size(), 1u);
  EXPECT_EQ(*page.table.at(0, "external_id"), "o-1");
  EXPECT_EQ(*page.table.at(0, "initiative"), "Packaging");
  EXPECT_EQ(*page.table.at(0, "synced_initiative"), "Default Initiative");
  EXPECT_EQ(*page.table.at(0, "triage_note"), "call back in May");
  EXPECT_EQ(*page.table.at(0, "triaged_by"), "ana");
  EXPECT_EQ(*page.table.at(0, "status"), "won");  // the provider's change, beside the triage
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = 'o-1' AND "
                  "to_status = 'won'"),
            1);
  views::OpportunityQuery rejected;
  rejected.triage = "rejected";
  EXPECT_EQ(views::list_opportunities(*database_, rejected).table.rows.size(), 1u);
  views::OpportunityQuery untriaged;
  untriaged.triage = "new";
  EXPECT_EQ(views::list_opportunities(*database_, untriaged).table.rows.size(), 4u);
  auto campaign = views::campaign_detail(*database_, "feed", "c-1", "2026-03-01");
  ASSERT_TRUE(campaign);
  bool owner_shown = false;
  for (std::size_t i = 0; i < campaign->summary.columns.size(); ++i) {
    if (campaign->summary.columns[i].name == "assigned_owner") {
      EXPECT_EQ(campaign->summary.values[i], "Ana Núñez");
      owner_shown = true;
    }
  }
  EXPECT_TRUE(owner_shown);
  // Every change of the hub's own fields is logged with who made it.
  EXPECT_EQ(count("SELECT COUNT(*) FROM hub_field_events WHERE changed_by = 'ana'"), 4);
}

TEST_F(SyncEngineTest, TriageIsCheckedAndNeedsAnOpportunity) {
  configure(R"({"campaigns": 1, "opportunities": 1})");
  ASSERT_EQ(sync().outcome, Outcome::succeeded);
  EXPECT_THROW(set_triage(*database_, {"feed", "o-1", std::nullopt, "maybe", std::nullopt, "ana"}),
               BadChange);
  EXPECT_THROW(set_triage(*database_, {"feed", "o-9", std::nullopt, "new", std::nullopt, "ana"}),
               NoSuchRecord);
  EXPECT_THROW(
      set_triage(*database_, {"feed", "o-1", std::nullopt, std::nullopt, std::nullopt, "ana"}),
      BadChange);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunity_triage"), 0);
}

TEST_F(SyncEngineTest, ReplayLeavesARecordThePluginRejectedInQuarantine) {
  configure(R"({"campaigns": 1, "opportunities": 2, "status_of_opportunity": "Parked"})",
            R"(, "status_overrides": {"opportunity": {"Parked": "on_hold"}})");
  auto run = sync();
  ASSERT_EQ(run.outcome, Outcome::succeeded) << run.message;
  long long run_id = run.summary.id;
  // What RecordSink::reject keeps: the provider's record, which here even reads as a valid
  // hub record. Replay must not store it.
  database_->session() << "INSERT INTO quarantine (instance, run_id, entity, external_id, field, "
                          "reason, record, created_at) VALUES ('feed', :r, 'opportunity', 'o-x', "
                          "'probability', 'probability: \"12k\" at /p is not a number', "
                          "'{\"external_id\":\"o-x\",\"status\":\"Parked\"}', "
                          "'2026-03-01T00:00:00Z')",
      soci::use(run_id);

  auto replayed = replay_quarantine(config_, *database_, plugins_, std::nullopt);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].error, "");
  EXPECT_EQ(replayed[0].examined, 1);
  EXPECT_EQ(replayed[0].stored, 0);
  EXPECT_EQ(replayed[0].still_quarantined, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE external_id = 'o-x'"), 0);
  auto kept = views::list_quarantine(*database_, {}).table;
  ASSERT_EQ(kept.rows.size(), 1u);
  EXPECT_EQ(kept.at(0, "field")->value_or(""), "probability");
}

TEST_F(SyncEngineTest, ARecordStoredLaterResolvesItsQuarantine) {
  configure(R"({"campaigns": 1, "opportunities": 4, "status_of_opportunity": "Parked"})");
  EXPECT_EQ(sync().summary.quarantined, 4);
  ASSERT_EQ(views::list_quarantine(*database_, {}).table.rows.size(), 4u);

  // The provider now sends statuses the map knows: the same records store, and quarantine
  // keeps them only as history.
  configure(R"({"campaigns": 1, "opportunities": 4})");
  SyncOptions full;
  full.full_refresh = true;
  auto fixed = sync(full);
  EXPECT_EQ(fixed.outcome, Outcome::succeeded);
  EXPECT_EQ(fixed.summary.inserted, 4);
  EXPECT_TRUE(views::list_quarantine(*database_, {}).table.rows.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine WHERE replayed_run_id = " +
                  std::to_string(fixed.summary.id)),
            4);
}

TEST_F(SyncEngineTest, DryRunWritesNothing) {
  configure(R"({"campaigns": 2, "opportunities": 30})");
  SyncOptions dry;
  dry.dry_run = true;
  auto run = sync(dry);
  EXPECT_EQ(run.outcome, Outcome::succeeded);
  EXPECT_EQ(run.summary.inserted, 32);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns") + count("SELECT COUNT(*) FROM opportunities") +
                count("SELECT COUNT(*) FROM runs") + count("SELECT COUNT(*) FROM cursors"),
            0);
}

TEST_F(SyncEngineTest, FailingPluginFailsItsRunAndKeepsWhatWasCheckpointed) {
  configure(R"({"campaigns": 1, "opportunities": 100, "page_size": 10, "fail_after": 35})");
  auto run = sync();
  EXPECT_EQ(run.outcome, Outcome::failed);
  EXPECT_NE(run.message.find("slow-feed"), std::string::npos) << run.message;
  EXPECT_EQ(load_cursors(*database_, "feed").at("opportunities"), "30");
  EXPECT_EQ(count("SELECT COUNT(*) FROM runs WHERE state = 'failed' AND error IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM leases WHERE run_id <> 0"), 0) << "the lease is held";

  configure(R"({"campaigns": 1, "opportunities": 100, "page_size": 10})");
  auto resumed = sync();
  EXPECT_EQ(resumed.outcome, Outcome::succeeded);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities"), 100);
}

// The store fails part-way (here the lease is taken from under the run): the run fails as
// the store's failure, lost_lease, not as the plugin's, and its counts say what was committed
// before.
TEST_F(SyncEngineTest, AStoreFailureIsNotThePluginsAndTheCountsStayTrue) {
  configure(R"({"campaigns": 1, "opportunities": 2000, "page_size": 50, "delay_ms": 5})");
  std::atomic<bool> done{false};
  std::thread thief([&] {
    Database other(config_.database_url);
    while (!done.load()) {
      long long committed = 0;
      other.session() << "SELECT COUNT(*) FROM opportunities", soci::into(committed);
      if (committed >= 200) {
        other.session() << "DELETE FROM leases";
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  auto result = sync();
  done = true;
  thief.join();
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message.find("plugin"), std::string::npos) << result.message;
  EXPECT_EQ(result.summary.state, "lost_lease");
  EXPECT_NE(result.message.find("lost lease: the lease of instance 'feed'"), std::string::npos)
      << result.message;
  const long long stored = count("SELECT COUNT(*) FROM opportunities");
  EXPECT_GE(stored, 200);
  EXPECT_EQ(result.summary.inserted, stored + 1) << "the counts are not what was committed";
  EXPECT_GE(result.summary.read, result.summary.inserted);
}

TEST_F(SyncEngineTest, InvalidSettingsFailTheInstanceNamingThePointer) {
  configure(R"({"campaigns": "three"})");
  auto run = sync();
  EXPECT_EQ(run.outcome, Outcome::failed);
  EXPECT_NE(run.message.find("instance 'feed': settings /campaigns"), std::string::npos)
      << run.message;
}

TEST_F(SyncEngineTest, MissingPluginFailsOnlyItsInstance) {
  config_ = parse_config(R"({"database": {"url": "sqlite3://)" + (dir_ / "hub.db").string() +
                             R"("}, "instances": [{"name": "ghost", "plugin": "nowhere"},
                             {"name": "feed", "plugin": "slow-feed",
                              "settings": {"opportunities": 3}}]})",
                         dir_ / "hub.json");
  database_ = std::make_unique<Database>(config_.database_url);
  migrate(*database_);
  SyncEngine engine(config_, *database_, plugins_, {});
  auto results = engine.run({});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, Outcome::failed);
  EXPECT_NE(results[0].message.find("libnowhere.so"), std::string::npos) << results[0].message;
  EXPECT_EQ(results[1].outcome, Outcome::succeeded);
}

}  // namespace
}  // namespace hub

namespace hub {
namespace {

// The catalog searches its folders in order: a plugin installed outside the bundled folder is
// found, and the first folder that has a name wins.
TEST(PluginCatalogTest, SearchesEachFolderInOrder) {
  const std::filesystem::path empty = std::filesystem::temp_directory_path() / "no-plugins-here";
  PluginCatalog catalog(std::vector<std::filesystem::path>{empty, CAMPAIGN_HUB_TEST_PLUGIN_DIR});
  const LoadedPlugin& good = catalog.get("good");
  EXPECT_EQ(good.info().file.parent_path(), std::filesystem::path(CAMPAIGN_HUB_TEST_PLUGIN_DIR));
}

TEST(PluginCatalogTest, NamesEveryFolderSearchedWhenNoneHasThePlugin) {
  PluginCatalog catalog(std::vector<std::filesystem::path>{"/nonexistent/a", "/nonexistent/b"});
  try {
    catalog.get("absent");
    ADD_FAILURE() << "found a plugin that is nowhere";
  } catch (const PluginError& error) {
    EXPECT_STREQ(error.what(),
                 "plugin 'absent': no libabsent.so in /nonexistent/a, /nonexistent/b");
  }
}

}  // namespace
}  // namespace hub
