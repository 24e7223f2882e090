// connect-scouting in the whole hub against the provider simulator: what lands in SQLite after
// full and incremental syncs, deletions, every fault the simulator injects, an unknown status,
// and check().
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/model/time.h"
#include "hub/sync/http_factory.h"
#include "hub/sync/instance_host.h"
#include "hub/sync/settings_check.h"
#include "tests/support/sync_fixture.h"

namespace {

using hub::Outcome;

constexpr int kCampaigns = 12;
constexpr int kOpportunities = 300;

// Pages of 50: one page of campaigns, six of opportunities. Short retry delays and timeouts keep
// the fault tests fast.
std::string instance_json(const std::string& name, const std::string& token = "sim-connect-token",
                          const std::string& status_overrides = "{}") {
  return R"({"name": ")" + name + R"(", "plugin": "connect-scouting",
    "settings": {"page_size": 50},
    "http": {"base_url": "${SIM}", "auth": {"type": "bearer", "token": ")" +
         token + R"("},
             "timeouts": {"connect_ms": 2000, "request_ms": 5000, "low_speed_seconds": 1},
             "retries": {"max_attempts": 4, "base_delay_ms": 10, "max_delay_ms": 50,
                         "max_total_wait_ms": 5000}},
    "status_overrides": )" +
         status_overrides + R"(,
    "default_initiative": "Scouting inbox"})";
}

class ConnectScoutingSync : public test_support::SyncFixture {
 protected:
  provider_sim::Options simulator_options() const override {
    provider_sim::Options options;
    options.campaigns = kCampaigns;
    options.opportunities = kOpportunities;
    options.threads = 8;
    return options;
  }

  // "connect" is the instance under test; "clean" reads the same simulator once, without
  // faults, at the end: both must hold the same rows.
  void SetUp() override {
    SyncFixture::SetUp();
    configure("[" + instance_json("connect") + "," + instance_json("clean") + "]");
  }

  hub::InstanceResult sync_connect() { return sync_one("connect"); }

  long long campaigns(const std::string& where = "1=1") {
    return count("SELECT COUNT(*) FROM campaigns WHERE instance = 'connect' AND " + where);
  }
  long long opportunities(const std::string& where = "1=1") {
    return count("SELECT COUNT(*) FROM opportunities WHERE instance = 'connect' AND " + where);
  }

  // Every stored row of an instance as text, in id order.
  std::string rows_of(const std::string& instance) {
    return text(
               "SELECT group_concat(r, char(10)) FROM (SELECT external_id || '|' || "
               "coalesce(status, '') || '|' || coalesce(raw_status, '') || '|' || deleted || '|' "
               "|| coalesce(raw, '') AS r FROM campaigns WHERE instance = '" +
               instance + "' ORDER BY external_id)") +
           "\n--\n" +
           text(
               "SELECT group_concat(r, char(10)) FROM (SELECT external_id || '|' || "
               "coalesce(campaign_external_id, '') || '|' || coalesce(initiative, '') || '|' || "
               "coalesce(status, '') || '|' || coalesce(contact_email, '') || '|' || deleted || "
               "'|' || coalesce(raw, '') AS r FROM opportunities WHERE instance = '" +
               instance + "' ORDER BY external_id)");
  }

  // A run of "clean" without faults ends with the same rows as "connect".
  void expect_equal_to_clean_run() {
    simulator().set_faults("[]");
    auto clean = sync_one("clean");
    ASSERT_EQ(clean.outcome, Outcome::succeeded) << clean.message;
    EXPECT_EQ(campaigns(), kCampaigns);
    EXPECT_EQ(opportunities(), kOpportunities);
    EXPECT_EQ(rows_of("connect"), rows_of("clean"));
  }

  // A fault that the connector's retries absorb: one run, every record once.
  void expect_fault_absorbed(const std::string& faults) {
    simulator().set_faults(faults);
    auto result = sync_connect();
    ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
    EXPECT_GT(simulator().stats().faults_applied, 0);
    EXPECT_EQ(result.summary.inserted, kCampaigns + kOpportunities);
    expect_equal_to_clean_run();
  }

  // A fault on the third page of opportunities that fails the run: the error names the page,
  // the two pages before it stay stored, and the next run resumes after them.
  void expect_failure_then_resume(const std::string& faults, const std::string& expected_error) {
    simulator().set_faults(faults);
    auto failed = sync_connect();
    ASSERT_EQ(failed.outcome, Outcome::failed);
    EXPECT_NE(failed.message.find("stream opportunities, page 3 (GET /v1/opportunities?limit=50"),
              std::string::npos)
        << failed.message;
    EXPECT_NE(failed.message.find(expected_error), std::string::npos) << failed.message;
    EXPECT_EQ(campaigns(), kCampaigns);
    EXPECT_EQ(opportunities(), 100);  // pages 1 and 2, nothing of page 3

    simulator().set_faults("[]");
    auto resumed = sync_connect();
    ASSERT_EQ(resumed.outcome, Outcome::succeeded) << resumed.message;
    EXPECT_EQ(resumed.summary.read, kOpportunities - 100);  // from the cursor, not from scratch
    EXPECT_EQ(resumed.summary.inserted, kOpportunities - 100);
    expect_equal_to_clean_run();
  }
};

TEST_F(ConnectScoutingSync, FullSyncStoresEveryRecordMapped) {
  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.read, kCampaigns + kOpportunities);
  EXPECT_EQ(result.summary.inserted, kCampaigns + kOpportunities);
  EXPECT_EQ(result.summary.quarantined, 0);
  EXPECT_EQ(campaigns(), kCampaigns);
  EXPECT_EQ(opportunities(), kOpportunities);

  // Statuses: the provider's word kept, the canonical one from the plugin's map.
  EXPECT_EQ(campaigns("(raw_status = 'Draft' AND status = 'draft' OR raw_status = 'On-going' AND "
                      "status = 'active' OR raw_status = 'Closed' AND status = 'completed')"),
            kCampaigns);
  EXPECT_EQ(opportunities("(raw_status = 'Active' AND status = 'active' OR raw_status = 'On-hold' "
                          "AND status = 'on_hold' OR raw_status = 'Closed' AND status = 'closed' "
                          "OR raw_status = 'Declined' AND status = 'declined')"),
            kOpportunities);
  EXPECT_GT(opportunities("status = 'on_hold'"), 0);

  // Campaign fields.
  EXPECT_EQ(campaigns("kind = 'scouting' AND name = json_extract(raw, '$.title') AND department "
                      "= json_extract(raw, '$.department') AND opportunity_count = "
                      "json_extract(raw, '$.opportunity_count') AND connection_count = "
                      "json_extract(raw, '$.connection_count') AND review_by IS NOT NULL AND "
                      "start_at IS NOT NULL AND end_at IS NOT NULL"),
            kCampaigns);
  EXPECT_EQ(campaigns("manager_email = lower(json_extract(raw, '$.campaign_manager.email')) AND "
                      "manager_email LIKE '%@provider.example'"),
            kCampaigns);
  EXPECT_EQ(campaigns("owner IS json_extract(raw, '$.owner.name')"), kCampaigns);
  EXPECT_GT(campaigns("owner IS NULL"), 0);

  // Opportunity fields: accents intact, every one in the default initiative, linked.
  EXPECT_EQ(opportunities("organisation = json_extract(raw, '$.institution.name') AND "
                          "contact_name = json_extract(raw, '$.submitted_by.name') AND title = "
                          "json_extract(raw, '$.title')"),
            kOpportunities);
  EXPECT_GT(opportunities("organisation GLOB '*[^ -~]*'"), 0) << "no accented organisation";
  EXPECT_GT(opportunities("contact_name GLOB '*[^ -~]*'"), 0) << "no accented contact name";
  EXPECT_EQ(opportunities("contact_email = lower(contact_email)"), kOpportunities);
  EXPECT_EQ(opportunities("initiative = 'Scouting inbox'"), kOpportunities);
  EXPECT_EQ(count("SELECT COUNT(*) FROM initiatives WHERE instance = 'connect' AND name = "
                  "'Scouting inbox' AND is_default = 1"),
            1);
  EXPECT_EQ(opportunities("campaign_external_id = json_extract(raw, '$.campaign_id')"),
            kOpportunities);
  EXPECT_EQ(opportunities("json_extract(raw, '$.trl') IS NOT NULL"),
            opportunities("raw LIKE '%\"trl\":%'"));
}

TEST_F(ConnectScoutingSync, SecondSyncReadsNothingAndChangesNoRow) {
  ASSERT_EQ(sync_connect().outcome, Outcome::succeeded);
  std::string before = rows_of("connect");
  auto again = sync_connect();
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.read, 0);
  EXPECT_EQ(again.summary.inserted + again.summary.updated, 0);
  EXPECT_EQ(rows_of("connect"), before);
  // Two requests: one page per stream, from one second before each cursor.
  EXPECT_EQ(again.summary.http_requests, 2);
}

TEST_F(ConnectScoutingSync, IncrementalSyncPicksUpOnlyTouchedOpportunities) {
  ASSERT_EQ(sync_connect().outcome, Outcome::succeeded);
  auto touched = simulator().touch("connect.opportunities", 0.1);
  ASSERT_GT(touched, 0);
  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.read, touched);
  EXPECT_EQ(result.summary.inserted, 0);
  EXPECT_EQ(result.summary.updated, touched);  // updated_at moved, maybe the status too
  EXPECT_EQ(opportunities(), kOpportunities);
  expect_equal_to_clean_run();
}

TEST_F(ConnectScoutingSync, DeletedCampaignIsMarkedAndItsOpportunitiesStayUnlinked) {
  ASSERT_EQ(sync_connect().outcome, Outcome::succeeded);
  std::string gone = text(
      "SELECT external_id FROM campaigns WHERE instance = 'connect' ORDER BY external_id LIMIT 1");
  std::string name = text("SELECT name FROM campaigns WHERE external_id = '" + gone + "'");
  long long linked = opportunities("campaign_external_id = '" + gone + "'");
  ASSERT_GT(linked, 0);
  ASSERT_TRUE(simulator().remove("connect.campaigns", gone));

  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.read, 1);
  EXPECT_EQ(campaigns("deleted = 1"), 1);
  EXPECT_EQ(campaigns("external_id = '" + gone + "' AND deleted = 1 AND name = '" + name + "'"), 1)
      << "a tombstone keeps what the hub knew";
  EXPECT_EQ(opportunities("campaign_external_id = '" + gone + "'"), 0);
  EXPECT_EQ(opportunities("json_extract(raw, '$.campaign_id') = '" + gone +
                          "' AND campaign_external_id IS NULL AND deleted = 0"),
            linked);
  EXPECT_EQ(opportunities(), kOpportunities);
}

// A full read lists only live records: an opportunity deleted at the provider is simply not
// there. The plugin says the read was complete, and the hub marks deleted what it no longer
// lists, with an event in its history. An incremental read never does.
TEST_F(ConnectScoutingSync, FullReadMarksDeletedWhatTheFeedNoLongerLists) {
  ASSERT_EQ(sync_connect().outcome, Outcome::succeeded);
  std::string gone = text("SELECT MIN(external_id) FROM opportunities WHERE instance = 'connect'");
  ASSERT_TRUE(simulator().remove("connect.opportunities", gone));

  auto result = sync_one("connect", true);  // --full-refresh: no cursor, the whole feed
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(opportunities("deleted = 1"), 1);
  EXPECT_EQ(opportunities("external_id = '" + gone + "' AND deleted = 1 AND title IS NOT NULL"), 1)
      << "a soft delete keeps what the hub knew";
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = '" + gone +
                  "' AND to_status = 'deleted' AND run_id = " + std::to_string(result.summary.id)),
            1);
  EXPECT_EQ(campaigns("deleted = 1"), 0);
  EXPECT_EQ(opportunities(), kOpportunities);

  // Listed again later (restored at the provider is not simulated): a second full read of the
  // same feed deletes nothing more.
  auto again = sync_one("connect", true);
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.updated, 0);
  EXPECT_EQ(opportunities("deleted = 1"), 1);
}

// Issue 13: a pushed event and a pull racing on one record end in the provider's latest state,
// whatever order they land in. The hub keeps two events for one opportunity, the newer first
// (out of order), ingests them, then a full pull reads the feed's older state: the newer state
// stays, with one status event.
TEST_F(ConnectScoutingSync, AWebhookAndAPullRacingEndInTheProvidersLatestState) {
  ASSERT_EQ(sync_connect().outcome, Outcome::succeeded);
  const std::string id = text(
      "SELECT MIN(external_id) FROM opportunities WHERE instance = "
      "'connect' AND status <> 'declined'");
  const std::string raw = text("SELECT raw FROM opportunities WHERE external_id = '" + id + "'");
  auto event = [&](const char* status, const char* updated_at) {
    rapidjson::Document data;
    data.Parse(raw.c_str());
    data["status"].SetString(status, data.GetAllocator());
    data["updated_at"].SetString(updated_at, data.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    data.Accept(writer);
    return R"({"type": "opportunity.updated", "data": )" + std::string(buffer.GetString()) + "}";
  };
  int delivery = 0;
  for (const std::string& body :
       {event("Declined", "2030-01-01T00:00:00Z"), event("On-hold", "2000-01-01T00:00:00Z")}) {
    const std::string delivery_id = "msg_" + std::to_string(++delivery);
    const std::string received_at = hub::utc_now();
    database().session() << "INSERT INTO webhook_spool (instance, delivery_id, received_at, "
                            "method, path, query_text, headers, body, body_encoding, state) "
                            "VALUES ('connect', :d, :r, 'POST', '', '', "
                            "'{}', :b, 'text', 'pending')",
        soci::use(delivery_id), soci::use(received_at), soci::use(body);
  }
  hub::SyncOptions pushed;
  pushed.instances = {"connect"};
  pushed.webhooks = true;
  const auto ingested = sync(pushed).at(0);
  ASSERT_EQ(ingested.outcome, Outcome::succeeded) << ingested.message;
  EXPECT_EQ(ingested.summary.updated, 1);
  EXPECT_EQ(ingested.summary.unchanged, 1) << "the older event arrived second";
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_spool WHERE state = 'taken'"), 2);

  const auto pulled = sync_one("connect", true);  // the feed still says the older state
  ASSERT_EQ(pulled.outcome, Outcome::succeeded) << pulled.message;
  EXPECT_EQ(text("SELECT status || '|' || raw_status FROM opportunities WHERE external_id = '" +
                 id + "'"),
            "declined|Declined");
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE external_id = '" + id + "'"), 1);
}

TEST_F(ConnectScoutingSync, OpportunityOfAnUnseenCampaignStoresAndLinksLater) {
  configure(R"([{"name": "connect", "plugin": "connect-scouting",
    "settings": {"page_size": 50, "streams": ["opportunities"]},
    "http": {"base_url": "${SIM}", "auth": {"type": "bearer", "token": "sim-connect-token"}}}])");
  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(campaigns(), 0);
  EXPECT_EQ(opportunities("campaign_external_id IS NOT NULL"), kOpportunities);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities o JOIN campaigns c ON c.instance = "
                  "o.instance AND c.external_id = o.campaign_external_id"),
            0);
}

// Faults that the connector's retries absorb: the run completes with every record once.
TEST_F(ConnectScoutingSync, RateLimitStormWithRetryAfterIsWaitedOut) {
  auto started = std::chrono::steady_clock::now();
  expect_fault_absorbed(
      R"([{"kind": "status", "status": 429, "retry_after": 1, "path": "/v1/opportunities",
           "after": 1, "count": 2}])");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST_F(ConnectScoutingSync, RateLimitStormWithoutRetryAfterBacksOff) {
  expect_fault_absorbed(
      R"([{"kind": "status", "status": 429, "path": "/v1/", "every": 2, "count": 3}])");
}

TEST_F(ConnectScoutingSync, ServerErrorBurstIsRetried) {
  expect_fault_absorbed(
      R"([{"kind": "status", "status": 503, "path": "/v1/opportunities", "after": 2, "count": 3},
          {"kind": "status", "status": 502, "path": "/v1/campaigns", "count": 1}])");
}

TEST_F(ConnectScoutingSync, StalledAnswerIsCutAndRetried) {
  expect_fault_absorbed(
      R"([{"kind": "stall", "ms": 10000, "cut": 0.5, "path": "/v1/opportunities", "after": 1}])");
}

TEST_F(ConnectScoutingSync, ConnectionResetIsRetried) {
  expect_fault_absorbed(
      R"([{"kind": "reset", "cut": 0.3, "path": "/v1/opportunities", "after": 2, "count": 2}])");
}

TEST_F(ConnectScoutingSync, RecordsRepeatedAcrossPagesAreStoredOnce) {
  simulator().set_faults(R"([{"kind": "repeat", "records": 7, "count": -1}])");
  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_GT(simulator().stats().faults_applied, 0);
  EXPECT_EQ(result.summary.read, kCampaigns + kOpportunities);  // the plugin skips the repeats
  expect_equal_to_clean_run();
}

TEST_F(ConnectScoutingSync, RecordsTouchedWhilePagingAreStoredOnceInTheirLatestState) {
  simulator().set_faults(
      R"([{"kind": "touch", "table": "connect.opportunities", "fraction": 0.05,
           "path": "/v1/opportunities", "after": 1, "every": 2, "count": 2}])");
  auto result = sync_connect();
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_GT(result.summary.read, kCampaigns + kOpportunities);  // touched ones come again
  expect_equal_to_clean_run();
}

// Faults that fail the run: a clear error, then the next run resumes from the cursor.
TEST_F(ConnectScoutingSync, ServerErrorsBeyondRetriesFailThenResume) {
  expect_failure_then_resume(
      R"([{"kind": "status", "status": 500, "path": "/v1/opportunities", "after": 2, "count": 4}])",
      "500");
}

TEST_F(ConnectScoutingSync, RateLimitBeyondTheWaitBudgetFailsThenResumes) {
  expect_failure_then_resume(
      R"([{"kind": "status", "status": 429, "retry_after": 60, "path": "/v1/opportunities",
           "after": 2, "count": 1}])",
      "429");
}

TEST_F(ConnectScoutingSync, TruncatedPageFailsThenResumes) {
  expect_failure_then_resume(
      R"([{"kind": "truncate", "cut": 0.6, "path": "/v1/opportunities", "after": 2}])",
      "not valid JSON");
}

TEST_F(ConnectScoutingSync, MalformedPageFailsThenResumes) {
  expect_failure_then_resume(
      R"([{"kind": "malformed", "cut": 0.6, "path": "/v1/opportunities", "after": 2}])",
      "not valid JSON");
}

// The simulator only sends documented statuses, and status_overrides can add mappings but not
// remove the plugin's. So the test wraps the hub's real HTTP connector and rewrites one
// opportunity's status in the simulator's answer to a word the map lacks: the rest of the path
// (plugin, normalizer, quarantine, store) is the real one.
class RewritingHttp : public hub::MeteredHttp {
 public:
  explicit RewritingHttp(std::unique_ptr<hub::MeteredHttp> inner) : inner_(std::move(inner)) {}
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    auto response = inner_->send(request);
    if (request.url.find("/v1/opportunities") != std::string::npos) {
      const std::string declined = R"("status":"Declined")";
      auto at = response.body.find(declined);
      if (at != std::string::npos)
        response.body.replace(at, declined.size(), R"("status":"Withdrawn")");
    }
    return response;
  }
  hub::HttpCounters counters() const override { return inner_->counters(); }

 private:
  std::unique_ptr<hub::MeteredHttp> inner_;
};

TEST_F(ConnectScoutingSync, UnknownStatusIsQuarantinedNamingIt) {
  hub::HttpFactory real = hub::connector_http_factory();
  hub::HttpFactory rewriting = [real](const std::string& http_json, campaign_hub::Logger& logger) {
    return std::unique_ptr<hub::MeteredHttp>(
        std::make_unique<RewritingHttp>(real(http_json, logger)));
  };
  hub::SyncEngine engine(config_, database(), plugins_, rewriting);
  hub::SyncOptions options;
  options.instances = {"connect"};
  auto result = engine.run(options).at(0);

  EXPECT_EQ(result.outcome, Outcome::partial) << result.message;
  EXPECT_GT(result.summary.quarantined, 0);
  EXPECT_EQ(result.summary.quarantined,
            count("SELECT COUNT(*) FROM quarantine WHERE instance = 'connect'"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine WHERE instance = 'connect' AND entity = "
                  "'opportunity' AND field = 'status' AND reason LIKE "
                  "'%unknown opportunity status ''Withdrawn'' from connect-scouting%'"),
            result.summary.quarantined);
  EXPECT_EQ(opportunities() + result.summary.quarantined, kOpportunities);
  EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine q JOIN opportunities o ON o.external_id = "
                  "q.external_id"),
            0);
}

TEST_F(ConnectScoutingSync, CheckReachesAndAuthenticates) {
  const hub::InstanceConfig& instance = *config_.instance("connect");
  hub::InstanceHost host(instance.name, instance.settings_json, instance.http_json, {},
                         hub::connector_http_factory());
  auto result = plugins_.get("connect-scouting").create()->check(host);
  EXPECT_TRUE(result.ok) << result.message;
  EXPECT_EQ(result.message.rfind("reached the feed with the configured bearer token: GET "
                                 "/v1/campaigns?limit=1 gave 1 campaign on the first page, more "
                                 "to read; rate limit remaining ",
                                 0),
            0u)
      << result.message;
}

TEST_F(ConnectScoutingSync, CheckWithAWrongTokenFailsInOneLineWithoutTheToken) {
  configure("[" + instance_json("connect", "not-the-token-1234") + "]");
  const hub::InstanceConfig& instance = *config_.instance("connect");
  hub::InstanceHost host(instance.name, instance.settings_json, instance.http_json, {},
                         hub::connector_http_factory());
  auto result = plugins_.get("connect-scouting").create()->check(host);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message.find('\n'), std::string::npos) << result.message;
  EXPECT_EQ(result.message.find("not-the-token-1234"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("401"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find(simulator().base_url() + "/v1/campaigns?limit=1"),
            std::string::npos)
      << result.message;
  EXPECT_NE(result.message.find("bearer token (http.auth.token) was refused"), std::string::npos)
      << result.message;
}

// config/examples/connect-scouting.json is valid, and its instance syncs everything once
// pointed at this test's simulator instead of port 8787.
TEST_F(ConnectScoutingSync, BundledExampleConfigIsValidAndSyncs) {
  const std::string file = CAMPAIGN_HUB_SOURCE_DIR "/config/examples/connect-scouting.json";
  hub::Config example = hub::load_config(file);
  ASSERT_EQ(example.instances.size(), 1u);
  EXPECT_EQ(example.instances[0].plugin, "connect-scouting");
  EXPECT_EQ(hub::settings_error(example.instances[0], plugins_.get("connect-scouting").info()),
            std::nullopt);

  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  rapidjson::Document document;
  document.Parse(content.str().c_str());
  rapidjson::StringBuffer instances;
  rapidjson::Writer<rapidjson::StringBuffer> writer(instances);
  document["instances"].Accept(writer);
  std::string json = instances.GetString();
  auto at = json.find("http://127.0.0.1:8787");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 21, "${SIM}");
  configure(json);
  auto result = sync_one("connect-scouting");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.inserted, kCampaigns + kOpportunities);
}

}  // namespace
