// Internals shared by the provider handlers: the simulator state, fault plans, answer writing.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "provider_sim/simulator.h"
#include "world.h"

namespace provider_sim {

enum class Provider {
  connect,
  mailchimp,
  salesforce,
  bntouch,
  clover,
  artis,
  medica,
  hubspot,
  sim
};
std::string_view provider_name(Provider provider);

enum class BodyFault { none, truncate, malformed, stall, reset };

// What the fault rules say about one request.
struct FaultPlan {
  bool applied = false;
  int status = 0;
  std::optional<int> retry_after_seconds;
  bool retry_after_as_date = false;
  int delay_ms = 0;
  BodyFault body = BodyFault::none;
  int stall_ms = 60'000;
  double cut = 0.5;  // share of the body sent before a stall, reset or truncation
  int repeat = 0;    // records of this page to serve again at the start of the next one
  bool expire_tokens = false;
  double touch = 0;  // share of records to touch before answering
  std::string touch_table;
  std::string remove_table;
  std::string remove_id;
};

// The fault rules in force (POST /_sim/faults, --faults). Each rule counts the requests it
// matches, so that "the 3rd to the 5th request" is deterministic.
class Faults {
 public:
  void set(std::string_view json);  // throws std::invalid_argument naming the bad rule
  std::string describe() const;
  FaultPlan plan(Provider provider, std::string_view path);

 private:
  struct Rule {
    std::string kind;
    std::string path;      // prefix; empty: any provider path
    std::string provider;  // empty: any
    std::int64_t after = 0, count = 1, every = 1;
    int status = 0;
    std::optional<int> retry_after;
    bool retry_after_as_date = false;
    int ms = 0;
    double cut = 0.5;
    int records = 0;
    double fraction = 0.1;
    std::string table, id;
    std::int64_t seen = 0, applied = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  httplib::Headers headers;
};

using Handler = std::function<Answer(const httplib::Request&, const FaultPlan&)>;

class WebhookSender;

struct Simulator::State {
  explicit State(Options o);
  ~State();

  Options options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  Faults faults;
  std::map<std::string, std::unique_ptr<Table>, std::less<>> tables;

  std::mutex tokens_mutex;
  std::set<std::string, std::less<>> salesforce_tokens;
  std::int64_t tokens_issued = 0;

  std::atomic<std::int64_t> requests{0}, in_flight{0}, max_in_flight{0}, faults_applied{0},
      unauthorized{0}, mailchimp_in_flight{0};
  std::unique_ptr<WebhookSender> webhooks;  // pushes to the hub (webhook_sender.h)

  Table& table(std::string_view name);
  int page_size(int provider_default) const {
    return options.page_size > 0 ? options.page_size : provider_default;
  }
  // Registers a provider endpoint: counts it, applies faults, writes the handler's answer.
  void route(const char* method, const std::string& pattern, Provider provider, Handler handler);
  void handle(Provider provider, const Handler& handler, const httplib::Request& request,
              httplib::Response& response);
  void write(const Answer& answer, const FaultPlan& plan, const httplib::Request& request,
             httplib::Response& response);
  // Sleeps, waking early when the simulator stops.
  void sleep_ms(int ms) const;

  std::string issue_salesforce_token();
  bool salesforce_token_valid(std::string_view token);
  void expire_tokens();
  std::int64_t touch(std::string_view table, double fraction);
  bool remove(std::string_view table, std::string_view id);
};

// The provider's error body for `status`, in its own format.
Answer error_answer(Provider provider, int status, std::string_view code, std::string_view message);

// Authorization helpers.
std::optional<std::string> bearer_token(const httplib::Request& request);
std::optional<std::pair<std::string, std::string>> basic_credentials(
    const httplib::Request& request);
std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);

// An opaque page cursor holding a table key (base64url of "k:<updated>:<index>").
std::string encode_key(Key key);
std::optional<Key> decode_key(std::string_view cursor);

// Writes a JSON string from a std::string.
inline void put(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}
inline void put(JsonWriter& w, const char* key, std::string_view text) {
  w.Key(key);
  put(w, text);
}

// Query helpers: integer parameter with default and bounds; nullopt (and an error answer in
// `error`) when it is not an integer.
std::optional<std::int64_t> int_param(const httplib::Request& request, const char* name,
                                      std::int64_t fallback);

// A Connect record of `table` (campaigns or opportunities) as GET /v1/... writes it.
std::string connect_record_json(const Simulator::State& state, const Table& table, const Row& row);

// Registration of each provider's endpoints.
void add_connect(Simulator::State& state);
void add_mailchimp(Simulator::State& state);
void add_salesforce(Simulator::State& state);
void add_partner_crms(Simulator::State& state);
void add_hubspot(Simulator::State& state);
void add_control(Simulator::State& state);

// The HubSpot-style CRM (hubspot.cpp): the account (portal) the simulated deals belong to, a
// deal's last modification in Unix milliseconds (its hs_lastmodifieddate, and the occurredAt of
// the event that made it), and its stage as GET writes it.
inline constexpr std::int64_t kHubSpotPortalId = 24681357;
std::int64_t hubspot_deal_millis(const Row& row);
std::string hubspot_deal_stage(const Simulator::State& state, const Table& table, const Row& row);

// Shared pools of realistic text (accents, long summaries) for generated records.
namespace text {
struct Person {
  const char* name;
  const char* email_local;
};
extern const Person people[24];
extern const char* const institutions[16];
extern const char* const countries[16];
extern const char* const departments[10];
extern const char* const topics[20];
extern const char* const qualifiers[12];
extern const char* const sentences[16];
extern const char* const companies[16];
std::string summary(Dice& dice);
std::string title(Dice& dice);
}  // namespace text

}  // namespace provider_sim
