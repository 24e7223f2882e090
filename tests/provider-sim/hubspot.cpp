// A HubSpot-style partner CRM (CRM v3 deals, as ../shared/recorded/hubspot/*.json show them):
// bearer token, `limit`/`after` paging with `paging.next.after` absent on the last page,
// `properties` all strings (or null), `updatedAt`, `archived`; and the one-deal read a webhook
// receiver makes after a `deal.*` event (webhooks.md, 3), 404 once the deal is deleted.
#include <algorithm>
#include <cstdio>
#include <set>

#include "ids.h"
#include "sim.h"

namespace provider_sim {
namespace {

constexpr int kDefaultLimit = 10;  // HubSpot's own
constexpr int kMaxLimit = 100;

// The deal pipeline's stages, HubSpot's default pipeline.
constexpr const char* kStages[] = {"appointmentscheduled",
                                   "qualifiedtobuy",
                                   "presentationscheduled",
                                   "decisionmakerboughtin",
                                   "contractsent",
                                   "closedwon",
                                   "closedlost"};

// What GET answers without `properties` (HubSpot's default set for deals).
constexpr const char* kDefaultProperties[] = {"amount",       "closedate", "createdate",
                                              "dealname",     "dealstage", "hs_lastmodifieddate",
                                              "hs_object_id", "pipeline"};
// HubSpot adds these to whatever `properties` asks for.
constexpr const char* kAlwaysProperties[] = {"createdate", "hs_lastmodifieddate", "hs_object_id"};

// A touched deal changes more than its time: its stage and amount may move too.
std::uint64_t version(const Table& table, const Row& row) {
  return row.updated == table.base_updated(row.index) ? 0 : static_cast<std::uint64_t>(row.updated);
}

// "2026-03-09T20:29:45.981Z" from Unix milliseconds.
std::string hubspot_time(std::int64_t ms) {
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(ms % 1000));
  return rfc3339(ms / 1000).substr(0, 19) + fraction;
}

struct Deal {
  std::string id;
  std::string name;
  std::optional<std::string> amount;
  const char* stage;
  std::int64_t created_ms;
  std::int64_t modified_ms;
  std::optional<std::int64_t> close_ms;
};

Deal describe(const Simulator::State& state, const Table& table, const Row& row) {
  Dice d(state.options.seed, 80, row.index);
  Dice v(state.options.seed, 81 + version(table, row), row.index);
  Deal deal;
  deal.id = record_id(tables::hubspot_deals, row.index);
  deal.name = std::string(d.pick(text::companies)) + " - " + text::title(d);
  deal.created_ms =
      (table.base_updated(row.index) - 86400 * (1 + d.below(20))) * 1000 + d.below(1000);
  deal.modified_ms = hubspot_deal_millis(row);
  const auto n = v.below(20);
  deal.stage = kStages[n < 4    ? 0
                       : n < 7  ? 1
                       : n < 10 ? 2
                       : n < 12 ? 3
                       : n < 14 ? 4
                       : n < 17 ? 5
                                : 6];
  if (v.below(8) != 0)
    deal.amount = std::to_string(500 * (1 + v.below(200)));
  const std::string_view stage = deal.stage;
  if (stage == "closedwon" || stage == "closedlost") {
    deal.close_ms = deal.modified_ms;
  } else if (d.below(2) == 0) {
    deal.close_ms = (table.base_updated(row.index) / 86400 + 30 + d.below(90)) * 86400 * 1000;
  }
  return deal;
}

void write_property(JsonWriter& w, const Deal& deal, std::string_view name) {
  auto optional = [&w](const std::optional<std::string>& value) {
    if (value) {
      put(w, *value);
    } else {
      w.Null();
    }
  };
  if (name == "amount") {
    optional(deal.amount);
  } else if (name == "closedate") {
    optional(deal.close_ms ? std::optional(hubspot_time(*deal.close_ms)) : std::nullopt);
  } else if (name == "createdate") {
    put(w, hubspot_time(deal.created_ms));
  } else if (name == "dealname") {
    put(w, deal.name);
  } else if (name == "dealstage") {
    put(w, deal.stage);
  } else if (name == "hs_lastmodifieddate") {
    put(w, hubspot_time(deal.modified_ms));
  } else if (name == "hs_object_id") {
    put(w, deal.id);
  } else {  // "pipeline"
    put(w, "default");
  }
}

bool known_property(std::string_view name) {
  return std::any_of(std::begin(kDefaultProperties), std::end(kDefaultProperties),
                     [name](const char* known) { return name == known; });
}

// The properties a request asks for, in HubSpot's (alphabetical) order; unknown names are
// left out, as HubSpot does.
std::set<std::string, std::less<>> requested_properties(const httplib::Request& request) {
  std::set<std::string, std::less<>> names;
  if (!request.has_param("properties")) {
    names.insert(std::begin(kDefaultProperties), std::end(kDefaultProperties));
    return names;
  }
  names.insert(std::begin(kAlwaysProperties), std::end(kAlwaysProperties));
  for (std::size_t i = 0, n = request.get_param_value_count("properties"); i < n; ++i) {
    const std::string list = request.get_param_value("properties", i);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = std::min(list.find(',', start), list.size());
      std::string name = list.substr(start, comma - start);
      if (known_property(name))
        names.insert(std::move(name));
      start = comma + 1;
    }
  }
  return names;
}

void write_deal(JsonWriter& w, const Simulator::State& state, const Table& table, const Row& row,
                const std::set<std::string, std::less<>>& properties) {
  const Deal deal = describe(state, table, row);
  w.StartObject();
  put(w, "id", deal.id);
  w.Key("properties");
  w.StartObject();
  for (const std::string& name : properties) {
    w.Key(name.c_str());
    write_property(w, deal, name);
  }
  w.EndObject();
  put(w, "createdAt", hubspot_time(deal.created_ms));
  put(w, "updatedAt", hubspot_time(deal.modified_ms));
  w.Key("archived");
  w.Bool(row.deleted);
  if (row.deleted)
    put(w, "archivedAt", hubspot_time(deal.modified_ms));
  put(w, "url",
      "https://app.hubspot.com/contacts/" + std::to_string(kHubSpotPortalId) + "/record/0-3/" +
          deal.id);
  w.EndObject();
}

bool authorized(const httplib::Request& request) {
  auto token = bearer_token(request);
  return token && *token == credentials::hubspot_token;
}

Answer unauthorized() {
  return error_answer(Provider::hubspot, 401, "INVALID_AUTHENTICATION",
                      "Authentication credentials not found. This API supports OAuth 2.0 "
                      "authentication and you can find more details at "
                      "https://developers.hubspot.com/docs/methods/auth/oauth-overview");
}

// `archived=true` lists (or reads) deleted deals only, as HubSpot does.
std::optional<bool> archived_param(const httplib::Request& request) {
  if (!request.has_param("archived"))
    return false;
  const std::string value = request.get_param_value("archived");
  if (value != "true" && value != "false")
    return std::nullopt;
  return value == "true";
}

// GET /crm/v3/objects/deals: deals in id order (the simulator's record order), `limit` of them
// from the one `after` names; `paging.next.after` names the first deal of the next page.
Answer list_deals(Simulator::State& state, const httplib::Request& request, const FaultPlan& plan) {
  if (!authorized(request))
    return unauthorized();
  auto limit = int_param(request, "limit", state.page_size(kDefaultLimit));
  if (!limit || *limit < 1 || *limit > kMaxLimit) {
    return error_answer(Provider::hubspot, 400, "VALIDATION_ERROR",
                        "limit must be an integer from 1 to 100");
  }
  const auto archived = archived_param(request);
  if (!archived)
    return error_answer(Provider::hubspot, 400, "VALIDATION_ERROR", "archived: true or false");
  const Table& table = state.table(tables::hubspot_deals);
  std::int64_t from = 0;
  if (request.has_param("after")) {
    from = record_index(tables::hubspot_deals, request.get_param_value("after"));
    if (from < 0 || from > table.count()) {
      return error_answer(Provider::hubspot, 400, "VALIDATION_ERROR",
                          "after: not a paging cursor this API gave");
    }
  }
  const auto n = static_cast<std::size_t>(*limit);
  std::vector<Row> rows;
  for (std::int64_t i = from; i < table.count() && rows.size() <= n; ++i) {
    Row row = table.row(i);
    if (row.deleted == *archived)
      rows.push_back(row);
  }
  const bool more = rows.size() > n;
  // The next page starts at the first row not on this one, or `repeat` rows earlier.
  std::string after;
  if (more) {
    after = record_id(
        tables::hubspot_deals,
        rows[n - std::min<std::size_t>(static_cast<std::size_t>(plan.repeat), n - 1)].index);
    rows.resize(n);
  }

  const auto properties = requested_properties(request);
  rapidjson::StringBuffer buffer;
  buffer.Reserve(rows.size() * 700 + 128);
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("results");
  w.StartArray();
  for (const Row& row : rows)
    write_deal(w, state, table, row, properties);
  w.EndArray();
  if (more) {
    w.Key("paging");
    w.StartObject();
    w.Key("next");
    w.StartObject();
    put(w, "after", after);
    put(w, "link",
        "http://" + request.get_header_value("Host") + "/crm/v3/objects/deals?after=" + after +
            "&limit=" + std::to_string(n));
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

// GET /crm/v3/objects/deals/{id}: one deal as the list writes it; 404 once deleted (unless
// `archived=true`).
Answer one_deal(Simulator::State& state, const httplib::Request& request) {
  if (!authorized(request))
    return unauthorized();
  const auto archived = archived_param(request);
  if (!archived)
    return error_answer(Provider::hubspot, 400, "VALIDATION_ERROR", "archived: true or false");
  const Table& table = state.table(tables::hubspot_deals);
  const std::string id = request.matches[1].str();
  const std::int64_t index = record_index(tables::hubspot_deals, id);
  std::optional<Row> row;
  if (index >= 0 && index < table.count())
    row = table.row(index);
  if (!row || row->deleted != *archived) {
    return error_answer(Provider::hubspot, 404, "OBJECT_NOT_FOUND",
                        "Object not found.  objectId are usually numeric.");
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_deal(w, state, table, *row, requested_properties(request));
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

}  // namespace

std::int64_t hubspot_deal_millis(const Row& row) {
  return row.updated * 1000 +
         static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(row.index)) % 1000);
}

std::string hubspot_deal_stage(const Simulator::State& state, const Table& table, const Row& row) {
  return describe(state, table, row).stage;
}

void add_hubspot(Simulator::State& state) {
  state.route(
      "GET", "/crm/v3/objects/deals", Provider::hubspot,
      [&state](const httplib::Request& r, const FaultPlan& p) { return list_deals(state, r, p); });
  state.route("GET", R"(/crm/v3/objects/deals/([0-9]+))", Provider::hubspot,
              [&state](const httplib::Request& r, const FaultPlan&) { return one_deal(state, r); });
}

}  // namespace provider_sim
