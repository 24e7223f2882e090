// The whole hub against the provider simulator, with one mailchimp instance "mc" and helpers
// that read what landed in the database. Shared by sync_test.cpp and faults_test.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/model/time.h"
#include "hub/sync/http_factory.h"
#include "tests/support/sync_fixture.h"

namespace mailchimp_test {

// The simulator's credentials, as an operator would write them (real configs use ${env:...}).
inline const std::string kHttpAuth =
    R"("auth": {"type": "basic", "username": "campaign-hub", "password": "sim-mailchimp-key-us21"})";
// Short retries and timeouts, so that the fault tests stay fast.
inline const std::string kHttpLimits =
    R"("max_in_flight": 4,
       "timeouts": {"connect_ms": 2000, "request_ms": 3000, "low_speed_seconds": 1},
       "retries": {"max_attempts": 4, "base_delay_ms": 5, "max_delay_ms": 40,
                   "max_total_wait_ms": 3000})";

// The connector with a hook that may rewrite each answer: a provider state the simulator cannot
// produce (a campaign whose figures moved, a status it does not send).
class RewritingHttp : public hub::MeteredHttp {
 public:
  using Rewrite = std::function<void(const std::string& url, campaign_hub::HttpResponse&)>;
  RewritingHttp(std::unique_ptr<hub::MeteredHttp> inner, Rewrite rewrite)
      : inner_(std::move(inner)), rewrite_(std::move(rewrite)) {}
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    auto response = inner_->send(request);
    if (rewrite_) {
      rewrite_(request.url, response);
    }
    return response;
  }
  hub::HttpCounters counters() const override { return inner_->counters(); }

 private:
  std::unique_ptr<hub::MeteredHttp> inner_;
  Rewrite rewrite_;
};

// Applies `change` to each campaign object of a list page (GET campaigns...).
inline void rewrite_campaigns(
    campaign_hub::HttpResponse& response,
    const std::function<void(rapidjson::Value& campaign, rapidjson::Document& page)>& change) {
  rapidjson::Document page;
  page.Parse<rapidjson::kParseFullPrecisionFlag>(response.body.c_str());
  for (auto& campaign : page["campaigns"].GetArray()) {
    change(campaign, page);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  page.Accept(writer);
  response.body.assign(buffer.GetString(), buffer.GetSize());
}

class MailchimpSimTest : public test_support::SyncFixture {
 protected:
  // Instance "mc": 12 simulated campaigns, read 5 a page.
  void configure_mailchimp(
      const std::string& settings = R"({"page_size": 5, "report_refresh_days": 0})",
      const std::string& auth = kHttpAuth) {
    configure(R"([{"name": "mc", "plugin": "mailchimp", "settings": )" + settings +
              R"(, "http": {"base_url": "${SIM}/3.0", )" + auth + ", " + kHttpLimits + "}}]");
  }

  // A sync whose connector answers go through `rewrite` first; with `webhooks`, the ingestion
  // of the requests kept for "mc" (sync --webhooks).
  hub::InstanceResult sync_rewritten(RewritingHttp::Rewrite rewrite, bool webhooks = false) {
    auto real = hub::connector_http_factory();
    hub::HttpFactory factory = [real, rewrite](const std::string& json,
                                               campaign_hub::Logger& logger) {
      return std::unique_ptr<hub::MeteredHttp>(
          std::make_unique<RewritingHttp>(real(json, logger), rewrite));
    };
    hub::SyncEngine engine(config_, *database_, plugins_, factory);
    hub::SyncOptions options;
    options.instances = {"mc"};
    options.webhooks = webhooks;
    return engine.run(options).at(0);
  }

  // Keeps a list webhook for "mc" as serve's receiver does (a form body, as Mailchimp posts).
  void keep(const std::string& delivery_id, const std::string& body) {
    const std::string received_at = hub::utc_now();
    database().session() << "INSERT INTO webhook_spool (instance, delivery_id, received_at, "
                            "method, path, query_text, headers, body, body_encoding, state) "
                            "VALUES ('mc', :d, :r, 'POST', '', '', "
                            "'{\"Content-Type\": \"application/x-www-form-urlencoded\"}', :b, "
                            "'text', 'pending')",
        soci::use(delivery_id), soci::use(received_at), soci::use(body);
  }

  long long campaigns() { return count("SELECT COUNT(*) FROM campaigns WHERE instance = 'mc'"); }
  long long snapshots() { return count("SELECT COUNT(*) FROM metrics_snapshots"); }
  // Campaigns the simulator has a report for (sent, or being sent, cancelled or archived after).
  long long reported() {
    return count(
        "SELECT COUNT(*) FROM campaigns WHERE deleted = 0 AND raw_status IN "
        "('sending', 'sent', 'canceling', 'archived')");
  }
  std::string saved_cursor() {
    return text("SELECT cursor_value FROM cursors WHERE instance = 'mc' AND stream = 'campaigns'");
  }
  // Everything stored, in one comparable text: campaign rows and every metrics snapshot.
  std::string stored() {
    return text(
               "SELECT group_concat(external_id || '|' || IFNULL(status, '-') || '|' || "
               "raw_status || '|' || deleted || '|' || IFNULL(raw, '-'), '\n') FROM (SELECT * "
               "FROM campaigns ORDER BY external_id)") +
           "\n" +
           text(
               "SELECT group_concat(campaign_external_id || '|' || sent || '|' || opens || '|' "
               "|| unique_opens || '|' || clicks || '|' || bounces || '|' || unsubscribes || "
               "'|' || abuse_reports, '\n') FROM (SELECT * FROM metrics_snapshots ORDER BY "
               "campaign_external_id, id)");
  }
};

}  // namespace mailchimp_test
