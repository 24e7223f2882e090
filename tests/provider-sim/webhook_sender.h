// The simulator pushing webhooks as Connect does (../shared/providers/webhooks.md, 1): each
// push makes real changes to a table (so that a later pull sees the same latest states), and
// sends one event per change as a Standard Webhooks-signed POST to the hub, from several sender
// threads; or as Mailchimp does (2): list webhooks about its campaigns, form bodies, unsigned,
// to a URL holding a secret. A delivery answered with anything but 2xx, or not answered, is retried
// on Connect's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) multiplied by `retry_scale`, then
// given up. On request it also sends duplicates (the same delivery again, as a provider whose
// answer was lost does), deliveries out of order (some sent after every other), and forged ones
// (signed with a wrong key), which the hub must refuse.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim.h"

namespace provider_sim {

struct PushPlan {
  // connect: Standard Webhooks-signed JSON events. mailchimp: list webhooks, form bodies to a
  // URL whose last segment is the secret, after Mailchimp's GET check of the URL.
  std::string provider = "connect";
  std::string url;     // "http://127.0.0.1:PORT/webhooks/NAME": loopback only
  std::string secret;  // connect: "whsec_<base64 key>", as the hub's instance config holds it
  std::string table = "connect.opportunities";  // or "connect.campaigns"
  std::int64_t events = 100;
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
    std::string key;    // the HMAC key's bytes (a wrong one for a forged delivery)
    bool form = false;  // Mailchimp's: a form body, no signature
    bool forged = false;
    int attempts = 0;
  };
  void send_loop();

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
  std::vector<std::thread> senders_;
};

}  // namespace provider_sim
