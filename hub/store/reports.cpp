#include "hub/store/reports.h"

#include "hub/store/sql_query.h"

namespace hub {

ExportType export_type(ColumnType type) {
  switch (type) {
    case ColumnType::real:
      return ExportType::real;
    case ColumnType::integer:
      return ExportType::integer;
    case ColumnType::time:
      return ExportType::time;
    case ColumnType::boolean:
      return ExportType::boolean;
    case ColumnType::json:
      return ExportType::json;
    case ColumnType::text:
      break;
  }
  return ExportType::text;
}

namespace {

// A record table: its key, every canonical column, then when the hub saw it.
ExportSource record_source(const std::string& name, Entity entity, bool raw) {
  ExportSource source{name, std::string(table_name(entity)), {}, "instance, external_id"};
  source.columns = {{"instance"}, {"external_id"}};
  for (const Column& column : columns(entity)) {
    if (column.name == "raw") {
      if (raw)
        source.columns.push_back({"raw", ExportType::json});
      continue;
    }
    source.columns.push_back({std::string(column.name), export_type(column.type)});
  }
  source.columns.insert(source.columns.end(), {{"first_seen", ExportType::time},
                                               {"last_synced", ExportType::time},
                                               {"last_run", ExportType::integer}});
  return source;
}

}  // namespace

std::vector<std::string> export_names() {
  return {"campaigns", "opportunities", "participants", "steps",
          "metrics",   "status-events", "quarantine"};
}

std::optional<ExportSource> export_source(const std::string& name, bool raw) {
  if (name == "campaigns")
    return record_source(name, Entity::campaign, raw);
  if (name == "opportunities")
    return record_source(name, Entity::opportunity, raw);
  if (name == "participants")
    return record_source(name, Entity::participant, raw);
  if (name == "steps")
    return record_source(name, Entity::step, raw);
  if (name == "metrics") {
    ExportSource source{name, "metrics_snapshots", {}, "instance, campaign_external_id, id"};
    source.columns = {{"id", ExportType::integer},
                      {"instance"},
                      {"campaign_external_id"},
                      {"run_id", ExportType::integer}};
    for (const Column& column : columns(Entity::metrics)) {
      if (column.name != "raw")
        source.columns.push_back({std::string(column.name), export_type(column.type)});
      else if (raw)
        source.columns.push_back({"raw", ExportType::json});
    }
    return source;
  }
  if (name == "status-events") {
    return ExportSource{name,
                        "status_events",
                        {{"id", ExportType::integer},
                         {"instance"},
                         {"entity"},
                         {"external_id"},
                         {"from_status"},
                         {"to_status"},
                         {"from_raw_status"},
                         {"to_raw_status"},
                         {"changed_at", ExportType::time},
                         {"run_id", ExportType::integer}},
                        "id"};
  }
  if (name == "quarantine") {
    ExportSource source{name,
                        "quarantine",
                        {{"id", ExportType::integer},
                         {"instance"},
                         {"entity"},
                         {"external_id"},
                         {"field"},
                         {"reason"},
                         {"created_at", ExportType::time},
                         {"last_seen", ExportType::time},
                         {"times_seen", ExportType::integer},
                         {"run_id", ExportType::integer},
                         {"last_run_id", ExportType::integer},
                         {"replayed_run_id", ExportType::integer}},
                        "id"};
    if (raw)
      source.columns.push_back({"record", ExportType::json});
    return source;
  }
  return std::nullopt;
}

void each_export_row(
    Database& database, const ExportSource& source, const std::optional<std::string>& instance,
    const std::function<void(const std::vector<std::optional<std::string>>& row)>& visit) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < source.columns.size(); ++i)
    sql += (i == 0 ? "" : ", ") + source.columns[i].name;
  Where where;
  where.add("instance = :i", instance);
  sql += " FROM " + source.table + where.clause + " ORDER BY " + source.order_by;
  each_row(database, sql, where.params,
           [&](const std::vector<std::string>&,
               const std::vector<std::optional<std::string>>& row) { visit(row); });
}

}  // namespace hub
