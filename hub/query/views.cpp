#include "hub/query/views.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "connectors/text/hex.h"
#include "hub/model/canonical.h"
#include "hub/model/statuses.h"
#include "hub/store/sql_query.h"
#include "hub/store/triage.h"

namespace hub::views {
namespace {

constexpr std::size_t kMaxLimit = 1000;
constexpr char kSeparator = '\x1f';

// ---- cursors: the last key of a page, hex-encoded so that it is opaque and URL-safe ----

std::string encode_cursor(const std::vector<std::string>& key) {
  std::string joined;
  for (std::size_t i = 0; i < key.size(); ++i)
    joined += (i == 0 ? "" : std::string(1, kSeparator)) + key[i];
  return connectors::text::hex(joined);
}

std::vector<std::string> decode_cursor(const std::string& cursor, std::size_t parts) {
  const auto bad = [] { return BadQuery("cursor", "not a cursor this API gave"); };
  if (cursor.size() % 2 != 0)
    throw bad();
  std::string joined;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(cursor.data() + i, cursor.data() + i + 2, value, 16);
    if (error != std::errc() || end != cursor.data() + i + 2)
      throw bad();
    joined += static_cast<char>(value);
  }
  std::vector<std::string> key;
  std::size_t start = 0;
  for (auto at = joined.find(kSeparator); at != std::string::npos;
       at = joined.find(kSeparator, start)) {
    key.push_back(joined.substr(start, at - start));
    start = at + 1;
  }
  key.push_back(joined.substr(start));
  if (key.size() != parts)
    throw bad();
  return key;
}

void check_limit(const Paging& paging) {
  if (paging.limit < 1 || paging.limit > kMaxLimit)
    throw BadQuery("limit", "must be 1 to " + std::to_string(kMaxLimit));
}

void check_status(std::string_view entity, const std::optional<std::string>& status) {
  if (!status || is_canonical_status(entity, *status) ||
      (*status == "deleted" && entity != "metrics"))
    return;
  std::string allowed;
  for (auto each : canonical_statuses(entity))
    allowed += (allowed.empty() ? "" : ", ") + std::string(each);
  throw BadQuery(
      "status", "'" + *status + "' is not a " + std::string(entity) + " status; one of " + allowed);
}

// Rows of `sql` with each column typed by `types` (text when not listed).
TypedTable typed(Database& database, const std::string& sql, const std::vector<std::string>& params,
                 const std::map<std::string, ExportType, std::less<>>& types) {
  Table table = query(database, sql, params);
  TypedTable out;
  for (const auto& name : table.columns) {
    auto found = types.find(name);
    out.columns.push_back({name, found == types.end() ? ExportType::text : found->second});
  }
  out.rows = std::move(table.rows);
  return out;
}

// A record table's columns for people: the key, the canonical columns but raw, and when the
// hub saw it.
struct RecordColumns {
  std::string select;
  std::map<std::string, ExportType, std::less<>> types;
};

// `instead` gives a column another expression (the triaged initiative over the synced one).
RecordColumns record_columns(Entity entity, const std::string& alias = "",
                             const std::map<std::string, std::string, std::less<>>& instead = {}) {
  const std::string prefix = alias.empty() ? "" : alias + ".";
  RecordColumns out;
  out.select = prefix + "instance, " + prefix + "external_id";
  for (const Column& column : columns(entity)) {
    if (column.name == "raw")
      continue;
    auto other = instead.find(column.name);
    out.select += ", " + (other != instead.end() ? other->second + " AS " + std::string(column.name)
                                                 : prefix + std::string(column.name));
    out.types[std::string(column.name)] = export_type(column.type);
  }
  out.select += ", " + prefix + "first_seen, " + prefix + "last_synced, " + prefix + "last_run";
  out.types["first_seen"] = ExportType::time;
  out.types["last_synced"] = ExportType::time;
  out.types["last_run"] = ExportType::integer;
  return out;
}

// Keyset paging on (instance, external_id): the rows after the cursor's key.
void after_key(Where& where, const Paging& paging, const std::string& prefix = "") {
  if (!paging.cursor)
    return;
  auto key = decode_cursor(*paging.cursor, 2);
  where.add_raw("(" + prefix + "instance > :ci OR (" + prefix + "instance = :cj AND " + prefix +
                    "external_id > :ce))",
                {key[0], key[0], key[1]});
}

// Cuts the one row asked beyond the limit, and says where the next page starts.
std::optional<std::string> next_cursor(TypedTable& table, std::size_t limit,
                                       const std::vector<std::string>& key_columns) {
  if (table.rows.size() <= limit)
    return std::nullopt;
  table.rows.resize(limit);
  std::vector<std::string> key;
  key.reserve(key_columns.size());
  for (const auto& column : key_columns)
    key.push_back(table.at(limit - 1, column)->value_or(""));
  return encode_cursor(key);
}

std::string limit_clause(const Paging& paging) {
  return " LIMIT " + std::to_string(paging.limit + 1);
}

std::int64_t to_int(const Value& value) {
  std::int64_t out = 0;
  if (value)
    std::from_chars(value->data(), value->data() + value->size(), out);
  return out;
}

const std::map<std::string, ExportType, std::less<>>& metrics_types() {
  static const auto types = [] {
    std::map<std::string, ExportType, std::less<>> out;
    for (const Column& column : columns(Entity::metrics))
      out[std::string(column.name)] = export_type(column.type);
    out["id"] = ExportType::integer;
    out["run_id"] = ExportType::integer;
    return out;
  }();
  return types;
}

std::string metrics_select() {
  std::string select = "id, run_id";
  for (const Column& column : columns(Entity::metrics)) {
    if (column.name != "raw")
      select += ", " + std::string(column.name);
  }
  return select;
}

const std::map<std::string, ExportType, std::less<>> kEventTypes = {
    {"id", ExportType::integer}, {"changed_at", ExportType::time}, {"run_id", ExportType::integer}};

// What a card needs beyond the campaign row: funnel, participants, latest metrics.
void fill_summary(Database& database, CampaignSummary& summary, const std::string& today) {
  const auto value = [&](std::string_view name) -> Value {
    for (std::size_t i = 0; i < summary.columns.size(); ++i) {
      if (summary.columns[i].name == name)
        return summary.values[i];
    }
    return std::nullopt;
  };
  const std::string instance = value("instance").value_or("");
  const std::string id = value("external_id").value_or("");
  std::int64_t opportunities = 0;
  each_row(database,
           "SELECT status, COUNT(*) FROM opportunities WHERE instance = :i AND "
           "campaign_external_id = :c AND deleted = 0 GROUP BY status",
           {instance, id}, [&](const auto&, const auto& row) {
             summary.funnel[row[0].value_or("")] = to_int(row[1]);
             opportunities += to_int(row[1]);
           });
  std::int64_t participants = 0;
  each_row(database,
           "SELECT status, COUNT(*) FROM participants WHERE instance = :i AND "
           "campaign_external_id = :c AND deleted = 0 GROUP BY status",
           {instance, id}, [&](const auto&, const auto& row) {
             summary.participants[row[0].value_or("")] = to_int(row[1]);
             participants += to_int(row[1]);
           });
  if (participants > 0) {
    auto completed = summary.participants.find("completed");
    summary.completion_rate =
        static_cast<double>(completed == summary.participants.end() ? 0 : completed->second) /
        static_cast<double>(participants);
  }
  summary.latest_metrics =
      typed(database,
            "SELECT " + metrics_select() +
                " FROM metrics_snapshots WHERE instance = :i AND campaign_external_id = :c "
                "ORDER BY id DESC LIMIT 1",
            {instance, id}, metrics_types());
  const Value review_by = value("review_by");
  const auto days = review_by ? days_until(today, *review_by) : std::nullopt;
  summary.columns.push_back({"days_left", ExportType::integer});
  summary.values.push_back(days ? Value(std::to_string(*days)) : std::nullopt);
  summary.columns.push_back({"opportunities", ExportType::integer});
  summary.values.emplace_back(std::to_string(opportunities));
  summary.columns.push_back({"participant_count", ExportType::integer});
  summary.values.emplace_back(std::to_string(participants));
}

std::vector<CampaignSummary> summaries(Database& database, TypedTable table,
                                       const std::string& today) {
  std::vector<CampaignSummary> out;
  for (auto& row : table.rows) {
    CampaignSummary summary;
    summary.columns = table.columns;
    summary.values = std::move(row);
    fill_summary(database, summary, today);
    out.push_back(std::move(summary));
  }
  return out;
}

// A campaign with the owner the hub keeps for it (a person named one where the provider has
// none): `assigned_owner`, beside the provider's `owner`.
constexpr const char* kCampaignsJoined =
    "campaigns c LEFT JOIN campaign_assignments a ON a.instance = c.instance AND "
    "a.external_id = c.external_id";

RecordColumns campaign_columns() {
  RecordColumns columns = record_columns(Entity::campaign, "c");
  columns.select +=
      ", a.owner AS assigned_owner, a.changed_by AS assigned_by, a.changed_at AS "
      "assigned_at";
  columns.types["assigned_at"] = ExportType::time;
  return columns;
}

}  // namespace

const Value* TypedTable::at(std::size_t row, std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column)
      return &rows.at(row)[i];
  }
  return nullptr;
}

std::string utc_today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{now};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::vector<std::string> campaign_instances(Database& database, const std::string& external_id) {
  std::vector<std::string> out;
  each_row(database, "SELECT instance FROM campaigns WHERE external_id = :e ORDER BY instance",
           {external_id},
           [&](const auto&, const auto& row) { out.push_back(row.at(0).value_or("")); });
  return out;
}

std::optional<std::int64_t> days_until(const std::string& today, const std::string& deadline) {
  const auto date = [](std::string_view text) -> std::optional<std::chrono::sys_days> {
    int y = 0;
    unsigned m = 0, d = 0;
    if (text.size() < 10 || text[4] != '-' || text[7] != '-')
      return std::nullopt;
    auto parse = [&](std::size_t at, std::size_t length, auto& out) {
      auto [end, error] = std::from_chars(text.data() + at, text.data() + at + length, out);
      return error == std::errc() && end == text.data() + at + length;
    };
    if (!parse(0, 4, y) || !parse(5, 2, m) || !parse(8, 2, d))
      return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                    std::chrono::day(d)};
    if (!ymd.ok())
      return std::nullopt;
    return std::chrono::sys_days(ymd);
  };
  auto from = date(today);
  auto to = date(deadline);
  if (!from || !to)
    return std::nullopt;
  return (*to - *from).count();
}

CampaignPage list_campaigns(Database& database, const CampaignQuery& query,
                            const std::string& today) {
  check_limit(query.paging);
  check_status("campaign", query.status);
  Where where;
  where.add("c.instance = :i", query.instance);
  where.add("c.status = :s", query.status);
  where.add("c.kind = :k", query.kind);
  if (!query.include_deleted)
    where.add_raw("c.deleted = 0");
  after_key(where, query.paging, "c.");
  const RecordColumns columns = campaign_columns();
  TypedTable table = typed(database,
                           "SELECT " + columns.select + " FROM " + kCampaignsJoined + where.clause +
                               " ORDER BY c.instance, c.external_id" + limit_clause(query.paging),
                           where.params, columns.types);
  CampaignPage page;
  page.next_cursor = next_cursor(table, query.paging.limit, {"instance", "external_id"});
  page.items = summaries(database, std::move(table), today);
  return page;
}

std::optional<CampaignDetail> campaign_detail(Database& database, const std::string& instance,
                                              const std::string& external_id,
                                              const std::string& today) {
  const RecordColumns columns = campaign_columns();
  TypedTable table = typed(database,
                           "SELECT " + columns.select + " FROM " + kCampaignsJoined +
                               " WHERE c.instance = :i AND c.external_id = :e",
                           {instance, external_id}, columns.types);
  if (table.rows.empty())
    return std::nullopt;
  CampaignDetail detail;
  detail.summary = std::move(summaries(database, std::move(table), today).front());
  detail.history = typed(database,
                         "SELECT id, from_status, to_status, from_raw_status, to_raw_status, "
                         "changed_at, run_id FROM status_events WHERE instance = :i AND "
                         "entity = 'campaign' AND external_id = :e ORDER BY id",
                         {instance, external_id}, kEventTypes);
  detail.metrics_trend = typed(database,
                               "SELECT " + metrics_select() +
                                   " FROM metrics_snapshots WHERE instance = :i AND "
                                   "campaign_external_id = :c ORDER BY id",
                               {instance, external_id}, metrics_types());
  return detail;
}

namespace {

// The records of one table, as `r`, with `joined` (a JOIN clause) and `columns` over both.
RowPage list_records(Database& database, Entity entity, const std::string& parent_column,
                     const std::optional<std::string>& instance,
                     const std::optional<std::string>& parent,
                     const std::optional<std::string>& status, bool include_deleted,
                     const Paging& paging, Where where = {}, const std::string& joined = "",
                     std::optional<RecordColumns> columns = std::nullopt) {
  check_limit(paging);
  check_status(entity_name(entity), status);
  where.add("r.instance = :i", instance);
  if (!parent_column.empty())
    where.add("r." + parent_column + " = :p", parent);
  where.add("r.status = :s", status);
  if (!include_deleted && status != "deleted")
    where.add_raw("r.deleted = 0");
  after_key(where, paging, "r.");
  if (!columns)
    columns = record_columns(entity, "r");
  RowPage page;
  page.table = typed(database,
                     "SELECT " + columns->select + " FROM " + std::string(table_name(entity)) +
                         " r" + joined + where.clause + " ORDER BY r.instance, r.external_id" +
                         limit_clause(paging),
                     where.params, columns->types);
  page.next_cursor = next_cursor(page.table, paging.limit, {"instance", "external_id"});
  return page;
}

}  // namespace

// An opportunity as a person sees it: its triage beside what the provider said. `initiative`
// is the one a person moved it to, else the one the sync gave (`synced_initiative`);
// `triage_state` is "new" until someone triages it.
RowPage list_opportunities(Database& database, const OpportunityQuery& query) {
  if (query.triage &&
      std::find(kTriageStates.begin(), kTriageStates.end(), *query.triage) == kTriageStates.end()) {
    throw BadQuery("triage", "'" + *query.triage +
                                 "' is not a triage state; one of new, reviewing, shortlisted, "
                                 "rejected");
  }
  Where where;
  where.add("COALESCE(t.initiative, r.initiative) = :n", query.initiative);
  where.add("COALESCE(t.state, 'new') = :t", query.triage);
  if (query.changed_since_run)
    where.add("r.last_run > :r", std::to_string(*query.changed_since_run));
  RecordColumns columns = record_columns(Entity::opportunity, "r",
                                         {{"initiative", "COALESCE(t.initiative, r.initiative)"}});
  columns.select +=
      ", r.initiative AS synced_initiative, COALESCE(t.state, 'new') AS "
      "triage_state, t.note AS triage_note, t.changed_by AS triaged_by, "
      "t.changed_at AS triaged_at";
  columns.types["triaged_at"] = ExportType::time;
  return list_records(database, Entity::opportunity, "campaign_external_id", query.instance,
                      query.campaign, query.status, query.include_deleted, query.paging,
                      std::move(where),
                      " LEFT JOIN opportunity_triage t ON t.instance = r.instance AND "
                      "t.external_id = r.external_id",
                      std::move(columns));
}

RowPage list_participants(Database& database, const RecordQuery& query) {
  return list_records(database, Entity::participant, "campaign_external_id", query.instance,
                      query.parent, query.status, query.include_deleted, query.paging);
}

RowPage list_steps(Database& database, const RecordQuery& query) {
  return list_records(database, Entity::step, "participant_external_id", query.instance,
                      query.parent, query.status, query.include_deleted, query.paging);
}

namespace {

const std::map<std::string, ExportType, std::less<>> kRunTypes = {
    {"id", ExportType::integer},
    {"started_at", ExportType::time},
    {"finished_at", ExportType::time},
    {"full_refresh", ExportType::boolean},
    {"dry_run", ExportType::boolean},
    {"records_read", ExportType::integer},
    {"inserted", ExportType::integer},
    {"updated", ExportType::integer},
    {"unchanged", ExportType::integer},
    {"quarantined", ExportType::integer},
    {"http_requests", ExportType::integer},
    {"http_retries", ExportType::integer}};

constexpr const char* kRunSelect =
    "SELECT id, instance, state, started_at, finished_at, full_refresh, dry_run, records_read, "
    "inserted, updated, unchanged, quarantined, http_requests, http_retries, error FROM runs";

std::int64_t id_from_cursor(const Paging& paging) {
  auto key = decode_cursor(*paging.cursor, 1);
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(key[0].data(), key[0].data() + key[0].size(), id);
  if (error != std::errc() || end != key[0].data() + key[0].size())
    throw BadQuery("cursor", "not a cursor this API gave");
  return id;
}

}  // namespace

RowPage list_runs(Database& database, const RunQuery& query) {
  check_limit(query.paging);
  Where where;
  where.add("instance = :i", query.instance);
  if (query.paging.cursor)
    where.add("id < :c", std::to_string(id_from_cursor(query.paging)));
  RowPage page;
  page.table = typed(
      database,
      std::string(kRunSelect) + where.clause + " ORDER BY id DESC" + limit_clause(query.paging),
      where.params, kRunTypes);
  page.next_cursor = next_cursor(page.table, query.paging.limit, {"id"});
  return page;
}

namespace {

const std::map<std::string, ExportType, std::less<>> kQuarantineTypes = {
    {"id", ExportType::integer},
    {"first_seen", ExportType::time},
    {"last_seen", ExportType::time},
    {"syncs", ExportType::integer},
    {"run_id", ExportType::integer},
    {"last_run_id", ExportType::integer},
    {"replayed_run_id", ExportType::integer},
    {"record", ExportType::json}};

constexpr const char* kQuarantineSelect =
    "SELECT id, instance, entity, external_id, field, reason, created_at AS first_seen, "
    "last_seen, times_seen AS syncs, run_id, last_run_id, replayed_run_id";

}  // namespace

std::optional<RunDetail> run_detail(Database& database, std::int64_t run_id) {
  const std::string id = std::to_string(run_id);
  RunDetail detail;
  detail.run = typed(database, std::string(kRunSelect) + " WHERE id = :r", {id}, kRunTypes);
  if (detail.run.rows.empty())
    return std::nullopt;
  detail.status_changes = typed(database,
                                "SELECT id, entity, external_id, from_status, to_status, "
                                "from_raw_status, to_raw_status, changed_at FROM status_events "
                                "WHERE run_id = :r ORDER BY id",
                                {id}, kEventTypes);
  detail.quarantined = typed(database,
                             std::string(kQuarantineSelect) +
                                 " FROM quarantine WHERE run_id = :r OR last_run_id = :s "
                                 "ORDER BY id",
                             {id, id}, kQuarantineTypes);
  return detail;
}

Changes changes_since(Database& database, const ChangesQuery& query) {
  if (query.since_run.has_value() == query.since_time.has_value())
    throw BadQuery("since_run", "give either since_run or since, one of them");
  if (query.since_time && !days_until(*query.since_time, *query.since_time))
    throw BadQuery("since", "'" + *query.since_time + "' is not an ISO 8601 date or time");
  Changes changes;
  Where runs;
  runs.add("instance = :i", query.instance);
  Where events;
  events.add("instance = :i", query.instance);
  std::string written_since;  // a condition on a record table
  std::vector<std::string> written_params;
  if (query.since_run) {
    const std::string run = std::to_string(*query.since_run);
    runs.add("id > :r", run);
    events.add("run_id > :r", run);
    written_since = "last_run > :r";
    written_params = {run};
  } else {
    runs.add("started_at >= :t", query.since_time);
    events.add("changed_at >= :t", query.since_time);
    written_since = "last_synced >= :t";
    written_params = {*query.since_time};
  }
  changes.runs = typed(database, std::string(kRunSelect) + runs.clause + " ORDER BY id",
                       runs.params, kRunTypes);
  changes.status_changes =
      typed(database,
            "SELECT id, instance, entity, external_id, from_status, to_status, from_raw_status, "
            "to_raw_status, changed_at, run_id FROM status_events" +
                events.clause + " ORDER BY id LIMIT " + std::to_string(query.limit + 1),
            events.params, kEventTypes);
  if (changes.status_changes.rows.size() > query.limit) {
    changes.status_changes.rows.resize(query.limit);
    changes.truncated = true;
  }
  for (Entity entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
    Where where;
    where.add("instance = :i", query.instance);
    where.add_raw(written_since, written_params);
    Table count = hub::query(
        database, "SELECT COUNT(*) FROM " + std::string(table_name(entity)) + where.clause,
        where.params);
    changes.records_written[std::string(table_name(entity))] = to_int(count.rows.at(0).at(0));
  }
  return changes;
}

RowPage list_metrics(Database& database, const MetricsQuery& query) {
  check_limit(query.paging);
  Where where;
  where.add("instance = :i", query.instance);
  where.add("campaign_external_id = :c", query.campaign);
  if (query.paging.cursor)
    where.add("id < :d", std::to_string(id_from_cursor(query.paging)));
  RowPage page;
  page.table = typed(database,
                     "SELECT instance, campaign_external_id, " + metrics_select() +
                         " FROM metrics_snapshots" + where.clause + " ORDER BY id DESC" +
                         limit_clause(query.paging),
                     where.params, metrics_types());
  page.next_cursor = next_cursor(page.table, query.paging.limit, {"id"});
  return page;
}

RowPage list_quarantine(Database& database, const QuarantineQuery& query) {
  check_limit(query.paging);
  Where where;
  where.add("instance = :i", query.instance);
  if (query.run_id) {
    const std::string run = std::to_string(*query.run_id);
    where.add_raw("(run_id = :r OR last_run_id = :s)", {run, run});
  }
  if (!query.include_replayed)
    where.add_raw("replayed_run_id IS NULL");
  if (query.paging.cursor)
    where.add("id > :c", std::to_string(id_from_cursor(query.paging)));
  RowPage page;
  page.table =
      typed(database,
            std::string(kQuarantineSelect) + (query.with_record ? ", record" : "") +
                " FROM quarantine" + where.clause + " ORDER BY id" + limit_clause(query.paging),
            where.params, kQuarantineTypes);
  page.next_cursor = next_cursor(page.table, query.paging.limit, {"id"});
  return page;
}

}  // namespace hub::views
