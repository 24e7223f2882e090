// The plugin in the whole hub against the provider simulator: what lands in the database.
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "hub/sync/http_factory.h"
#include "hub/sync/instance_host.h"
#include "hub/sync/replay.h"
#include "plugins/salesforce/salesforce.h"
#include "tests/support/sync_fixture.h"

namespace salesforce {
namespace {

constexpr std::int64_t kCampaigns = 12;
constexpr std::int64_t kOpportunities = 300;
constexpr std::int64_t kMembers = 3 * kCampaigns;  // the simulator's CampaignMember table

std::string http_json(const std::string& secret = "sim-client-secret") {
  return R"({"base_url": "${SIM}",
    "auth": {"type": "oauth2_client_credentials", "token_url": "/services/oauth2/token",
             "client_id": "sim-client-id", "client_secret": ")" +
         secret + R"(", "use_instance_url": true},
    "retries": {"max_attempts": 4, "base_delay_ms": 5, "max_delay_ms": 20},
    "timeouts": {"low_speed_seconds": 1}})";
}

class SalesforceSync : public test_support::SyncFixture {
 protected:
  provider_sim::Options simulator_options() const override {
    provider_sim::Options options = SyncFixture::simulator_options();
    options.campaigns = kCampaigns;
    options.opportunities = kOpportunities;
    options.page_size = 40;  // several pages per object
    return options;
  }

  void SetUp() override {
    SyncFixture::SetUp();
    configure(instance());
  }

  std::string instance(const std::string& http = http_json()) const {
    return R"([{"name": "sf", "plugin": "salesforce",
      "settings": {"limit_backoff": {"max_attempts": 3, "base_delay_ms": 20}},
      "http": )" +
           http + "}]";
  }

  long long stored(const std::string& table, const std::string& where = "1 = 1") {
    return count("SELECT COUNT(*) FROM " + table + " WHERE instance = 'sf' AND " + where);
  }

  void expect_everything_once() {
    EXPECT_EQ(stored("campaigns"), kCampaigns);
    EXPECT_EQ(stored("opportunities"), kOpportunities);
    EXPECT_EQ(stored("participants"), kMembers);
    EXPECT_EQ(stored("quarantine"), 0);
  }

  std::string with_sim(std::string text) {
    for (auto at = text.find("${SIM}"); at != std::string::npos; at = text.find("${SIM}"))
      text.replace(at, 6, simulator().base_url());
    return text;
  }
};

TEST_F(SalesforceSync, FullSyncStoresEveryRecordOnceWithApiUsage) {
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.read, kCampaigns + kOpportunities + kMembers);
  EXPECT_EQ(result.summary.inserted, kCampaigns + kOpportunities + kMembers);
  expect_everything_once();
  EXPECT_EQ(stored("campaigns", "kind = 'partner'"), kCampaigns);
  EXPECT_EQ(stored("campaigns", "raw_status = 'In Progress' AND status <> 'active'"), 0);
  EXPECT_EQ(stored("campaigns", "raw_status = 'Aborted' AND status <> 'cancelled'"), 0);
  EXPECT_EQ(stored("opportunities", "raw_status = 'Closed Won' AND status <> 'won'"), 0);
  EXPECT_EQ(stored("opportunities", "raw_status = 'Closed Lost' AND status <> 'closed'"), 0);
  EXPECT_EQ(stored("participants", "raw_status = 'Responded' AND status <> 'completed'"), 0);
  EXPECT_GT(stored("opportunities", "campaign_external_id LIKE '701SIM%' AND currency IS NOT NULL"),
            0);
  EXPECT_EQ(text("SELECT cursor_value FROM cursors WHERE instance = 'sf' AND stream = "
                 "'Opportunity'")
                .size(),
            20u);
  std::string details =
      text("SELECT details FROM runs WHERE id = " + std::to_string(result.summary.id));
  EXPECT_NE(details.find("\"api_usage\""), std::string::npos) << details;
  EXPECT_NE(details.find("/100000"), std::string::npos) << details;
}

// The three objects' queries go side by side (each object's pages still one after the other,
// queryMore being sequential), and every record lands once, each object's checkpoints its own.
TEST_F(SalesforceSync, TheThreeObjectsAreQueriedSideBySide) {
  simulator().set_faults(R"([{"kind": "delay", "ms": 40, "path": "/services/data", "count": -1}])");
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  expect_everything_once();
  EXPECT_GE(simulator().stats().max_in_flight, 2);
  EXPECT_LE(simulator().stats().max_in_flight, 3);  // one query per object at a time
}

TEST_F(SalesforceSync, SecondSyncChangesNothing) {
  ASSERT_EQ(sync_one("sf").outcome, hub::Outcome::succeeded);
  auto again = sync_one("sf");
  ASSERT_EQ(again.outcome, hub::Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.inserted, 0);
  EXPECT_EQ(again.summary.updated, 0);
  EXPECT_LE(again.summary.read, 3);  // the last row of each object, read again by ">="
  expect_everything_once();
}

TEST_F(SalesforceSync, IncrementalSyncPicksUpOnlyTouchedOpportunities) {
  ASSERT_EQ(sync_one("sf").outcome, hub::Outcome::succeeded);
  std::int64_t touched = simulator().touch("salesforce.Opportunity", 0.1);
  ASSERT_GT(touched, 0);
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_EQ(result.summary.inserted, 0);
  EXPECT_EQ(result.summary.updated, touched);
  EXPECT_LE(result.summary.read, touched + 3);
  expect_everything_once();
}

TEST_F(SalesforceSync, DeletedRowsBecomeTombstonesThroughQueryAll) {
  ASSERT_EQ(sync_one("sf").outcome, hub::Outcome::succeeded);
  ASSERT_TRUE(simulator().remove("salesforce.Opportunity", "#7"));
  ASSERT_TRUE(simulator().remove("salesforce.CampaignMember", "#3"));
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_EQ(stored("opportunities", "deleted = 1"), 1);
  EXPECT_EQ(stored("participants", "deleted = 1"), 1);
  EXPECT_EQ(stored("opportunities", "deleted = 1 AND status IS NOT NULL"), 1);  // kept
  expect_everything_once();
}

TEST_F(SalesforceSync, ExpiredTokenMidSyncIsRenewedOnceAndTheSyncCompletes) {
  simulator().set_faults(R"([{"kind": "expire_token", "path": "/services/data", "after": 4}])");
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_EQ(simulator().stats().tokens_issued, 2);
  EXPECT_EQ(simulator().stats().unauthorized, 1);
  expect_everything_once();
}

TEST_F(SalesforceSync, RequestLimitExceededBacksOffAndCompletes) {
  // The simulator answers REQUEST_LIMIT_EXCEEDED with 429: the connector retries it twice
  // (max_attempts 2 here), then the plugin's own back-off waits and asks again.
  configure(instance(R"({"base_url": "${SIM}",
    "auth": {"type": "oauth2_client_credentials", "token_url": "/services/oauth2/token",
             "client_id": "sim-client-id", "client_secret": "sim-client-secret",
             "use_instance_url": true},
    "retries": {"max_attempts": 2, "base_delay_ms": 5, "max_delay_ms": 10}})"));
  simulator().set_faults(
      R"([{"kind": "status", "status": 429, "path": "/services/data", "after": 3, "count": 3}])");
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_EQ(simulator().stats().faults_applied, 3);
  expect_everything_once();
}

TEST_F(SalesforceSync, RequestLimitThatLastsFailsClearlyAndResumes) {
  // Every queryMore request from the first on, which is Opportunity's page 2 (the other objects
  // fit in one page): aimed by path, since the three objects are read side by side and the
  // order of their first requests varies.
  simulator().set_faults(
      R"([{"kind": "status", "status": 429, "path": "/services/data/v59.0/query/", "after": 0,
           "count": -1}])");
  auto failed = sync_one("sf");
  ASSERT_EQ(failed.outcome, hub::Outcome::failed);
  EXPECT_NE(failed.message.find("REQUEST_LIMIT_EXCEEDED"), std::string::npos) << failed.message;
  EXPECT_NE(failed.message.find("Salesforce Opportunity, page 2"), std::string::npos)
      << failed.message;
  simulator().set_faults("[]");
  auto resumed = sync_one("sf");
  ASSERT_EQ(resumed.outcome, hub::Outcome::succeeded) << resumed.message;
  EXPECT_LT(resumed.summary.read, kOpportunities);  // from the cursor, not from the start
  expect_everything_once();
}

// Faults the connector retries: the sync completes with every record once.
struct Fault {
  const char* name;
  const char* rules;
};

// Keeps the test names ctest lists stable (no bytes of the struct).
void PrintTo(const Fault& fault, std::ostream* out) {
  *out << fault.name;
}

class SalesforceRetriedFault : public SalesforceSync,
                               public ::testing::WithParamInterface<Fault> {};

TEST_P(SalesforceRetriedFault, SyncCompletesWithEveryRecordOnce) {
  simulator().set_faults(GetParam().rules);
  auto result = sync_one("sf");
  ASSERT_EQ(result.outcome, hub::Outcome::succeeded) << result.message;
  EXPECT_GE(simulator().stats().faults_applied, 1);
  EXPECT_EQ(result.summary.inserted, kCampaigns + kOpportunities + kMembers);
  expect_everything_once();
}

INSTANTIATE_TEST_SUITE_P(
    Faults, SalesforceRetriedFault,
    ::testing::Values(
        Fault{"ServiceUnavailable",
              R"([{"kind": "status", "status": 503, "path": "/services/data", "after": 3,
                   "count": 2}])"},
        Fault{"ServerErrors",
              R"([{"kind": "status", "status": 500, "path": "/services/data", "every": 4,
                   "count": 3}])"},
        Fault{"Stall",
              R"([{"kind": "stall", "ms": 2500, "cut": 0.5, "path": "/services/data",
                   "after": 4}])"},
        Fault{"Reset", R"([{"kind": "reset", "cut": 0.3, "path": "/services/data", "after": 5}])"},
        Fault{"RepeatedRows",
              R"([{"kind": "repeat", "records": 5, "path": "/services/data", "count": -1}])"},
        Fault{"TouchedWhileReading",
              R"([{"kind": "touch", "table": "salesforce.Opportunity", "fraction": 0.05,
                   "path": "/services/data", "after": 4}])"}),
    [](const ::testing::TestParamInfo<Fault>& info) { return std::string(info.param.name); });

// A 200 whose body is not JSON: the run fails naming the page; nothing of that page is stored;
// the next run resumes from the cursor.
class SalesforceBadPage : public SalesforceSync,
                          public ::testing::WithParamInterface<const char*> {};

TEST_P(SalesforceBadPage, FailsClearlyStoresNothingOfThePageAndResumes) {
  // The first queryMore request is Opportunity page 2: Campaign and CampaignMember fit one page
  // each, Opportunity has 40 a page. The three objects are read side by side, so the fault is
  // aimed by path, not by the order of requests.
  simulator().set_faults(std::string(R"([{"kind": ")") + GetParam() +
                         R"(", "cut": 0.6, "path": "/services/data/v59.0/query/", "after": 0}])");
  auto failed = sync_one("sf");
  ASSERT_EQ(failed.outcome, hub::Outcome::failed);
  EXPECT_NE(failed.message.find("Salesforce Opportunity, page 2"), std::string::npos)
      << failed.message;
  EXPECT_NE(failed.message.find("not valid JSON"), std::string::npos) << failed.message;
  EXPECT_EQ(stored("opportunities"), 40);  // page 1 only
  EXPECT_EQ(stored("campaigns"), kCampaigns);
  auto resumed = sync_one("sf");
  ASSERT_EQ(resumed.outcome, hub::Outcome::succeeded) << resumed.message;
  EXPECT_EQ(resumed.summary.inserted, kOpportunities - 40);
  EXPECT_LE(resumed.summary.read, kOpportunities - 40 + 3);
  expect_everything_once();
}

INSTANTIATE_TEST_SUITE_P(Faults, SalesforceBadPage, ::testing::Values("truncate", "malformed"));

// An org whose Campaign.Status picklist has a value of its own: "In Progress" renamed
// "On Hold" on the way from the simulator (which serves only the default picklist).
class CustomPicklist : public hub::MeteredHttp {
 public:
  explicit CustomPicklist(std::unique_ptr<hub::MeteredHttp> inner) : inner_(std::move(inner)) {}
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    campaign_hub::HttpResponse response = inner_->send(request);
    const std::string from = R"("Status":"In Progress")";
    for (auto at = response.body.find(from); at != std::string::npos;
         at = response.body.find(from, at)) {
      response.body.replace(at, from.size(), R"("Status":"On Hold")");
    }
    return response;
  }
  hub::HttpCounters counters() const override { return inner_->counters(); }

 private:
  std::unique_ptr<hub::MeteredHttp> inner_;
};

TEST_F(SalesforceSync, UnknownCampaignStatusIsQuarantinedNamedThenReplayedWithAnOverride) {
  hub::HttpFactory custom = [](const std::string& json, campaign_hub::Logger& logger) {
    return std::unique_ptr<hub::MeteredHttp>(
        std::make_unique<CustomPicklist>(hub::connector_http_factory()(json, logger)));
  };
  hub::SyncEngine engine(config_, database(), plugins_, custom);
  auto result = engine.run({}).at(0);
  ASSERT_EQ(result.outcome, hub::Outcome::partial) << result.message;
  long long on_hold = stored("quarantine");
  ASSERT_GT(on_hold, 0);
  EXPECT_EQ(result.summary.quarantined, on_hold);
  EXPECT_EQ(stored("campaigns") + on_hold, kCampaigns);
  std::string reason = text("SELECT reason FROM quarantine WHERE instance = 'sf' LIMIT 1");
  EXPECT_NE(reason.find("unknown campaign status 'On Hold' from salesforce"), std::string::npos)
      << reason;
  EXPECT_EQ(stored("opportunities"), kOpportunities);  // the rest of the run went on

  config_.instances.at(0).status_overrides["campaign"]["On Hold"] = "paused";
  auto replayed = hub::replay_quarantine(config_, database(), plugins_, std::nullopt);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].stored, on_hold) << replayed[0].error;
  EXPECT_EQ(stored("campaigns", "status = 'paused' AND raw_status = 'On Hold'"), on_hold);
}

TEST_F(SalesforceSync, CheckAuthenticatesAndQueriesEveryObject) {
  hub::InstanceHost host("sf", "{}", with_sim(http_json()), {}, hub::connector_http_factory());
  auto result = Salesforce().check(host);
  EXPECT_TRUE(result.ok) << result.message;
  EXPECT_EQ(result.message.rfind("authenticated; Campaign, CampaignMember, Opportunity queryable "
                                 "(API v59.0, queryAll); API usage ",
                                 0),
            0u)
      << result.message;
}

TEST_F(SalesforceSync, CheckWithAWrongSecretFailsInOneLineWithoutTheSecret) {
  hub::InstanceHost host("sf", "{}", with_sim(http_json("not-the-secret-42")), {},
                         hub::connector_http_factory());
  auto result = Salesforce().check(host);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message,
            "Salesforce refused the OAuth2 client credentials (HTTP 400: invalid_client: invalid "
            "client credentials); check http.auth.token_url, client_id and client_secret");
  EXPECT_EQ(result.message.find("not-the-secret-42"), std::string::npos);
}

}  // namespace
}  // namespace salesforce
