// The Salesforce REST subset (../shared/providers/salesforce.md): OAuth2 client credentials,
// SOQL queries over Campaign, CampaignMember and Opportunity with SystemModstamp filters,
// nextRecordsUrl paging, queryAll with deleted rows, INVALID_SESSION_ID on an expired token.
#include <algorithm>
#include <cctype>

#include "ids.h"
#include "sim.h"

namespace provider_sim {
namespace {

struct Object {
  const char* name;
  const char* table;
  std::vector<const char*> fields;
};

const std::vector<Object>& objects() {
  static const std::vector<Object> kObjects = {
      {"Campaign",
       tables::salesforce_campaigns,
       {"Id",
        "Name",
        "Type",
        "Status",
        "IsActive",
        "StartDate",
        "EndDate",
        "BudgetedCost",
        "ActualCost",
        "ExpectedResponse",
        "ExpectedRevenue",
        "NumberSent",
        "NumberOfLeads",
        "NumberOfOpportunities",
        "NumberOfWonOpportunities",
        "ParentId",
        "OwnerId",
        "IsDeleted",
        "LastModifiedDate",
        "SystemModstamp"}},
      {"CampaignMember",
       tables::salesforce_members,
       {"Id", "CampaignId", "ContactId", "LeadId", "Status", "HasResponded", "FirstRespondedDate",
        "IsDeleted", "SystemModstamp"}},
      {"Opportunity",
       tables::salesforce_opportunities,
       {"Id", "Name", "CampaignId", "AccountId", "StageName", "IsClosed", "IsWon", "Amount",
        "CurrencyIsoCode", "Probability", "CloseDate", "IsDeleted", "LastModifiedDate",
        "SystemModstamp"}},
  };
  return kObjects;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

std::size_t ifind(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, needle.size()), needle))
      return i;
  }
  return std::string_view::npos;
}

struct Query {
  const Object* object = nullptr;
  std::vector<const char*> fields;
  Key after;  // from the SystemModstamp filter
  bool all = false;
  int batch = 2000;
};

// Parses the SOQL our plugins send: SELECT f, ... FROM Object [WHERE SystemModstamp > t ...]
// [ORDER BY ...]. Other WHERE terms, ORDER BY and LIMIT are accepted and ignored: rows always
// come in SystemModstamp order.
std::optional<Answer> parse(std::string_view soql, Query& query) {
  auto malformed = [](const std::string& message) {
    return error_answer(Provider::salesforce, 400, "MALFORMED_QUERY", message);
  };
  soql = trim(soql);
  if (ifind(soql, "SELECT ") != 0)
    return malformed("expecting SELECT");
  std::size_t from = ifind(soql, " FROM ");
  if (from == std::string_view::npos)
    return malformed("expecting FROM");
  std::string_view rest = trim(soql.substr(from + 6));
  std::string_view name = rest.substr(0, rest.find_first_of(" \t\r\n"));
  for (const Object& o : objects()) {
    if (iequals(o.name, name))
      query.object = &o;
  }
  if (query.object == nullptr) {
    return error_answer(Provider::salesforce, 400, "INVALID_TYPE",
                        "sObject type '" + std::string(name) + "' is not supported.");
  }
  std::string_view list = soql.substr(7, from - 7);
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view field = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    const char* known = nullptr;
    for (const char* f : query.object->fields) {
      if (iequals(f, field))
        known = f;
    }
    if (known == nullptr) {
      return error_answer(
          Provider::salesforce, 400, "INVALID_FIELD",
          "No such column '" + std::string(field) + "' on entity '" + query.object->name + "'.");
    }
    query.fields.push_back(known);
  }
  if (std::size_t stamp = ifind(rest, "SystemModstamp"); stamp != std::string_view::npos) {
    std::string_view cond = trim(rest.substr(stamp + 14));
    bool inclusive = cond.substr(0, 2) == ">=";
    if (cond.empty() || cond.front() != '>')
      return malformed("only SystemModstamp > t is supported");
    cond = trim(cond.substr(inclusive ? 2 : 1));
    std::string_view literal = cond.substr(0, cond.find_first_of(" \t\r\n)"));
    Epoch t;
    if (!parse_time(literal, t)) {
      return malformed("invalid date-time literal '" + std::string(literal) + "'");
    }
    query.after = inclusive ? Key{t - 1, INT64_MAX} : Key{t, INT64_MAX};
  }
  return std::nullopt;
}

std::string owner_id(std::int64_t n) {
  return hex_id("005SIM0000", n, 0x7F4A7C15u);
}

void write_field(JsonWriter& w, const Simulator::State& state, const Object& object,
                 const Table& table, const Row& row, std::string_view field) {
  const std::int64_t i = row.index;
  const std::int64_t campaigns = std::max<std::int64_t>(state.options.campaigns, 1);
  bool touched = row.updated != table.base_updated(i);
  Dice d(state.options.seed, 40 + static_cast<std::uint64_t>(object.name[0]), i);
  Dice v(state.options.seed, 50 + (touched ? static_cast<std::uint64_t>(row.updated) : 0), i);
  Epoch base = table.base_updated(i);
  auto date = [&w](Epoch t) { put(w, iso_date(t)); };
  if (field == "Id")
    return put(w, record_id(table.name(), i));
  if (field == "IsDeleted")
    return (void)w.Bool(row.deleted);
  if (field == "SystemModstamp" || field == "LastModifiedDate") {
    return put(w, salesforce_time(row.updated));
  }
  std::string_view name = object.name;
  if (name == "Campaign") {
    static const char* kTypes[] = {"Email", "Webinar", "Partners", "Conference", "Direct Mail"};
    static const char* kStatuses[] = {"Planned", "In Progress", "In Progress", "Completed",
                                      "Aborted"};
    const char* status = kStatuses[v.below(5)];
    if (field == "Name")
      return put(w, text::title(d) + " – partner campaign");
    if (field == "Type")
      return put(w, d.pick(kTypes));
    if (field == "Status")
      return put(w, status);
    if (field == "IsActive")
      return (void)w.Bool(std::string_view(status) == "In Progress");
    if (field == "StartDate")
      return date(base - 86400 * 20);
    if (field == "EndDate")
      return date(base + 86400 * (30 + d.below(90)));
    if (field == "BudgetedCost")
      return (void)w.Double(1000.0 * static_cast<double>(5 + d.below(95)));
    if (field == "ActualCost")
      return (void)w.Double(37.5 * static_cast<double>(d.below(2000)));
    if (field == "ExpectedResponse")
      return (void)w.Double(static_cast<double>(d.below(40)));
    if (field == "ExpectedRevenue")
      return (void)w.Double(5000.0 * static_cast<double>(d.below(200)));
    if (field == "NumberSent")
      return (void)w.Int64(d.below(5000));
    if (field == "NumberOfLeads")
      return (void)w.Int64(d.below(300));
    if (field == "NumberOfOpportunities")
      return (void)w.Int64(d.below(50));
    if (field == "NumberOfWonOpportunities")
      return (void)w.Int64(d.below(10));
    if (field == "ParentId") {
      if (i == 0 || d.below(4) != 0)
        return (void)w.Null();
      return put(w, record_id(table.name(), d.below(i)));
    }
    if (field == "OwnerId")
      return put(w, owner_id(d.below(12)));
  } else if (name == "CampaignMember") {
    bool responded = v.below(3) == 0;
    bool lead = i % 4 == 0;
    if (field == "CampaignId")
      return put(w, record_id(tables::salesforce_campaigns, i % campaigns));
    if (field == "ContactId") {
      if (lead)
        return (void)w.Null();
      return put(w, hex_id("003SIM0000", i, 0x3C6EF372u));
    }
    if (field == "LeadId") {
      if (!lead)
        return (void)w.Null();
      return put(w, hex_id("00QSIM0000", i, 0xA54FF53Bu));
    }
    if (field == "Status")
      return put(w, responded ? "Responded" : "Sent");
    if (field == "HasResponded")
      return (void)w.Bool(responded);
    if (field == "FirstRespondedDate") {
      if (!responded)
        return (void)w.Null();
      return date(row.updated);
    }
  } else {
    static const char* kStages[] = {"Prospecting",          "Qualification",      "Needs Analysis",
                                    "Proposal/Price Quote", "Negotiation/Review", "Closed Won",
                                    "Closed Lost"};
    static const int kProbability[] = {10, 20, 25, 75, 90, 100, 0};
    static const char* kCurrencies[] = {"EUR", "USD", "GBP", "CHF"};
    auto stage = v.below(7);
    if (field == "Name")
      return put(w, std::string(d.pick(text::companies)) + " – " + text::title(d));
    if (field == "CampaignId") {
      if (d.below(10) == 0)
        return (void)w.Null();
      return put(w, record_id(tables::salesforce_campaigns, i % campaigns));
    }
    if (field == "AccountId")
      return put(w, hex_id("001SIM0000", d.below(5000), 0x510E527Fu));
    if (field == "StageName")
      return put(w, kStages[stage]);
    if (field == "IsClosed")
      return (void)w.Bool(stage >= 5);
    if (field == "IsWon")
      return (void)w.Bool(stage == 5);
    if (field == "Amount") {
      if (d.below(8) == 0)
        return (void)w.Null();
      return (void)w.Double(static_cast<double>(d.below(50'000'000)) / 100.0);
    }
    if (field == "CurrencyIsoCode")
      return put(w, d.pick(kCurrencies));
    if (field == "Probability")
      return (void)w.Int(kProbability[stage]);
    if (field == "CloseDate")
      return date(base + 86400 * (10 + d.below(200)));
  }
  w.Null();
}

struct Queries {
  std::mutex mutex;
  std::map<std::string, Query, std::less<>> open;
  std::int64_t next = 0;
};

Answer page(Simulator::State& state, const std::string& version, const std::string& id,
            const Query& query, Key after, const FaultPlan& plan) {
  const Table& table = state.table(query.object->table);
  std::int64_t total = table.count_after(query.after, query.all);
  auto rows = table.after(after, static_cast<std::size_t>(query.batch) + 1, query.all);
  bool more = rows.size() > static_cast<std::size_t>(query.batch);
  if (more)
    rows.pop_back();
  rapidjson::StringBuffer buffer;
  buffer.Reserve(rows.size() * 600 + 128);
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("totalSize");
  w.Int64(total);
  w.Key("done");
  w.Bool(!more);
  if (more) {
    std::size_t last = rows.size() - 1 - std::min<std::size_t>(plan.repeat, rows.size() - 1);
    put(w, "nextRecordsUrl",
        "/services/data/v" + version + "/query/" + id + "-" +
            encode_key({rows[last].updated, rows[last].index}));
  }
  w.Key("records");
  w.StartArray();
  for (const Row& row : rows) {
    w.StartObject();
    w.Key("attributes");
    w.StartObject();
    put(w, "type", query.object->name);
    put(w, "url",
        "/services/data/v" + version + "/sobjects/" + query.object->name + "/" +
            record_id(table.name(), row.index));
    w.EndObject();
    for (const char* field : query.fields) {
      w.Key(field);
      write_field(w, state, *query.object, table, row, field);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

std::optional<Answer> check_session(Simulator::State& state, const httplib::Request& request) {
  auto token = bearer_token(request);
  if (token && state.salesforce_token_valid(*token))
    return std::nullopt;
  return error_answer(Provider::salesforce, 401, "INVALID_SESSION_ID",
                      "Session expired or invalid");
}

Answer token(Simulator::State& state, const httplib::Request& request) {
  auto oauth_error = [](int status, const char* error, const char* description) {
    Answer a;
    a.status = status;
    a.body =
        std::string("{\"error\":\"") + error + "\",\"error_description\":\"" + description + "\"}";
    return a;
  };
  std::string grant = request.get_param_value("grant_type");
  if (grant != "client_credentials") {
    return oauth_error(400, "unsupported_grant_type", "grant type not supported");
  }
  std::string id = request.get_param_value("client_id");
  std::string secret = request.get_param_value("client_secret");
  if (auto basic = basic_credentials(request)) {
    id = basic->first;
    secret = basic->second;
  }
  if (id != credentials::salesforce_client_id || secret != credentials::salesforce_client_secret) {
    return oauth_error(400, "invalid_client", "invalid client credentials");
  }
  std::string access = state.issue_salesforce_token();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "access_token", access);
  put(w, "instance_url", "http://127.0.0.1:" + std::to_string(state.port));
  put(w, "id", "http://127.0.0.1:" + std::to_string(state.port) + "/id/00DSIM/005SIM");
  put(w, "token_type", "Bearer");
  put(w, "issued_at", "1767225600000");
  put(w, "signature", base64_encode(access.substr(0, 12)));
  w.EndObject();
  Answer answer;
  answer.body = buffer.GetString();
  return answer;
}

}  // namespace

void add_salesforce(Simulator::State& state) {
  auto queries = std::make_shared<Queries>();
  state.route("POST", "/services/oauth2/token", Provider::salesforce,
              [&state](const httplib::Request& r, const FaultPlan&) { return token(state, r); });
  state.route("GET", R"(/services/data/v(\d+\.\d+)/(query|queryAll))", Provider::salesforce,
              [&state, queries](const httplib::Request& request, const FaultPlan& plan) -> Answer {
                if (auto denied = check_session(state, request))
                  return *denied;
                Query query;
                query.all = request.matches[2] == "queryAll";
                if (!request.has_param("q")) {
                  return error_answer(Provider::salesforce, 400, "MALFORMED_QUERY", "missing q");
                }
                if (auto error = parse(request.get_param_value("q"), query))
                  return *error;
                std::string options = request.get_header_value("Sforce-Query-Options");
                query.batch = state.page_size(2000);
                if (auto at = options.find("batchSize="); at != std::string::npos) {
                  query.batch = std::clamp(std::atoi(options.c_str() + at + 10), 200, 2000);
                }
                std::string id;
                {
                  std::lock_guard lock(queries->mutex);
                  char buffer[32];
                  std::snprintf(buffer, sizeof buffer, "01gSIM%09lld",
                                static_cast<long long>(++queries->next));
                  id = buffer;
                  queries->open[id] = query;
                }
                return page(state, request.matches[1], id, query, query.after, plan);
              });
  state.route("GET", R"(/services/data/v(\d+\.\d+)/query/(01gSIM\d+)-([A-Za-z0-9_-]+))",
              Provider::salesforce,
              [&state, queries](const httplib::Request& request, const FaultPlan& plan) -> Answer {
                if (auto denied = check_session(state, request))
                  return *denied;
                Query query;
                {
                  std::lock_guard lock(queries->mutex);
                  auto it = queries->open.find(std::string(request.matches[2]));
                  if (it == queries->open.end()) {
                    return error_answer(Provider::salesforce, 400, "INVALID_QUERY_LOCATOR",
                                        "invalid query locator");
                  }
                  query = it->second;
                }
                auto key = decode_key(std::string(request.matches[3]));
                if (!key) {
                  return error_answer(Provider::salesforce, 400, "INVALID_QUERY_LOCATOR",
                                      "invalid query locator");
                }
                return page(state, request.matches[1], request.matches[2], query, *key, plan);
              });
}

}  // namespace provider_sim
