// The Mailchimp Marketing API v3 subset (../shared/providers/mailchimp.md): basic auth with the
// API key as password (or bearer), count/offset paging with total_items, problem+json errors.
#include <algorithm>

#include "ids.h"
#include "sim.h"

namespace provider_sim {
namespace {

constexpr const char* kStatuses[] = {"save", "paused",    "schedule", "sending",
                                     "sent", "canceling", "canceled", "archived"};
constexpr const char* kTypes[] = {"regular", "plaintext", "absplit", "rss", "variate"};

struct Campaign {
  std::int64_t index;
  const char* status;
  Epoch created;
  Epoch sent;  // 0: not sent
};

Campaign describe(const Simulator::State& state, const Table& table, std::int64_t index) {
  Dice d(state.options.seed, 3, index);
  auto n = d.below(20);
  const char* status = n < 3    ? kStatuses[0]
                       : n < 4  ? kStatuses[1]
                       : n < 6  ? kStatuses[2]
                       : n < 7  ? kStatuses[3]
                       : n < 16 ? kStatuses[4]
                                : kStatuses[5 + d.below(3)];
  Epoch created = table.base_updated(index);
  bool sent = std::string_view(status) == "sending" || std::string_view(status) == "sent" ||
              std::string_view(status) == "archived" || std::string_view(status) == "canceling";
  return {index, status, created, sent ? created + 86400 * (1 + d.below(5)) : 0};
}

bool authorized(const httplib::Request& request) {
  if (auto basic = basic_credentials(request))
    return basic->second == credentials::mailchimp_key;
  if (auto token = bearer_token(request))
    return *token == credentials::mailchimp_key;
  return false;
}

void write_campaign(JsonWriter& w, const Simulator::State& state, const Campaign& c) {
  Dice d(state.options.seed, 3, c.index);
  d.below(20);
  std::int64_t recipients = 200 + d.below(20'000);
  w.StartObject();
  put(w, "id", record_id(tables::mailchimp_campaigns, c.index));
  w.Key("web_id");
  w.Int64(100'000 + c.index * 7);
  put(w, "type", d.pick(kTypes));
  put(w, "create_time", rfc3339(c.created));
  put(w, "send_time", c.sent ? rfc3339(c.sent) : "");
  put(w, "status", c.status);
  w.Key("emails_sent");
  w.Int64(c.sent ? recipients : 0);
  std::string title = text::title(d);
  w.Key("settings");
  w.StartObject();
  put(w, "subject_line", "Nouveautés : " + title);
  put(w, "title", title + " newsletter");
  const text::Person& from = d.pick(text::people);
  put(w, "from_name", from.name);
  put(w, "reply_to", std::string(from.email_local) + "@client.example");
  w.EndObject();
  w.Key("recipients");
  w.StartObject();
  put(w, "list_id", record_id(tables::mailchimp_campaigns, c.index % 7 + 900'000));
  put(w, "list_name", std::string(d.pick(text::departments)) + " subscribers");
  w.Key("recipient_count");
  w.Int64(recipients);
  w.EndObject();
  if (c.sent) {
    std::int64_t unique_opens = recipients * (10 + d.below(40)) / 100;
    std::int64_t clicks = unique_opens * d.below(30) / 100;
    w.Key("report_summary");
    w.StartObject();
    w.Key("opens");
    w.Int64(unique_opens + d.below(unique_opens + 1));
    w.Key("unique_opens");
    w.Int64(unique_opens);
    w.Key("open_rate");
    w.Double(static_cast<double>(unique_opens) / static_cast<double>(recipients));
    w.Key("clicks");
    w.Int64(clicks + d.below(clicks + 1));
    w.Key("subscriber_clicks");
    w.Int64(clicks);
    w.Key("click_rate");
    w.Double(static_cast<double>(clicks) / static_cast<double>(recipients));
    w.EndObject();
  }
  w.EndObject();
}

Answer campaigns(Simulator::State& state, const httplib::Request& request, const FaultPlan& plan) {
  if (!authorized(request)) {
    return error_answer(Provider::mailchimp, 401, "API Key Invalid",
                        "Your API key may be invalid, or you've attempted to access the wrong "
                        "datacenter.");
  }
  auto count = int_param(request, "count", state.page_size(10));
  auto offset = int_param(request, "offset", 0);
  if (!count || *count < 1 || *count > 1000 || !offset || *offset < 0) {
    return error_answer(Provider::mailchimp, 400, "Invalid Resource",
                        "count must be 1 to 1000 and offset a non-negative integer");
  }
  Epoch since_create = INT64_MIN, since_send = INT64_MIN;
  if (request.has_param("since_create_time") &&
      !parse_time(request.get_param_value("since_create_time"), since_create)) {
    return error_answer(Provider::mailchimp, 400, "Invalid Resource", "bad since_create_time");
  }
  if (request.has_param("since_send_time") &&
      !parse_time(request.get_param_value("since_send_time"), since_send)) {
    return error_answer(Provider::mailchimp, 400, "Invalid Resource", "bad since_send_time");
  }
  std::string status = request.get_param_value("status");
  std::string sort_field = request.get_param_value("sort_field");
  bool descending = request.get_param_value("sort_dir") == "DESC";
  const Table& table = state.table(tables::mailchimp_campaigns);
  std::vector<Campaign> matching;
  for (const Row& row : table.slice(0, static_cast<std::size_t>(table.count()))) {
    Campaign c = describe(state, table, row.index);
    if (!status.empty() && status != c.status)
      continue;
    if (c.created <= since_create)
      continue;
    if (since_send != INT64_MIN && (c.sent == 0 || c.sent <= since_send))
      continue;
    matching.push_back(c);
  }
  if (sort_field == "send_time") {
    std::stable_sort(matching.begin(), matching.end(),
                     [](const Campaign& a, const Campaign& b) { return a.sent < b.sent; });
  }
  if (descending)
    std::reverse(matching.begin(), matching.end());
  // A "repeat" fault shifts the page back, so that records of the last page come again.
  auto total = static_cast<std::int64_t>(matching.size());
  std::int64_t start = std::max<std::int64_t>(0, *offset - plan.repeat);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("campaigns");
  w.StartArray();
  for (std::int64_t i = start; i < std::min(total, start + *count); ++i) {
    write_campaign(w, state, matching[static_cast<std::size_t>(i)]);
  }
  w.EndArray();
  w.Key("total_items");
  w.Int64(total);
  w.Key("_links");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

// GET /campaigns/{id}: one campaign, as the list writes it (a receiver reads it back after a
// webhook that names it).
Answer one_campaign(Simulator::State& state, const httplib::Request& request) {
  if (!authorized(request)) {
    return error_answer(Provider::mailchimp, 401, "API Key Invalid",
                        "Your API key may be invalid.");
  }
  const Table& table = state.table(tables::mailchimp_campaigns);
  const std::int64_t index = record_index(tables::mailchimp_campaigns, request.matches[1].str());
  if (index < 0 || index >= table.count() || table.row(index).deleted) {
    return error_answer(Provider::mailchimp, 404, "Resource Not Found",
                        "The requested resource could not be found.");
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_campaign(w, state, describe(state, table, index));
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

Answer report(Simulator::State& state, const httplib::Request& request) {
  if (!authorized(request)) {
    return error_answer(Provider::mailchimp, 401, "API Key Invalid",
                        "Your API key may be invalid.");
  }
  const Table& table = state.table(tables::mailchimp_campaigns);
  std::string id = request.matches[1];
  std::int64_t index = record_index(tables::mailchimp_campaigns, id);
  if (index < 0 || index >= table.count() || table.row(index).deleted) {
    return error_answer(Provider::mailchimp, 404, "Resource Not Found",
                        "The requested resource could not be found.");
  }
  Campaign c = describe(state, table, index);
  if (c.sent == 0) {
    return error_answer(Provider::mailchimp, 404, "Resource Not Found",
                        "The campaign has not been sent.");
  }
  Dice d(state.options.seed, 33, index);
  std::int64_t sent = 200 + d.below(20'000);
  std::int64_t opens = sent * (10 + d.below(40)) / 100, clicks = opens * d.below(30) / 100;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "id", id);
  w.Key("emails_sent");
  w.Int64(sent);
  w.Key("abuse_reports");
  w.Int64(d.below(3));
  w.Key("unsubscribed");
  w.Int64(d.below(sent / 50 + 1));
  put(w, "send_time", rfc3339(c.sent));
  w.Key("bounces");
  w.StartObject();
  w.Key("hard_bounces");
  w.Int64(d.below(sent / 100 + 1));
  w.Key("soft_bounces");
  w.Int64(d.below(sent / 50 + 1));
  w.Key("syntax_errors");
  w.Int64(d.below(3));
  w.EndObject();
  w.Key("opens");
  w.StartObject();
  w.Key("opens_total");
  w.Int64(opens * 3 / 2);
  w.Key("unique_opens");
  w.Int64(opens);
  w.Key("open_rate");
  w.Double(static_cast<double>(opens) / static_cast<double>(sent));
  put(w, "last_open", rfc3339(c.sent + 86400 * 3));
  w.EndObject();
  w.Key("clicks");
  w.StartObject();
  w.Key("clicks_total");
  w.Int64(clicks * 2);
  w.Key("unique_clicks");
  w.Int64(clicks);
  w.Key("unique_subscriber_clicks");
  w.Int64(clicks);
  w.Key("click_rate");
  w.Double(static_cast<double>(clicks) / static_cast<double>(sent));
  put(w, "last_click", rfc3339(c.sent + 86400 * 2));
  w.EndObject();
  w.EndObject();
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

}  // namespace

void add_mailchimp(Simulator::State& state) {
  state.route(
      "GET", "/3.0/campaigns", Provider::mailchimp,
      [&state](const httplib::Request& r, const FaultPlan& p) { return campaigns(state, r, p); });
  state.route(
      "GET", R"(/3.0/campaigns/([0-9a-zA-Z_-]+))", Provider::mailchimp,
      [&state](const httplib::Request& r, const FaultPlan&) { return one_campaign(state, r); });
  state.route("GET", R"(/3.0/reports/([0-9a-zA-Z_-]+))", Provider::mailchimp,
              [&state](const httplib::Request& r, const FaultPlan&) { return report(state, r); });
}

}  // namespace provider_sim
