#include "webhook_sender.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <rapidjson/document.h>
#include <algorithm>
#include <array>
#include <cctype>

#include "ids.h"

namespace provider_sim {
namespace {

// Connect's retry schedule (webhooks.md): after each failed attempt, then it gives up.
constexpr std::array<double, 6> kConnectSchedule = {5, 300, 1800, 7200, 18000, 36000};
// Mailchimp "does not retry failed deliveries for long" (webhooks.md); its exact times are not
// published: three tries within a few minutes, ours.
constexpr std::array<double, 3> kMailchimpSchedule = {15, 60, 300};
// HubSpot retries a notification up to 10 times over the next 24 hours, with randomized delays
// growing between tries (webhooks.md gives no schedule). Ours is fixed, for deterministic tests:
// 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 3 h, 4 h, 6 h, 7 h (23.85 h in all).
constexpr std::array<double, 10> kHubSpotSchedule = {60,   300,   900,   1800,  3600,
                                                     7200, 10800, 14400, 21600, 25200};
// The subscriptions a HubSpot app has for deals, one id each (as its events carry them).
constexpr std::int64_t kHubSpotAppId = 1160452;
constexpr std::int64_t kCreationSubscription = 2417581;
constexpr std::int64_t kPropertyChangeSubscription = 2417582;
constexpr std::int64_t kDeletionSubscription = 2417583;

std::string hmac_base64(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &size);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

// "http://127.0.0.1:8080/webhooks/x" -> ("http://127.0.0.1:8080", "/webhooks/x").
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto path = url.find('/', url.find("://") + 3);
  return {url.substr(0, path), path == std::string::npos ? "/" : url.substr(path)};
}

double number_or(const rapidjson::Value& object, const char* name, double fallback) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd())
    return fallback;
  if (!found->value.IsNumber())
    throw std::invalid_argument(std::string(name) + " must be a number");
  return found->value.GetDouble();
}

std::string text_or(const rapidjson::Value& object, const char* name, const std::string& fallback) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd())
    return fallback;
  if (!found->value.IsString())
    throw std::invalid_argument(std::string(name) + " must be a string");
  return found->value.GetString();
}

}  // namespace

PushPlan PushPlan::parse(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject())
    throw std::invalid_argument("expected a JSON object");
  PushPlan plan;
  plan.url = text_or(document, "url", "");
  if (!plan.url.starts_with("http://127.0.0.1:") && !plan.url.starts_with("https://127.0.0.1:"))
    throw std::invalid_argument(
        "url must be http://127.0.0.1:PORT/...: the simulator pushes "
        "to loopback only");
  plan.provider = text_or(document, "provider", plan.provider);
  if (plan.provider == "mailchimp") {
    plan.table = tables::mailchimp_campaigns;  // the URL holds the secret: Mailchimp signs nothing
  } else if (plan.provider == "connect") {
    plan.secret = text_or(document, "secret", "");
    if (!plan.secret.starts_with("whsec_") || !base64_decode(plan.secret.substr(6)))
      throw std::invalid_argument("secret must be whsec_ and the key in base64");
    plan.table = text_or(document, "table", plan.table);
    if (plan.table != tables::connect_opportunities && plan.table != tables::connect_campaigns)
      throw std::invalid_argument("table must be connect.opportunities or connect.campaigns");
  } else if (plan.provider == "hubspot") {
    plan.secret = text_or(document, "secret", "");
    if (plan.secret.empty())
      throw std::invalid_argument("secret must be the app's client secret");
    plan.table = tables::hubspot_deals;
    plan.batch = static_cast<int>(number_or(document, "batch", plan.batch));
    if (plan.batch < 1 || plan.batch > 100)
      throw std::invalid_argument("batch must be 1 to 100 events");
  } else {
    throw std::invalid_argument("provider must be connect, mailchimp or hubspot");
  }
  plan.events = static_cast<std::int64_t>(number_or(document, "events", 100));
  plan.records = static_cast<std::int64_t>(number_or(document, "records", 0));
  plan.senders = static_cast<int>(number_or(document, "senders", 8));
  plan.retry_scale = number_or(document, "retry_scale", plan.retry_scale);
  plan.duplicates = number_or(document, "duplicates", 0);
  plan.out_of_order = number_or(document, "out_of_order", 0);
  plan.bad_signatures = number_or(document, "bad_signatures", 0);
  plan.seed = static_cast<std::uint64_t>(number_or(document, "seed", 7));
  if (plan.events < 1 || plan.events > 10'000'000 || plan.senders < 1 || plan.senders > 64 ||
      plan.retry_scale < 0 || plan.records < 0)
    throw std::invalid_argument(
        "events must be 1 to 10,000,000, senders 1 to 64, records and retry_scale not negative");
  return plan;
}

WebhookSender::WebhookSender(Simulator::State& state) : state_(state) {}

WebhookSender::~WebhookSender() {
  stop();
}

void WebhookSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& sender : senders_) {
    if (sender.joinable())
      sender.join();
  }
  senders_.clear();
}

namespace {

// "a b&c" -> "a+b%26c", as an HTML form writes a value.
std::string form_value(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Mailchimp's fired_at: "YYYY-MM-DD HH:MM:SS" in UTC.
std::string fired_at(Epoch t) {
  std::string text = rfc3339(t);
  return text.substr(0, 10) + " " + text.substr(11, 8);
}

// A list webhook about campaign `id`: mostly unsubscribes from it, some cleaned addresses, a
// few audience events no campaign caused, and the campaign's own sending status.
std::string list_event(Dice& dice, const std::string& id, std::int64_t n) {
  const std::string email = "reader" + std::to_string(n) + "@client.example";
  const std::string when = form_value(fired_at(1'767'225'600 + n));
  switch (dice.below(10)) {
    case 0:
      return "type=campaign&fired_at=" + when + "&data%5Bid%5D=" + id +
             "&data%5Bsubject%5D=" + form_value("Nouveautés & offres") +
             "&data%5Bstatus%5D=sent&data%5Breason%5D=&data%5Blist_id%5D=a6b5da1054";
    case 1:
      return "type=subscribe&fired_at=" + when + "&data%5Bemail%5D=" + form_value(email) +
             "&data%5Blist_id%5D=a6b5da1054";
    case 2:
      return "type=cleaned&fired_at=" + when +
             "&data%5Breason%5D=hard&data%5Bcampaign_id%5D=" + id +
             "&data%5Bemail%5D=" + form_value(email);
    default:
      return "type=unsubscribe&fired_at=" + when +
             "&data%5Baction%5D=unsub&data%5Breason%5D=manual&data%5Bcampaign_id%5D=" + id +
             "&data%5Bemail%5D=" + form_value(email) + "&data%5Blist_id%5D=a6b5da1054";
  }
}

// The same URL with a wrong last segment: a guess at a url-secret.
std::string guessed_url(const std::string& url) {
  return url.substr(0, url.rfind('/') + 1) + "guess";
}

}  // namespace

std::int64_t WebhookSender::push(const PushPlan& plan) {
  Table& table = state_.table(plan.table);
  if (table.count() == 0)
    throw std::invalid_argument(plan.table + " has no records");
  const bool mailchimp = plan.provider == "mailchimp";
  if (mailchimp) {
    // Mailchimp checks the URL with a GET when the webhook is created, and refuses it unless
    // it answers 200.
    const auto [host, path] = split_url(plan.url);
    httplib::Client client(host);
    client.set_connection_timeout(2, 0);
    auto check = client.Get(path);
    if (!check || check->status != 200) {
      throw std::invalid_argument("the URL did not answer 200 to Mailchimp's GET check (" +
                                  (check ? std::to_string(check->status) : "no answer") + ")");
    }
  }
  const bool hubspot = plan.provider == "hubspot";
  const std::string key = mailchimp ? ""
                          : hubspot ? plan.secret
                                    : *base64_decode(plan.secret.substr(6));
  const bool campaigns = plan.table == tables::connect_campaigns;
  const std::int64_t records = std::min(
      table.count(), plan.records > 0 ? plan.records : std::max<std::int64_t>(1, plan.events / 4));
  Dice dice(plan.seed, 99, plan.events);
  auto chance = [&dice](double share) {
    return share > 0 && static_cast<double>(dice.below(1'000'000)) < share * 1'000'000.0;
  };

  std::vector<Delivery> first, last;  // in order; then those sent after all the others
  // One genuine delivery (and, by chance, its forged twin and its duplicate) in the queues.
  auto queue = [&](Delivery delivery) {
    if (chance(plan.bad_signatures)) {
      Delivery forged = delivery;
      forged.id = "msg_forged_" + std::to_string(++next_id_);
      if (mailchimp) {
        forged.url = guessed_url(plan.url);
      } else {
        forged.key = key + "x";
      }
      forged.forged = true;
      first.push_back(std::move(forged));
      ++stats_.forged;
    }
    if (chance(plan.duplicates)) {
      last.push_back(delivery);
      ++stats_.deliveries;
    }
    ++stats_.deliveries;
    (chance(plan.out_of_order) ? last : first).push_back(std::move(delivery));
  };
  std::int64_t events = 0;
  std::lock_guard lock(mutex_);
  if (hubspot) {
    events = hubspot_events(plan, table, records, dice, queue);
  }
  for (std::int64_t i = 0; !hubspot && i < plan.events; ++i) {
    std::string body;
    if (mailchimp) {
      // Unsubscribes change no simulated record: the report's figures are what they are.
      body = list_event(dice, record_id(plan.table, dice.below(records)), next_id_ + 1);
    } else {
      auto row = table.touch_one(dice.below(records));
      if (!row)
        continue;  // deleted meanwhile: no event
      body = std::string(R"({"type":")") +
             (campaigns ? "campaign.updated" : "opportunity.updated") + R"(","occurred_at":")" +
             rfc3339(row->updated) + R"(","data":)" + connect_record_json(state_, table, *row) +
             "}";
    }
    ++events;
    Delivery delivery;
    delivery.url = plan.url;
    delivery.id = "msg_" + std::to_string(++next_id_);
    delivery.body = std::move(body);
    delivery.key = key;
    delivery.form = mailchimp;
    queue(std::move(delivery));
  }
  stats_.events += events;
  for (auto& each : first)
    ready_.push_back(std::move(each));
  for (auto& each : last)
    ready_.push_back(std::move(each));
  schedule_.clear();
  for (double seconds :
       mailchimp ? std::vector<double>(kMailchimpSchedule.begin(), kMailchimpSchedule.end())
       : hubspot ? std::vector<double>(kHubSpotSchedule.begin(), kHubSpotSchedule.end())
                 : std::vector<double>(kConnectSchedule.begin(), kConnectSchedule.end()))
    schedule_.push_back(seconds * plan.retry_scale);
  stopping_ = false;
  while (static_cast<int>(senders_.size()) < plan.senders)
    senders_.emplace_back([this] { send_loop(); });
  changed_.notify_all();
  return events;
}

std::string WebhookSender::body_of(const Delivery& delivery) {
  if (!delivery.hubspot)
    return delivery.body;
  std::string body = "[";
  for (const std::string& event : delivery.events) {
    if (body.size() > 1)
      body += ',';
    body += event + R"(,"attemptNumber":)" + std::to_string(delivery.attempts) + "}";
  }
  return body + "]";
}

// HubSpot's deal events (webhooks.md, 3), each a real change of one of `records` deals: mostly
// its stage moving (deal.propertyChange of dealstage, with the new value), some deal.creation,
// a few deal.deletion after the deal is removed (its read-back answers 404 from then on). A
// request carries 1 to plan.batch events, as HubSpot groups what happened together.
std::int64_t WebhookSender::hubspot_events(const PushPlan& plan, Table& table, std::int64_t records,
                                           Dice& dice, const std::function<void(Delivery)>& queue) {
  std::int64_t events = 0;
  std::vector<std::string> batch;
  std::int64_t size = 1 + dice.below(plan.batch);
  auto send = [&] {
    Delivery delivery;
    delivery.url = plan.url;
    delivery.id = "hubspot_" + std::to_string(++next_id_);
    delivery.key = plan.secret;
    delivery.hubspot = true;
    delivery.events = std::move(batch);
    queue(std::move(delivery));
    batch.clear();
    size = 1 + dice.below(plan.batch);
  };
  for (std::int64_t i = 0; i < plan.events; ++i) {
    const auto kind = dice.below(100);
    const bool deletion = kind < 5;
    std::optional<Row> row;
    // A deal deleted earlier makes no more events: another one does.
    for (int tries = 0; tries < 16 && !row; ++tries) {
      const std::int64_t index = dice.below(records);
      if (!deletion) {
        row = table.touch_one(index);
      } else if (table.remove(index)) {
        row = table.row(index);
      }
    }
    if (!row)
      continue;
    std::string event = R"({"eventId":)" + std::to_string(++next_id_) + R"(,"subscriptionId":)" +
                        std::to_string(deletion    ? kDeletionSubscription
                                       : kind < 15 ? kCreationSubscription
                                                   : kPropertyChangeSubscription) +
                        R"(,"portalId":)" + std::to_string(kHubSpotPortalId) + R"(,"appId":)" +
                        std::to_string(kHubSpotAppId) + R"(,"occurredAt":)" +
                        std::to_string(hubspot_deal_millis(*row)) + R"(,"subscriptionType":")" +
                        (deletion    ? "deal.deletion"
                         : kind < 15 ? "deal.creation"
                                     : "deal.propertyChange") +
                        R"(","objectId":)" + record_id(plan.table, row->index);
    if (!deletion && kind >= 15) {
      event += R"(,"propertyName":"dealstage","propertyValue":")" +
               hubspot_deal_stage(state_, table, *row) + R"(")";
    }
    event += R"(,"changeSource":"CRM")";
    batch.push_back(std::move(event));
    ++events;
    if (static_cast<std::int64_t>(batch.size()) >= size)
      send();
  }
  if (!batch.empty())
    send();
  return events;
}

void WebhookSender::send_loop() {
  std::map<std::string, std::unique_ptr<httplib::Client>> clients;  // keep-alive, per host
  for (;;) {
    Delivery delivery;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        if (stopping_)
          return;
        const auto now = std::chrono::steady_clock::now();
        if (!retries_.empty() && retries_.begin()->first <= now) {
          delivery = std::move(retries_.begin()->second);
          retries_.erase(retries_.begin());
          break;
        }
        if (!ready_.empty()) {
          delivery = std::move(ready_.front());
          ready_.pop_front();
          break;
        }
        if (retries_.empty()) {
          changed_.wait(lock);
        } else {
          changed_.wait_until(lock, retries_.begin()->first);
        }
      }
      ++busy_;
    }
    const auto [host, path] = split_url(delivery.url);
    auto& client = clients[host];
    if (!client) {
      client = std::make_unique<httplib::Client>(host);
      client->set_keep_alive(true);
      client->set_connection_timeout(2, 0);
      client->set_read_timeout(15, 0);
    }
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string body = body_of(delivery);
    const std::string& target = path;  // a lambda cannot capture a structured binding (C++17)
    httplib::Result answer = [&] {
      if (delivery.form)
        return client->Post(target, body, "application/x-www-form-urlencoded");
      if (delivery.hubspot) {
        // Signed over the method, the URL as the receiver was told it (and will rebuild it from
        // its Host header), the body and the timestamp, in milliseconds, fresh at each attempt.
        const std::string timestamp =
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
        return client->Post(target,
                            {{"X-HubSpot-Signature-v3",
                              hmac_base64(delivery.key, "POST" + delivery.url + body + timestamp)},
                             {"X-HubSpot-Request-Timestamp", timestamp},
                             {"User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/)"}},
                            body, "application/json");
      }
      const std::string timestamp =
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
      return client->Post(
          target,
          {{"webhook-id", delivery.id},
           {"webhook-timestamp", timestamp},
           {"webhook-signature",
            "v1," + hmac_base64(delivery.key, delivery.id + "." + timestamp + "." + body)}},
          body, "application/json");
    }();
    const int status = answer ? answer->status : 0;  // 0: no answer (refused, reset, timeout)
    const bool ok = status >= 200 && status < 300;

    std::lock_guard lock(mutex_);
    --busy_;
    if (delivery.forged) {
      if (ok) {
        ++stats_.forged_accepted;
      } else if (status == 401) {
        ++stats_.forged_refused;
      }
    } else {
      ++stats_.attempts;
      ++delivery.attempts;
      if (ok) {
        ++stats_.delivered;
        if (delivered_bodies_.insert(std::hash<std::string>{}(body)).second)
          ++stats_.bodies;
      } else if (delivery.attempts > static_cast<int>(schedule_.size())) {
        ++stats_.gave_up;
      } else {
        ++stats_.retried;
        const auto wait = std::chrono::duration<double>(
            schedule_[static_cast<std::size_t>(delivery.attempts - 1)]);
        retries_.emplace(std::chrono::steady_clock::now() +
                             std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait),
                         std::move(delivery));
      }
    }
    changed_.notify_all();
  }
}

WebhookStats WebhookSender::stats() const {
  std::lock_guard lock(mutex_);
  WebhookStats stats = stats_;
  stats.queued = static_cast<std::int64_t>(ready_.size() + retries_.size()) + busy_;
  return stats;
}

bool WebhookSender::wait_idle(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit,
                           [this] { return ready_.empty() && retries_.empty() && busy_ == 0; });
}

}  // namespace provider_sim
