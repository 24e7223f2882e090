#include "hub/store/postgresql_rows.h"

#include <libpq-fe.h>

namespace hub {
namespace {

// Rows are sent in pieces of about this many bytes.
constexpr std::size_t kCopyChunk = 1 << 20;

PGconn* connection(Database& database) {
  return static_cast<PGconn*>(database.postgresql_handle());
}

[[noreturn]] void fail(PGconn* conn, const std::string& what) {
  throw soci::soci_error(what + ": " + PQerrorMessage(conn));
}

void run(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  auto status = PQresultStatus(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    fail(conn, "running " + sql);
}

std::string column_list(Entity entity) {
  std::string list = "instance, external_id";
  for (const auto& column : columns(entity))
    list += ", " + std::string(column.name);
  return list + ", content_hash, first_seen, last_synced, last_run";
}

}  // namespace

void append_copy_value(std::string& out, const Value& value) {
  if (!value) {
    out += "\\N";
    return;
  }
  for (char c : *value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

PostgresqlRows::PostgresqlRows(Database& database, std::string instance)
    : MultiRowWriter(database, std::move(instance)) {}

std::string PostgresqlRows::staging_for(Entity entity) {
  std::string staging = "hub_staging_" + std::string(table_name(entity));
  if (staged_.insert(entity).second) {
    // Same column types as the table, no constraints; emptied by every commit.
    run(connection(database_), "CREATE TEMP TABLE IF NOT EXISTS " + staging +
                                   " ON COMMIT DELETE ROWS AS SELECT " + column_list(entity) +
                                   " FROM " + std::string(table_name(entity)) + " WITH NO DATA");
  }
  return staging;
}

void PostgresqlRows::upsert(Entity entity, const std::vector<const RowWrite*>& rows,
                            bool keep_known, const std::string& now, long long run_id) {
  if (rows.empty())
    return;
  PGconn* conn = connection(database_);
  std::string staging = staging_for(entity);
  std::string columns_sql = column_list(entity);

  PGresult* start = PQexec(conn, ("COPY " + staging + " (" + columns_sql + ") FROM STDIN").c_str());
  auto status = PQresultStatus(start);
  PQclear(start);
  if (status != PGRES_COPY_IN)
    fail(conn, "starting COPY into " + staging);

  const std::string run_text = std::to_string(run_id);
  std::string buffer;
  buffer.reserve(kCopyChunk + 4096);
  auto send = [&] {
    if (!buffer.empty() &&
        PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      fail(conn, "sending rows to " + staging);
    }
    buffer.clear();
  };
  for (const RowWrite* row : rows) {
    append_copy_value(buffer, instance_);
    buffer += '\t';
    append_copy_value(buffer, row->record().external_id);
    for (const auto& value : row->record().values) {
      buffer += '\t';
      append_copy_value(buffer, value);
    }
    for (const std::string* text : {&row->hash, &now, &now, &run_text}) {
      buffer += '\t';
      append_copy_value(buffer, *text);
    }
    buffer += '\n';
    if (buffer.size() >= kCopyChunk)
      send();
  }
  send();
  if (PQputCopyEnd(conn, nullptr) != 1)
    fail(conn, "ending COPY into " + staging);
  bool failed = false;
  while (PGresult* result = PQgetResult(conn)) {
    failed = failed || PQresultStatus(result) != PGRES_COMMAND_OK;
    PQclear(result);
  }
  if (failed)
    fail(conn, "copying rows into " + staging);

  std::vector<std::string> updated;
  for (const auto& column : columns(entity))
    updated.emplace_back(column.name);
  updated.insert(updated.end(), {"content_hash", "last_synced", "last_run"});
  std::string table(table_name(entity));
  run(conn, "INSERT INTO " + table + " (" + columns_sql + ") SELECT " + columns_sql + " FROM " +
                staging +
                database_.upsert_clause("instance, external_id", updated, keep_known, table));
  run(conn, "TRUNCATE " + staging);

  // Fresh statistics as the table grows: without them the planner answers the stored-hash
  // query (instance and a thousand external ids) by scanning the instance's whole campaign
  // index, 60 ms a query at 100,000 rows. ANALYZE samples a fixed number of rows, and runs
  // each time this run's rows double: a handful of times per million.
  auto& written = written_[static_cast<std::size_t>(entity)];
  written += static_cast<long long>(rows.size());
  if (written >= next_analyze_[static_cast<std::size_t>(entity)]) {
    run(conn, "ANALYZE " + table);
    next_analyze_[static_cast<std::size_t>(entity)] = written * 2;
  }
}

}  // namespace hub
