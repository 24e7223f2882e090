// The simulator pushing webhooks as Connect does (../shared/providers/webhooks.md, 1): each
// push makes real changes to a table (so that a later pull sees the same latest states), and
// sends one event per change as a Standard Webhooks-signed POST to the hub, from several sender
// threads; or as Mailchimp does (2): list webhooks about its campaigns, form bodies, unsigned,
// to a URL holding a secret; or as a HubSpot-style CRM does (3): JSON arrays of deal events,
// signed with X-HubSpot-Signature-v3. A delivery answered with anything but 2xx, or not
// answered, is retried on the provider's schedule (Connect's: 5 s, 5 min, 30 min, 2 h, 5 h,
// 10 h) multiplied by `retry_scale`, then given up. On request it also sends duplicates (the same
// delivery again, as a provider whose answer was lost does), deliveries out of order (some sent
// after every other), and forged ones (signed with a wrong key), which the hub must refuse.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "sim.h"

namespace provider_sim {

struct PushPlan {
  // connect: Standard Webhooks-signed JSON events. mailchimp: list webhooks, form bodies to a
  // URL whose last segment is the secret, after Mailchimp's GET check of the URL. hubspot:
  // arrays of deal events signed with X-HubSpot-Signature-v3 over the URL and the body.
  std::string provider = "connect";
  std::string url;  // "http://127.0.0.1:PORT/webhooks/NAME": loopback only
  // connect: "whsec_<base64 key>", as the hub's instance config holds it; hubspot: the app's
  // client secret, plain text.
  std::string secret;
  std::string table = "connect.opportunities";  // or "connect.campaigns"; hubspot.deals
  std::int64_t events = 100;
  int batch = 10;  // hubspot: at most this many events in one request (HubSpot sends up to 100)
  std::int64_t records = 0;  // distinct records changed; 0: a quarter of the events
  int senders = 8;
  double retry_scale = 0.001;
  double duplicates = 0;      // share of deliveries sent twice
  double out_of_order = 0;    // share sent after all the others
  double bad_signatures = 0;  // share of events also sent forged
  std::uint64_t seed = 7;

  // From POST /_sim/webhooks's JSON; throws std::invalid_argument naming the bad member.
  static PushPlan parse(std::string_view json);
};

class WebhookSender {
 public:
  explicit WebhookSender(Simulator::State& state);
  ~WebhookSender();  // stops the senders; what is queued is dropped
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Makes the plan's changes now and queues their deliveries; answers how many events.
  std::int64_t push(const PushPlan& plan);
  WebhookStats stats() const;
  // Until nothing is queued or being sent, or `limit`; answers whether it got there.
  bool wait_idle(std::chrono::milliseconds limit);
  void stop();

 private:
  struct Delivery {
    std::string url;
    std::string id;
    std::string body;
    std::string key;       // the HMAC key's bytes (a wrong one for a forged delivery)
    bool form = false;     // Mailchimp's: a form body, no signature
    bool hubspot = false;  // HubSpot's: `body` is built from `events` at each attempt
    // HubSpot's events, each an object without its closing brace: the attempt's attemptNumber
    // goes there, so that each retry is a new body with a new signature.
    std::vector<std::string> events;
    bool forged = false;
    int attempts = 0;
  };
  // The body of the delivery's next attempt.
  static std::string body_of(const Delivery& delivery);
  void send_loop();
  // Makes the plan's HubSpot deal events, hands each request's delivery to `queue`; answers how
  // many events. Called with mutex_ held.
  std::int64_t hubspot_events(const PushPlan& plan, Table& table, std::int64_t records, Dice& dice,
                              const std::function<void(Delivery)>& queue);

  Simulator::State& state_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Delivery> ready_;
  std::multimap<std::chrono::steady_clock::time_point, Delivery> retries_;
  std::vector<double> schedule_;  // seconds after each failed attempt, already scaled
  int busy_ = 0;
  bool stopping_ = false;
  std::int64_t next_id_ = 0;
  WebhookStats stats_;
  std::unordered_set<std::size_t> delivered_bodies_;  // hashes, for stats_.bodies
  std::vector<std::thread> senders_;
};

}  // namespace provider_sim
