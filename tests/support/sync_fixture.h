// A whole hub in one test: the provider simulator on 127.0.0.1, a fresh SQLite file, a config
// with the instances a test writes, and the real sync engine, plugin loader and HTTP connector.
// For plugin tests that must show what lands in the database. Link the `sync-fixture` target.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hub/config/config.h"
#include "hub/store/database.h"
#include "hub/store/migrations.h"
#include "hub/sync/http_factory.h"
#include "hub/sync/sync_engine.h"
#include "provider_sim/simulator.h"

namespace test_support {

class SyncFixture : public ::testing::Test {
 protected:
  // Override to size the simulator's data or start it with faults.
  virtual provider_sim::Options simulator_options() const {
    provider_sim::Options options;
    options.campaigns = 12;
    options.opportunities = 300;
    options.threads = 8;
    return options;
  }

  void SetUp() override {
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    dir_ = std::filesystem::temp_directory_path() /
           ("sync-fixture-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    simulator_ = std::make_unique<provider_sim::Simulator>(simulator_options());
    simulator_->start(0);
  }

  void TearDown() override {
    database_.reset();
    simulator_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `instances_json`: the config's "instances" array. "${SIM}" in it stands for the
  // simulator's base URL (http://127.0.0.1:PORT).
  void configure(std::string instances_json) {
    for (auto at = instances_json.find("${SIM}"); at != std::string::npos;
         at = instances_json.find("${SIM}")) {
      instances_json.replace(at, 6, simulator_->base_url());
    }
    config_ = hub::parse_config(R"({"database": {"url": "sqlite3://)" + (dir_ / "hub.db").string() +
                                    R"("}, "plugin_dir": ")" + CAMPAIGN_HUB_PLUGIN_DIR +
                                    R"(", "instances": )" + instances_json + "}",
                                dir_ / "hub.json");
    database_ = std::make_unique<hub::Database>(config_.database_url);
    hub::migrate(*database_);
  }

  // One sync of every configured instance (or those named).
  std::vector<hub::InstanceResult> sync(hub::SyncOptions options = {}) {
    hub::SyncEngine engine(config_, *database_, plugins_, hub::connector_http_factory());
    return engine.run(options);
  }

  hub::InstanceResult sync_one(const std::string& instance, bool full_refresh = false) {
    hub::SyncOptions options;
    options.instances = {instance};
    options.full_refresh = full_refresh;
    return sync(options).at(0);
  }

  long long count(const std::string& sql) {
    long long n = 0;
    database_->session() << sql, soci::into(n);
    return n;
  }

  std::string text(const std::string& sql) {
    std::string value;
    soci::indicator indicator = soci::i_null;
    database_->session() << sql, soci::into(value, indicator);
    return indicator == soci::i_ok ? value : "<null>";
  }

  provider_sim::Simulator& simulator() { return *simulator_; }
  hub::Database& database() { return *database_; }

  std::filesystem::path dir_;
  std::unique_ptr<provider_sim::Simulator> simulator_;
  hub::Config config_;
  std::unique_ptr<hub::Database> database_;
  hub::PluginCatalog plugins_{CAMPAIGN_HUB_PLUGIN_DIR};
};

}  // namespace test_support
