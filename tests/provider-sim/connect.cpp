// The Connect-style scouting feed (../shared/providers/connect-feed.md): bearer token, opaque
// cursor paging, updated_since, tombstones for deleted campaigns.
#include "ids.h"
#include "sim.h"

namespace provider_sim {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 500;

const char* campaign_status(Dice& dice) {
  auto n = dice.below(10);
  return n < 2 ? "Draft" : n < 8 ? "On-going" : "Closed";
}

const char* opportunity_status(Dice& dice) {
  auto n = dice.below(20);
  return n < 12 ? "Active" : n < 15 ? "On-hold" : n < 18 ? "Closed" : "Declined";
}

// A touched record changes more than its time: its status may move too, as on the provider.
std::uint64_t version(const Table& table, const Row& row) {
  return row.updated == table.base_updated(row.index) ? 0 : static_cast<std::uint64_t>(row.updated);
}

void person(JsonWriter& w, const text::Person& p, const char* domain) {
  w.StartObject();
  put(w, "name", p.name);
  put(w, "email", std::string(p.email_local) + "@" + domain);
  w.EndObject();
}

void write_campaign(JsonWriter& w, const Simulator::State& state, const Table& table,
                    const Row& row) {
  w.StartObject();
  put(w, "id", record_id(tables::connect_campaigns, row.index));
  if (row.deleted) {
    put(w, "updated_at", rfc3339(row.updated));
    w.Key("deleted");
    w.Bool(true);
    w.EndObject();
    return;
  }
  Dice d(state.options.seed, 1, row.index);
  Dice v(state.options.seed, 11 + version(table, row), row.index);
  Epoch base = table.base_updated(row.index);
  std::string title = text::title(d);
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  put(w, "title", title + " challenge");
  put(w, "status", campaign_status(v));
  put(w, "department", d.pick(text::departments));
  put(w, "provider", "Connect");
  w.Key("campaign_manager");
  person(w, d.pick(text::people), "provider.example");
  w.Key("owner");
  if (d.below(3) == 0) {
    w.Null();
  } else {
    person(w, d.pick(text::people), "client.example");
  }
  Epoch start = base - 86400 * d.below(60);
  put(w, "start_date", iso_date(start));
  put(w, "end_date", iso_date(start + 86400 * (30 + d.below(120))));
  put(w, "review_by", iso_date(start + 86400 * (160 + d.below(30))));
  std::int64_t campaigns = state.options.campaigns;
  std::int64_t opportunities = state.options.opportunities;
  std::int64_t count =
      row.index < opportunities ? (opportunities - row.index - 1) / campaigns + 1 : 0;
  w.Key("opportunity_count");
  w.Int64(count);
  w.Key("connection_count");
  w.Int64(v.below(count + 1));
  put(w, "created_at", rfc3339(start - 86400 * 10));
  put(w, "updated_at", rfc3339(row.updated));
  w.Key("deleted");
  w.Bool(false);
  w.EndObject();
}

void write_opportunity(JsonWriter& w, const Simulator::State& state, const Table& table,
                       const Row& row) {
  w.StartObject();
  put(w, "id", record_id(tables::connect_opportunities, row.index));
  Dice d(state.options.seed, 2, row.index);
  Dice v(state.options.seed, 12 + version(table, row), row.index);
  int offset = row.index % 3 == 0 ? 60 : 0;  // some providers answer in local time
  put(w, "campaign_id",
      record_id(tables::connect_campaigns,
                row.index % std::max<std::int64_t>(state.options.campaigns, 1)));
  put(w, "title", text::title(d) + " (" + d.pick(text::qualifiers) + " variant)");
  put(w, "summary", text::summary(d));
  auto institution = d.below(16);
  w.Key("institution");
  w.StartObject();
  put(w, "name", text::institutions[institution]);
  put(w, "country", text::countries[institution]);
  w.EndObject();
  w.Key("submitted_by");
  person(w, d.pick(text::people), ("research-" + std::to_string(institution) + ".example").c_str());
  put(w, "status", opportunity_status(v));
  if (d.below(7) != 0) {
    w.Key("trl");
    w.Int(static_cast<int>(1 + d.below(9)));
  }
  put(w, "submitted_at", rfc3339(table.base_updated(row.index) - d.below(30 * 86400), offset));
  put(w, "updated_at", rfc3339(row.updated, offset));
  w.Key("attachments");
  w.StartArray();
  for (std::int64_t j = 0, n = d.below(3); j < n; ++j) {
    w.StartObject();
    put(w, "name", j == 0 ? "deck.pdf" : "datasheet-" + std::to_string(j) + ".pdf");
    put(w, "url", "https://files.provider.example/a/" + std::to_string(row.index * 3 + j));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

using RecordWriter = void (*)(JsonWriter&, const Simulator::State&, const Table&, const Row&);

Handler list(Simulator::State& state, const char* table_name, RecordWriter write_record) {
  return [&state, table_name, write_record](const httplib::Request& request,
                                            const FaultPlan& plan) -> Answer {
    auto token = bearer_token(request);
    if (!token || *token != credentials::connect_token) {
      return error_answer(Provider::connect, 401, "unauthorized", "bad or expired token");
    }
    auto limit = int_param(request, "limit", state.page_size(kDefaultLimit));
    if (!limit || *limit < 1 || *limit > kMaxLimit) {
      return error_answer(Provider::connect, 400, "bad_request",
                          "limit must be an integer from 1 to 500");
    }
    Key after;
    bool incremental = request.has_param("updated_since");
    if (incremental) {
      Epoch since;
      if (!parse_time(request.get_param_value("updated_since"), since)) {
        return error_answer(Provider::connect, 400, "bad_request",
                            "updated_since must be an RFC 3339 date-time");
      }
      after = Key{since, INT64_MAX};
    }
    if (request.has_param("cursor")) {
      auto key = decode_key(request.get_param_value("cursor"));
      if (!key)
        return error_answer(Provider::connect, 400, "bad_request", "invalid cursor");
      if (after < *key)
        after = *key;
    }
    const Table& table = state.table(table_name);
    auto n = static_cast<std::size_t>(*limit);
    std::vector<Row> rows = table.after(after, n + 1, incremental);
    bool more = rows.size() > n;
    if (more)
      rows.pop_back();

    rapidjson::StringBuffer buffer;
    buffer.Reserve(rows.size() * 1400 + 64);
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("data");
    w.StartArray();
    for (const Row& row : rows)
      write_record(w, state, table, row);
    w.EndArray();
    w.Key("next_cursor");
    if (more) {
      std::size_t last = rows.size() - 1 - std::min<std::size_t>(plan.repeat, rows.size() - 1);
      put(w, encode_key({rows[last].updated, rows[last].index}));
    } else {
      w.Null();
    }
    w.EndObject();
    Answer answer;
    answer.body.assign(buffer.GetString(), buffer.GetSize());
    return answer;
  };
}

}  // namespace

std::string connect_record_json(const Simulator::State& state, const Table& table, const Row& row) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  if (table.name() == tables::connect_campaigns) {
    write_campaign(w, state, table, row);
  } else {
    write_opportunity(w, state, table, row);
  }
  return {buffer.GetString(), buffer.GetSize()};
}

void add_connect(Simulator::State& state) {
  state.route("GET", "/v1/campaigns", Provider::connect,
              list(state, tables::connect_campaigns, &write_campaign));
  state.route("GET", "/v1/opportunities", Provider::connect,
              list(state, tables::connect_opportunities, &write_opportunity));
}

}  // namespace provider_sim
