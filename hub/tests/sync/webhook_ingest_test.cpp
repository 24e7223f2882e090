// A webhook ingestion run in one process: requests kept in webhook_spool are handed in order to
// the pushy test plugin (plugin-api/README.md's example) and written through the store; each is
// settled in the run (taken, ignored, failed with why); an older event arriving late does not
// overwrite the newer state; a plugin without the capability fails the run, naming it.
#include <filesystem>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "hub/model/time.h"
#include "hub/store/migrations.h"
#include "hub/sync/sync_engine.h"

namespace hub {
namespace {

class WebhookIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("webhook-ingest-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_ = parse_config(R"({"database": {"url": "sqlite3://)" + (dir_ / "hub.db").string() +
                               R"("}, "instances": [)"
                               R"({"name": "push", "plugin": "pushy", "batch_size": 2},)"
                               R"({"name": "feed", "plugin": "slow-feed", "settings": {}}]})",
                           dir_ / "hub.json");
    database_ = std::make_unique<Database>(config_.database_url);
    migrate(*database_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Keeps a request as serve's receiver does: received now, or at `received_at`, and pending
  // or already in `state`.
  void keep(const std::string& instance, const std::string& id, const std::string& body,
            const std::string& received_at = utc_now(), const std::string& state = "pending") {
    database_->session() << "INSERT INTO webhook_spool (instance, delivery_id, received_at, "
                            "method, path, query_text, headers, body, body_encoding, state) "
                            "VALUES (:i, :d, :r, 'POST', '', '', "
                            "'{\"Content-Type\": \"application/json\"}', :b, 'text', :s)",
        soci::use(instance), soci::use(id), soci::use(received_at), soci::use(body),
        soci::use(state);
  }

  InstanceResult ingest(const std::string& instance) {
    SyncOptions options;
    options.webhooks = true;
    options.instances = {instance};
    SyncEngine engine(config_, *database_, plugins_, {});
    return engine.run(options).at(0);
  }

  std::string text(const std::string& sql) {
    std::string value;
    soci::indicator indicator;
    database_->session() << sql, soci::into(value, indicator);
    return indicator == soci::i_ok ? value : "(null)";
  }

  std::filesystem::path dir_;
  Config config_;
  std::unique_ptr<Database> database_;
  PluginCatalog plugins_{CAMPAIGN_HUB_TEST_PLUGIN_DIR};
};

std::string updated(const std::string& id, const std::string& state, const std::string& at) {
  return R"({"type": "campaign.updated", "data": {"id": ")" + id + R"(", "name": "Campaign )" + id +
         R"(", "state": ")" + state + R"(", "updated_at": ")" + at + R"("}})";
}

TEST_F(WebhookIngestTest, EachKeptRequestIsWrittenAndSettledInOrder) {
  keep("push", "m1", updated("c-1", "Live", "2026-03-01T10:00:00Z"));
  keep("push", "m2", R"({"type": "ping"})");
  keep("push", "m3", "{not json");
  keep("push", "m4", updated("c-1", "Over", "2026-03-01T09:00:00Z"));  // late, older
  keep("push", "m5", updated("c-2", "Over", "2026-03-01T11:00:00Z"));

  const InstanceResult result = ingest("push");
  EXPECT_EQ(result.outcome, Outcome::partial) << result.message;
  EXPECT_EQ(result.summary.read, 3);
  EXPECT_EQ(result.summary.inserted, 2);
  EXPECT_EQ(result.summary.unchanged, 1);
  EXPECT_EQ(result.summary.details, R"({"webhooks":"3 taken, 1 ignored, 1 failed"})");

  EXPECT_EQ(text("SELECT status FROM campaigns WHERE external_id = 'c-1'"), "active");
  EXPECT_EQ(text("SELECT raw_status FROM campaigns WHERE external_id = 'c-1'"), "Live");
  EXPECT_EQ(text("SELECT status FROM campaigns WHERE external_id = 'c-2'"), "completed");
  for (const auto& [id, state] : {std::pair{"m1", "taken"},
                                  {"m2", "ignored"},
                                  {"m3", "failed"},
                                  {"m4", "taken"},
                                  {"m5", "taken"}}) {
    EXPECT_EQ(text(std::string("SELECT state FROM webhook_spool WHERE delivery_id = '") + id + "'"),
              state)
        << id;
    EXPECT_EQ(
        text(std::string("SELECT run_id FROM webhook_spool WHERE delivery_id = '") + id + "'"),
        std::to_string(result.summary.id))
        << id;
  }
  EXPECT_EQ(text("SELECT error FROM webhook_spool WHERE delivery_id = 'm3'"),
            "plugin: the event is not a JSON object");

  // Nothing is pending any more: the next run settles nothing and changes nothing.
  const InstanceResult again = ingest("push");
  EXPECT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.read, 0);
  EXPECT_EQ(again.summary.details, R"({"webhooks":"0 taken, 0 ignored, 0 failed"})");
}

TEST_F(WebhookIngestTest, SettledRequestsPastTheDedupWindowArePrunedAndNothingElse) {
  using namespace std::chrono_literals;
  const auto now = std::chrono::system_clock::now();
  const std::string old = format_utc(now - 73h);  // the default window is 72 h
  const std::string recent = format_utc(now - 71h);
  keep("push", "old-taken", "{}", old, "taken");
  keep("push", "old-ignored", "{}", old, "ignored");
  keep("push", "old-failed", "{}", old, "failed");
  keep("push", "old-pending", updated("c-1", "Live", "2026-03-01T10:00:00Z"), old);
  keep("push", "recent-taken", "{}", recent, "taken");
  keep("feed", "other-instance", "{}", old, "taken");
  const InstanceResult result = ingest("push");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(text("SELECT name FROM campaigns WHERE external_id = 'c-1'"), "Campaign c-1")
      << "a pending request is ingested, never pruned unread";
  std::string left;
  soci::rowset<std::string> ids = database_->session().prepare
                                  << "SELECT delivery_id FROM webhook_spool ORDER BY delivery_id";
  for (const auto& id : ids)
    left += id + " ";
  EXPECT_EQ(left, "old-failed other-instance recent-taken ")
      << "old-pending was settled in this run, and its window is over too";
}

TEST_F(WebhookIngestTest, APluginWithoutTheCapabilityFailsTheRunAndLeavesRequestsPending) {
  keep("feed", "m1", updated("c-1", "Live", "2026-03-01T10:00:00Z"));
  const InstanceResult result = ingest("feed");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.message.find("plugin slow-feed takes no webhooks"), std::string::npos)
      << result.message;
  EXPECT_EQ(text("SELECT state FROM webhook_spool WHERE delivery_id = 'm1'"), "pending");
}

}  // namespace
}  // namespace hub
