// Issue 13's end-to-end trials: the simulator pushes 10,000 Connect events at full speed, signed,
// with duplicates, deliveries out of order and forged ones, into `campaign-hub serve` on a
// PostgreSQL server of the test's own, which is stopped (as a crash would) and started again
// midway. Nothing accepted may be lost or kept twice, every forged delivery is refused, and
// the state the events leave equals what a pull of the same provider reads. And Mailchimp's
// list webhooks, unsigned to a secret URL after its GET check, and a HubSpot-style CRM's signed
// deal events read back from its API, the same way on SQLite.
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "provider_sim/simulator.h"
#include "tests/e2e/hub_process.h"

namespace {

using namespace std::chrono_literals;
using test_support::ScopedProcess;

// base64 of the 24 bytes "campaign-hub-webhook-key", as Connect shows a secret.
constexpr const char* kSecret = "whsec_Y2FtcGFpZ24taHViLXdlYmhvb2sta2V5";

class ServeFixture : public test_support::HubProcessTest {
 protected:
  // Waits for serve, started with its output in `out`, to listen; answers its port.
  std::string serve_port(const test_support::fs::path& out) {
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    std::smatch match;
    std::string said;
    const bool up = eventually([&] {
      said = read(out);
      return std::regex_search(said, match, listening);
    });
    EXPECT_TRUE(up) << said;
    return up ? std::string(match[1]) : "0";
  }

  // Writes hub.json: the database at `database_url`, the plugins, serve on a free port
  // retrying a failed run after 1 s then 2 s (`serve_extra`, such as `, "max_parallel_runs":
  // 2`, adds to its settings), and the one instance `instance_json`.
  test_support::fs::path serve_config(const std::string& database_url,
                                      const std::string& instance_json,
                                      const std::string& serve_extra = "") {
    return write_text("hub.json", R"({"database": {"url": ")" + database_url +
                                      R"("}, "plugin_dir": ")" + CAMPAIGN_HUB_PLUGIN_DIR +
                                      R"(", "logging": {"level": "info"}, "serve": {"listen": )"
                                      R"("127.0.0.1:0", "retry_first_seconds": 1, )"
                                      R"("retry_max_seconds": 2)" +
                                      serve_extra + R"(}, "instances": [)" + instance_json + "]}");
  }
};

class WebhookIntakeTest : public ServeFixture {
 protected:
  void SetUp() override {
    ServeFixture::SetUp();
    // Short: the server's unix socket path must stay under 108 bytes.
    servers_ = test_support::fs::temp_directory_path() / ("chpg-" + std::to_string(::getpid()));
    const std::string start = "timeout 120 " + std::string(CAMPAIGN_HUB_SOURCE_DIR) +
                              "/tests/db-servers/start.sh " + servers_.string() + " postgresql > " +
                              (dir_ / "pg.log").string() + " 2>&1";
    ASSERT_EQ(std::system(start.c_str()), 0) << read(dir_ / "pg.log");
    std::istringstream lines(read(servers_ / "servers.env"));
    for (std::string line; std::getline(lines, line);) {
      const auto equals = line.find('=');
      settings_[line.substr(0, equals)] = line.substr(equals + 1);
    }
  }
  void TearDown() override {
    const std::string stop = std::string(CAMPAIGN_HUB_SOURCE_DIR) + "/tests/db-servers/stop.sh " +
                             servers_.string() + " > /dev/null 2>&1";
    (void)std::system(stop.c_str());
    ServeFixture::TearDown();
  }

  bool ctl(const std::string& what) {
    return std::system(("timeout 60 " + settings_["postgresql_ctl"] + " " + what).c_str()) == 0;
  }

  long long count_or(const std::string& sql, long long otherwise) {
    try {
      return count(settings_["postgresql"], sql);
    } catch (const std::exception&) {
      return otherwise;  // the server is down, or the schema not there yet
    }
  }

  test_support::fs::path servers_;
  std::map<std::string, std::string> settings_;
};

TEST_F(WebhookIntakeTest, TenThousandPushedThroughADatabaseRestartLoseAndDoubleNothing) {
  provider_sim::Options options;
  options.campaigns = 20;
  options.opportunities = 2000;
  provider_sim::Simulator simulator(options);
  simulator.start();
  const auto config =
      serve_config(settings_["postgresql"],
                   R"({"name": "connect", "plugin": "connect-scouting", "batch_size": 200, )"
                   R"("settings": {"page_size": 500}, "http": {"base_url": ")" +
                       simulator.base_url() +
                       R"(", "auth": {"type": "bearer", "token": "sim-connect-token"}}, )"
                       R"("webhook": {"scheme": "standard-webhooks", "secret": ")" +
                       kSecret + R"("}})",
                   R"(, "max_parallel_runs": 2)");
  ScopedProcess serve(start(config, {"serve"}, dir_ / "serve.out"));
  const std::string port = serve_port(dir_ / "serve.out");

  const std::int64_t events = simulator.push_webhooks(
      R"({"url": "http://127.0.0.1:)" + port + R"(/webhooks/connect", "secret": ")" + kSecret +
      R"(", "events": 10000, "records": 1500, "senders": 16, "retry_scale": 0.001, )"
      R"("duplicates": 0.02, "out_of_order": 0.05, "bad_signatures": 0.01})");
  ASSERT_EQ(events, 10000);

  // Midway, the database stops as a crash would, and comes back 3 s later.
  ASSERT_TRUE(eventually([&] { return simulator.webhook_stats().delivered >= 3000; }, 60s))
      << read(dir_ / "serve.out");
  ASSERT_TRUE(ctl("stop")) << "could not stop PostgreSQL";
  const auto delivered_at_stop = simulator.webhook_stats().delivered;
  std::this_thread::sleep_for(3s);
  ASSERT_TRUE(ctl("start")) << "could not start PostgreSQL again";

  ASSERT_TRUE(simulator.webhooks_idle(120'000)) << "deliveries still queued";
  const provider_sim::WebhookStats pushed = simulator.webhook_stats();
  EXPECT_LT(delivered_at_stop, pushed.deliveries) << "the outage came before the last delivery";
  EXPECT_GT(pushed.retried, 0) << "the outage was answered 503, and retried";
  EXPECT_EQ(pushed.gave_up, 0);
  EXPECT_EQ(pushed.delivered, pushed.deliveries) << "every genuine delivery answered 2xx";
  EXPECT_GT(pushed.deliveries, events) << "duplicates were sent";
  EXPECT_GT(pushed.forged, 0);
  EXPECT_EQ(pushed.forged_refused, pushed.forged);
  EXPECT_EQ(pushed.forged_accepted, 0);

  // Kept once each, and all ingested.
  EXPECT_TRUE(eventually(
      [&] { return count_or("SELECT COUNT(*) FROM webhook_spool WHERE state <> 'taken'", 1) == 0; },
      120s))
      << read(dir_ / "serve.out");
  EXPECT_EQ(count_or("SELECT COUNT(*) FROM webhook_spool", -1), events) << "0 lost, 0 doubled";
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait(30s), 0) << read(dir_ / "serve.out");

  // A pull of the same provider finds every state the events left as it lists it.
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "pull.out")), 0) << read(dir_ / "pull.out");
  EXPECT_EQ(count(settings_["postgresql"],
                  "SELECT updated FROM runs WHERE state = 'succeeded' ORDER BY id DESC LIMIT 1"),
            0)
      << read(dir_ / "pull.out");
  EXPECT_GT(count(settings_["postgresql"],
                  "SELECT unchanged FROM runs WHERE state = 'succeeded' ORDER BY id DESC LIMIT 1"),
            1000)
      << "the records the events wrote were listed unchanged";
  EXPECT_EQ(count(settings_["postgresql"], "SELECT COUNT(*) FROM quarantine"), 0);
}

class MailchimpPushTest : public ServeFixture {};

TEST_F(MailchimpPushTest, ListWebhooksThroughServeEndAsAPullWouldLeaveThem) {
  provider_sim::Options options;
  options.campaigns = 12;
  provider_sim::Simulator simulator(options);
  simulator.start();
  const std::string secret = "mailchimp-url-secret-0123456789";
  const auto config = serve_config(
      url("hub.db"),
      R"({"name": "mc", "plugin": "mailchimp", )"
      R"("settings": {"page_size": 5, "report_refresh_days": 0}, "http": {"base_url": ")" +
          simulator.base_url() +
          R"(/3.0", "auth": {"type": "basic", "username": "hub", "password": )"
          R"("sim-mailchimp-key-us21"}}, "webhook": {"scheme": "url-secret", "secret": ")" +
          secret + R"("}})");
  ScopedProcess serve(start(config, {"serve"}, dir_ / "serve.out"));
  const std::string port = serve_port(dir_ / "serve.out");

  // A wrong secret fails Mailchimp's GET check: the webhook is never created.
  EXPECT_THROW(simulator.push_webhooks(R"({"provider": "mailchimp", "url": "http://127.0.0.1:)" +
                                       port + R"(/webhooks/mc/wrong-secret", "events": 1})"),
               std::invalid_argument);
  const std::int64_t events = simulator.push_webhooks(
      R"({"provider": "mailchimp", "url": "http://127.0.0.1:)" + port + "/webhooks/mc/" + secret +
      R"(", "events": 300, "records": 12, "senders": 4, "duplicates": 0.05, )"
      R"("out_of_order": 0.1, "bad_signatures": 0.05})");
  ASSERT_EQ(events, 300);
  ASSERT_TRUE(simulator.webhooks_idle(60'000));
  const provider_sim::WebhookStats pushed = simulator.webhook_stats();
  EXPECT_EQ(pushed.delivered, pushed.deliveries);
  EXPECT_GT(pushed.forged, 0);
  EXPECT_EQ(pushed.forged_refused, pushed.forged) << "a guessed URL secret is refused";
  EXPECT_TRUE(eventually([&] {
    try {
      return count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'pending'") == 0;
    } catch (const std::exception&) {
      return false;
    }
  })) << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool"), events)
      << "a duplicate is the same body: kept once";
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'failed'"), 0);
  EXPECT_GT(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'ignored'"), 0)
      << "subscribes are no campaign's";
  EXPECT_GT(count("hub.db", "SELECT COUNT(*) FROM metrics_snapshots"), 0);
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait(30s), 0) << read(dir_ / "serve.out");

  // The campaigns and figures the events read back are what a pull reads.
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "pull.out")), 0) << read(dir_ / "pull.out");
  const std::string pull = "FROM runs ORDER BY id DESC LIMIT 1";  // after serve's ingestions
  // serve's ingestions say "webhooks" in their details; the pull's say "reports".
  ASSERT_EQ(count("hub.db", "SELECT COUNT(*) FROM (SELECT state, details " + pull +
                                ") WHERE state = 'succeeded' AND (details IS NULL OR details "
                                "NOT LIKE '%webhooks%')"),
            1)
      << read(dir_ / "pull.out");
  EXPECT_EQ(count("hub.db", "SELECT updated " + pull), 0) << read(dir_ / "pull.out");
}

// A HubSpot-style CRM described with rest-json (webhooks.md, 3): JSON arrays of deal events
// signed with X-HubSpot-Signature-v3 over the URL and the body, each change read back from the
// CRM's API, deletions kept as tombstones.
class HubSpotPushTest : public ServeFixture {};

// The mapping: a `deals` stream reading the CRM's list, and what each pushed event makes.
constexpr const char* kHubSpotMapping = R"json({
  "provider": "HubSpot (simulated)",
  "streams": [{
    "name": "deals", "entity": "opportunity",
    "request": {"path": "/crm/v3/objects/deals",
                "query": {"limit": "100",
                          "properties": "dealname,amount,dealstage,pipeline,closedate"}},
    "records": "/results",
    "paging": {"kind": "cursor", "next": "/paging/next/after", "param": "after"},
    "fields": {"external_id": "/id", "title": "/properties/dealname",
               "amount": "/properties/amount", "status": "/properties/dealstage",
               "updated_at": "/properties/hs_lastmodifieddate"},
    "attributes": {"pipeline": "/properties/pipeline", "closedate": "/properties/closedate"},
    "statuses": {"map": {"appointmentscheduled": "active", "qualifiedtobuy": "active",
                         "presentationscheduled": "active", "decisionmakerboughtin": "active",
                         "contractsent": "active", "closedwon": "won", "closedlost": "declined"}}
  }],
  "webhook": {
    "scheme": "hubspot-v3", "events": "", "type": "/subscriptionType",
    "on": {
      "deal.creation": {"stream": "deals",
        "fetch": {"path": "/crm/v3/objects/deals/{/objectId}",
                  "query": {"properties": "dealname,amount,dealstage,pipeline,closedate"}}},
      "deal.propertyChange": {"stream": "deals",
        "fetch": {"path": "/crm/v3/objects/deals/{/objectId}",
                  "query": {"properties": "dealname,amount,dealstage,pipeline,closedate"}}},
      "deal.deletion": {"stream": "deals",
        "delete": {"external_id": "/objectId",
                   "updated_at": {"pointer": "/occurredAt", "format": "epoch_milliseconds"}}}
    }
  }
})json";

TEST_F(HubSpotPushTest, DealEventsThroughServeEndAsAPullWouldLeaveThem) {
  provider_sim::Options options;
  options.opportunities = 600;  // deals
  provider_sim::Simulator simulator(options);
  simulator.start();
  const std::string secret = "hubspot-client-secret-6f1d2c";
  const auto mapping = write_text("hubspot.json", kHubSpotMapping);
  const auto config = serve_config(
      url("hub.db"), R"({"name": "crm", "plugin": "rest-json", "settings": {"mapping": ")" +
                         mapping.string() + R"("}, "http": {"base_url": ")" + simulator.base_url() +
                         R"(", "auth": {"type": "bearer", "token": "sim-hubspot-token"}}, )"
                         R"("webhook": {"scheme": "hubspot-v3", "secret": ")" +
                         secret + R"("}})");
  ScopedProcess serve(start(config, {"serve"}, dir_ / "serve.out"));
  const std::string port = serve_port(dir_ / "serve.out");

  const std::int64_t events = simulator.push_webhooks(
      R"({"provider": "hubspot", "url": "http://127.0.0.1:)" + port +
      R"(/webhooks/crm", "secret": ")" + secret +
      R"(", "events": 400, "records": 150, "batch": 8, "senders": 4, "duplicates": 0.05, )"
      R"("out_of_order": 0.1, "bad_signatures": 0.05})");
  ASSERT_EQ(events, 400);
  ASSERT_TRUE(simulator.webhooks_idle(60'000)) << read(dir_ / "serve.out");
  const provider_sim::WebhookStats pushed = simulator.webhook_stats();
  EXPECT_EQ(pushed.delivered, pushed.deliveries) << "every genuine delivery answered 2xx";
  EXPECT_EQ(pushed.gave_up, 0);
  EXPECT_GT(pushed.deliveries, pushed.bodies) << "duplicates were sent";
  EXPECT_GT(pushed.forged, 0);
  EXPECT_EQ(pushed.forged_refused, pushed.forged) << "a wrong client secret is refused";
  EXPECT_EQ(pushed.forged_accepted, 0);

  EXPECT_TRUE(eventually([&] {
    try {
      return count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'pending'") == 0;
    } catch (const std::exception&) {
      return false;
    }
  })) << read(dir_ / "serve.out");
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool"), pushed.bodies)
      << "a duplicate is the same body: kept once";
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'failed'"), 0)
      << read(dir_ / "serve.out");
  EXPECT_GT(count("hub.db", "SELECT COUNT(*) FROM webhook_spool WHERE state = 'taken'"), 0);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM quarantine"), 0);
  const long long live = count("hub.db", "SELECT COUNT(*) FROM opportunities WHERE deleted = 0");
  const long long tombstones =
      count("hub.db", "SELECT COUNT(*) FROM opportunities WHERE deleted = 1");
  EXPECT_GT(live, 50) << "deals read back after their events";
  EXPECT_GT(tombstones, 0) << "deal.deletion events";
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait(30s), 0) << read(dir_ / "serve.out");

  // The list gives every deal the events wrote as they left it, none of the deleted ones, and
  // the deals no event named, new to the hub.
  ASSERT_EQ(wait_for(start(config, {"sync"}, dir_ / "pull.out")), 0) << read(dir_ / "pull.out");
  const std::string pull = "FROM runs ORDER BY id DESC LIMIT 1";  // after serve's ingestions
  // rest-json's pull has no details; serve's ingestions say "webhooks" in theirs.
  ASSERT_EQ(count("hub.db", "SELECT COUNT(*) FROM (SELECT state, details " + pull +
                                ") WHERE state = 'succeeded' AND (details IS NULL OR details "
                                "NOT LIKE '%webhooks%')"),
            1)
      << read(dir_ / "pull.out");
  EXPECT_EQ(count("hub.db", "SELECT updated " + pull), 0) << read(dir_ / "pull.out");
  EXPECT_EQ(count("hub.db", "SELECT unchanged " + pull), live);
  EXPECT_EQ(count("hub.db", "SELECT inserted " + pull), options.opportunities - live - tombstones);
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM opportunities WHERE deleted = 1"), tombstones)
      << "tombstoned deals stay deleted";
  EXPECT_EQ(count("hub.db", "SELECT COUNT(*) FROM quarantine"), 0);
}

}  // namespace
