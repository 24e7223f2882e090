// serve's webhook receiver over HTTP on a free loopback port, on each backend: per scheme, a
// valid request is kept (200) and its replay is not kept twice; a wrong key, a stale timestamp,
// a truncated body get 401 and keep nothing; an oversized body 413, an unexpected content
// type 415, an unknown instance 404; a database that cannot keep it 503 with Retry-After.
// What is kept never holds the signature or the URL's secret; /metrics counts each outcome.
#include "hub/webhooks/webhook_module.h"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <soci/soci.h>

#include "connectors/text/base64.h"
#include "hub/serve/metrics.h"
#include "hub/store/database.h"
#include "hub/store/migrations.h"
#include "hub/webhooks/signatures.h"
#include "tests/db-servers/backend_database.h"

namespace hub::webhooks {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kKey = "connect-signing-key-32-bytes-long";
const std::string kStandardSecret = "whsec_" + connectors::text::base64(kKey);
constexpr const char* kHubSpotSecret = "crm-client-secret";
constexpr const char* kPathSecret = "mailchimp-path-secret-0123456789";

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Config config_for(const std::string& database_url) {
  Config config;
  config.database_url = database_url;
  auto instance = [&](const std::string& name, const std::string& scheme,
                      const std::string& secret) {
    InstanceConfig out;
    out.name = name;
    out.plugin = name;
    WebhookConfig webhook;
    webhook.scheme = scheme;
    webhook.secret = secret;
    webhook.max_body_bytes = 4096;
    out.webhook = webhook;
    return out;
  };
  config.instances = {instance("connect", "standard-webhooks", kStandardSecret),
                      instance("crm", "hubspot-v3", kHubSpotSecret),
                      instance("mailchimp", "url-secret", kPathSecret)};
  InstanceConfig pull_only;
  pull_only.name = "pull-only";
  config.instances.push_back(pull_only);
  return config;
}

// Listens on a free port with only the webhook module, counting into its own metrics.
class Receiver {
 public:
  explicit Receiver(const Config& config) : module_(config, false) {
    ServeConfig serve;
    serve.listen = "127.0.0.1:0";
    listener_ = std::make_unique<HttpListener>(serve);
    module_.count_into(metrics_);
    listener_->attach(module_);
    listener_->start();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", listener_->port());
    client_->set_read_timeout(20, 0);
  }
  ~Receiver() { listener_->stop(); }

  httplib::Client& client() { return *client_; }
  int port() const { return listener_->port(); }
  std::string metrics() const { return metrics_.exposition(); }

 private:
  ServeMetrics metrics_;
  WebhookModule module_;
  std::unique_ptr<HttpListener> listener_;
  std::unique_ptr<httplib::Client> client_;
};

httplib::Headers standard_headers(const std::string& id, long long timestamp,
                                  const std::string& signed_body, const std::string& key = kKey) {
  const std::string signature =
      hmac_sha256_base64(key, id + "." + std::to_string(timestamp) + "." + signed_body);
  return {{"webhook-id", id},
          {"webhook-timestamp", std::to_string(timestamp)},
          {"webhook-signature", "v1," + signature}};
}

class WebhookReceiverTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { migrate(database_); }

  long long count(const std::string& where) {
    long long n = 0;
    database_.session() << "SELECT COUNT(*) FROM webhook_spool WHERE " + where, soci::into(n);
    return n;
  }
  std::string column(const std::string& name, const std::string& where) {
    std::string value;
    soci::indicator indicator;
    database_.session() << "SELECT " + name + " FROM webhook_spool WHERE " + where,
        soci::into(value, indicator);
    return indicator == soci::i_ok ? value : "";
  }

  test_support::BackendDatabase db_{GetParam()};
  Database database_{db_.url()};
};

TEST_P(WebhookReceiverTest, StandardWebhooksKeptOnceAndEveryBadRequestRefused) {
  Receiver receiver(config_for(db_.url()));
  const std::string body = R"({"type":"opportunity.updated","data":{"id":"opp-1"}})";
  const long long now = unix_now();

  auto sent = receiver.client().Post("/webhooks/connect", standard_headers("msg_1", now, body),
                                     body, "application/json");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 200) << sent->body;
  EXPECT_THAT(sent->body, HasSubstr("accepted"));
  EXPECT_EQ(count("instance = 'connect' AND delivery_id = 'msg_1' AND state = 'pending'"), 1);
  EXPECT_EQ(column("body", "delivery_id = 'msg_1'"), body);
  const std::string headers = column("headers", "delivery_id = 'msg_1'");
  EXPECT_THAT(headers, HasSubstr("webhook-id"));
  EXPECT_THAT(headers, Not(HasSubstr("webhook-signature")));

  // The provider's retry of the same delivery (a later attempt, signed again): 200, not kept.
  auto again = receiver.client().Post("/webhooks/connect", standard_headers("msg_1", now + 5, body),
                                      body, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_THAT(again->body, HasSubstr("duplicate"));
  EXPECT_EQ(count("instance = 'connect'"), 1);

  const std::string wrong_key = "another-key-of-thirty-three-bytes";
  const struct {
    const char* what;
    httplib::Headers headers;
    std::string body;
  } refused[] = {
      {"wrong key", standard_headers("msg_2", now, body, wrong_key), body},
      {"stale", standard_headers("msg_3", now - 301, body), body},
      {"truncated body", standard_headers("msg_4", now, body), body.substr(0, body.size() / 2)},
      {"unsigned", {{"webhook-id", "msg_5"}, {"webhook-timestamp", std::to_string(now)}}, body},
  };
  for (const auto& request : refused) {
    auto answer = receiver.client().Post("/webhooks/connect", request.headers, request.body,
                                         "application/json");
    ASSERT_TRUE(answer) << request.what;
    EXPECT_EQ(answer->status, 401) << request.what << ": " << answer->body;
    EXPECT_THAT(answer->body, Not(HasSubstr(kStandardSecret))) << request.what;
  }
  EXPECT_EQ(count("instance = 'connect'"), 1) << "a refused request was kept";

  const std::string big(5000, 'x');
  auto oversized = receiver.client().Post("/webhooks/connect", standard_headers("msg_6", now, big),
                                          big, "application/json");
  ASSERT_TRUE(oversized);
  EXPECT_EQ(oversized->status, 413);
  auto form = receiver.client().Post("/webhooks/connect", standard_headers("msg_7", now, body),
                                     body, "text/plain");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  for (const char* path : {"/webhooks/nobody", "/webhooks/pull-only"}) {
    auto unknown = receiver.client().Post(path, standard_headers("msg_8", now, body), body,
                                          "application/json");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404) << path;
  }
  EXPECT_EQ(count("1 = 1"), 1);

  const std::string metrics = receiver.metrics();
  EXPECT_THAT(metrics,
              HasSubstr(R"(campaign_hub_webhooks_total{instance="connect",outcome="accepted"} 1)"));
  EXPECT_THAT(
      metrics,
      HasSubstr(R"(campaign_hub_webhooks_total{instance="connect",outcome="duplicate"} 1)"));
  EXPECT_THAT(
      metrics,
      HasSubstr(R"(campaign_hub_webhooks_total{instance="connect",outcome="unauthorized"} 4)"));
  EXPECT_THAT(
      metrics,
      HasSubstr(R"(campaign_hub_webhooks_total{instance="connect",outcome="too_large"} 1)"));
  EXPECT_THAT(
      metrics,
      HasSubstr(R"(campaign_hub_webhooks_total{instance="",outcome="unknown_instance"} 2)"));
}

TEST_P(WebhookReceiverTest, HubSpotV3SignsTheUrlAsRequested) {
  Receiver receiver(config_for(db_.url()));
  const std::string body =
      R"([{"eventId":11,"subscriptionType":"deal.propertyChange","objectId":7}])";
  const std::string target = "/webhooks/crm?portal=42";
  const std::string millis = std::to_string(unix_now() * 1000 + 123);
  auto headers = [&](const std::string& secret, const std::string& url) {
    return httplib::Headers{
        {"X-HubSpot-Signature-v3", hmac_sha256_base64(secret, "POST" + url + body + millis)},
        {"X-HubSpot-Request-Timestamp", millis}};
  };
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + target;

  auto wrong =
      receiver.client().Post(target, headers("not-the-secret", url), body, "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto other_url = receiver.client().Post(target, headers(kHubSpotSecret, url + "&x=1"), body,
                                          "application/json");
  ASSERT_TRUE(other_url);
  EXPECT_EQ(other_url->status, 401);
  EXPECT_EQ(count("instance = 'crm'"), 0);

  auto kept =
      receiver.client().Post(target, headers(kHubSpotSecret, url), body, "application/json");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200) << kept->body;
  EXPECT_EQ(count("instance = 'crm'"), 1);
  EXPECT_EQ(column("query_text", "instance = 'crm'"), "portal=42");
  EXPECT_THAT(column("headers", "instance = 'crm'"), Not(HasSubstr("Signature")));
}

TEST_P(WebhookReceiverTest, UrlSecretKeepsMailchimpsFormAndNeverTheSecret) {
  Receiver receiver(config_for(db_.url()));
  const std::string path = std::string("/webhooks/mailchimp/") + kPathSecret;
  const std::string body =
      "type=campaign&fired_at=2026-03-26+21%3A31%3A21&data%5Bid%5D=5aa2102003&data%5Bstatus%5D="
      "sent";

  auto check = receiver.client().Get(path);  // Mailchimp checks the URL when it is registered
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, 200);
  auto wrong_check = receiver.client().Get("/webhooks/mailchimp/guess");
  ASSERT_TRUE(wrong_check);
  EXPECT_EQ(wrong_check->status, 401);

  for (const char* wrong : {"/webhooks/mailchimp/guess", "/webhooks/mailchimp"}) {
    auto refused = receiver.client().Post(wrong, body, "application/x-www-form-urlencoded");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401) << wrong;
  }
  auto kept = receiver.client().Post(path, body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200) << kept->body;
  auto retried = receiver.client().Post(path, body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(retried);
  EXPECT_THAT(retried->body, HasSubstr("duplicate"));
  EXPECT_EQ(count("instance = 'mailchimp'"), 1);
  EXPECT_EQ(column("body", "instance = 'mailchimp'"), body);
  EXPECT_EQ(column("path", "instance = 'mailchimp'"), "");
  EXPECT_EQ(count("headers LIKE '%" + std::string(kPathSecret) + "%' OR path LIKE '%" +
                  kPathSecret + "%'"),
            0);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookReceiverTest,
                         ::testing::ValuesIn(test_support::kBackends),
                         [](const auto& info) { return info.param; });

// A database that cannot keep the request: 503 with Retry-After, so the provider retries;
// the answer names no secret.
TEST(WebhookReceiver, ADatabaseThatCannotKeepTheRequestAnswers503) {
  Receiver receiver(config_for("sqlite3://db=/nonexistent-dir/hub.db"));
  const std::string body = R"({"type":"ping"})";
  auto answer = receiver.client().Post(
      "/webhooks/connect", standard_headers("msg_1", unix_now(), body), body, "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503);
  EXPECT_EQ(answer->get_header_value("Retry-After"), "5");
  EXPECT_THAT(
      receiver.metrics(),
      HasSubstr(R"(campaign_hub_webhooks_total{instance="connect",outcome="unavailable"} 1)"));
}

}  // namespace
}  // namespace hub::webhooks
