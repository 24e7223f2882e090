// A loopback simulator of every provider API in ../shared/providers/, with fault injection.
// Tests start it in-process; the `provider-sim` program wraps it for the demo and benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace provider_sim {

struct Options {
  std::uint64_t seed = 42;
  std::int64_t campaigns = 50;        // per provider
  std::int64_t opportunities = 1000;  // Connect and Salesforce opportunities, HubSpot deals
  int page_size = 0;                  // 0: each provider's own default page size
  std::string faults_json;            // initial fault rules, as POST /_sim/faults takes them
  int threads = 16;                   // server worker threads
};

// What the simulator saw, for assertions (GET /_sim/stats gives the same).
struct Stats {
  std::int64_t requests = 0;
  std::int64_t max_in_flight = 0;
  std::int64_t faults_applied = 0;
  std::int64_t tokens_issued = 0;
  std::int64_t unauthorized = 0;
};

// What the simulator's webhook pushes did (GET /_sim/webhooks gives the same).
struct WebhookStats {
  std::int64_t events = 0;           // changes made and pushed
  std::int64_t deliveries = 0;       // genuine deliveries queued, duplicates included
  std::int64_t attempts = 0;         // POSTs of genuine deliveries, retries included
  std::int64_t delivered = 0;        // genuine deliveries answered 2xx
  std::int64_t bodies = 0;           // distinct bodies among those: what a receiver keeps once
  std::int64_t retried = 0;          // attempts answered otherwise, tried again later
  std::int64_t gave_up = 0;          // genuine deliveries the schedule ran out for
  std::int64_t forged = 0;           // deliveries signed with a wrong key
  std::int64_t forged_refused = 0;   // ... answered 401
  std::int64_t forged_accepted = 0;  // ... answered 2xx: a receiver bug
  std::int64_t queued = 0;           // not yet sent, or waiting for a retry
};

class Simulator {
 public:
  explicit Simulator(Options options);
  ~Simulator();  // stops the server, ending stalled answers
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Binds 127.0.0.1:`port` (0 picks a free one), serves on background threads, returns the port.
  // Throws std::runtime_error if it cannot bind.
  int start(int port = 0);
  void stop();
  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // The same as the control endpoints, for tests that drive the simulator directly.
  void set_faults(std::string_view json);  // throws std::invalid_argument on a bad rule
  std::int64_t touch(std::string_view table, double fraction);
  bool remove(std::string_view table, std::string_view id);
  void expire_tokens();
  Stats stats() const;
  void reset_stats();

  // Pushes webhooks as Connect does, or as Mailchimp or a HubSpot-style CRM does with
  // "provider" (POST /_sim/webhooks takes the same JSON: provider, url, secret, table, events,
  // records, batch, senders, retry_scale, duplicates, out_of_order, bad_signatures, seed; see
  // README.md). Answers how many events; throws std::invalid_argument on a bad plan.
  std::int64_t push_webhooks(std::string_view json);
  WebhookStats webhook_stats() const;
  // Until every queued delivery is delivered or given up, or `limit_ms`.
  bool webhooks_idle(int limit_ms);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The fixed credentials the simulator accepts (see README.md).
namespace credentials {
inline constexpr std::string_view connect_token = "sim-connect-token";
inline constexpr std::string_view mailchimp_key = "sim-mailchimp-key-us21";
inline constexpr std::string_view salesforce_client_id = "sim-client-id";
inline constexpr std::string_view salesforce_client_secret = "sim-client-secret";
inline constexpr std::string_view bntouch_key = "sim-bntouch-key";
inline constexpr std::string_view clover_token = "sim-clover-token";
inline constexpr std::string_view artis_user = "artis";
inline constexpr std::string_view artis_password = "sim-artis-password";
inline constexpr std::string_view medica_token = "sim-medica-token";
inline constexpr std::string_view hubspot_token = "sim-hubspot-token";
}  // namespace credentials

}  // namespace provider_sim
