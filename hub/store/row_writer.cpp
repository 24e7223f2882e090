#include "hub/store/row_writer.h"

#include "hub/store/postgresql_rows.h"
#include "hub/store/row_values.h"
#include "hub/store/sqlite_rows.h"
#include "hub/store/statements.h"

namespace hub {

void MultiRowWriter::find(Entity entity, const std::vector<const std::string*>& keys,
                          std::unordered_map<std::string, StoredRecord>& into) {
  const bool has_status = find_column(entity, "status").has_value();
  const std::string table(table_name(entity));
  in_chunks(
      database_.dialect(), keys, [&](Parameters& parameters) { parameters.text(instance_); },
      [](Parameters& parameters, const std::string* id) { parameters.text(*id); },
      [&](const std::string& in, Parameters& parameters) {
        const std::string query =
            entity == Entity::metrics
                ? "SELECT campaign_external_id, content_hash FROM metrics_snapshots WHERE id "
                  "IN (SELECT MAX(id) FROM metrics_snapshots WHERE instance = :p0 AND "
                  "campaign_external_id IN (" +
                      in + ") GROUP BY campaign_external_id)"
                : "SELECT external_id, content_hash" +
                      std::string(has_status ? ", status, raw_status, deleted, provider_updated_at"
                                             : "") +
                      " FROM " + table + " WHERE instance = :p0 AND external_id IN (" + in + ")";
        each_row(database_.session(), query, parameters, [&](const soci::row& row) {
          StoredRecord& found = into[column_text(row, 0).value_or("")];
          found.found = true;
          found.hash = column_text(row, 1).value_or("");
          if (row.size() > 2) {
            found.status = column_text(row, 2);
            found.raw_status = column_text(row, 3);
            found.deleted = column_text(row, 4) == Value("1");
            found.provider_updated_at = column_text(row, 5);
          }
        });
      });
}

void MultiRowWriter::upsert(Entity entity, const std::vector<const RowWrite*>& rows,
                            bool keep_known, const std::string& now, long long run) {
  if (rows.empty())
    return;
  const auto cols = columns(entity);
  std::string head = "INSERT INTO " + std::string(table_name(entity)) + " (instance, external_id";
  std::vector<std::string> updated;
  for (const auto& column : cols) {
    head += ", " + std::string(column.name);
    updated.emplace_back(column.name);
  }
  head += ", content_hash, first_seen, last_synced, last_run) VALUES ";
  updated.insert(updated.end(), {"content_hash", "last_synced", "last_run"});
  insert_rows(
      database_, head, cols.size() + 6, rows.size(),
      database_.upsert_clause("instance, external_id", updated, keep_known, table_name(entity)),
      [&](Parameters& parameters, std::size_t i) {
        const RowWrite& row = *rows[i];
        parameters.text(instance_);
        parameters.text(row.record().external_id);
        for (const auto& value : row.record().values)
          parameters.text(value);
        parameters.text(row.hash);
        parameters.text(now);
        parameters.text(now);
        parameters.integer(run);
      });
}

std::unique_ptr<RowWriter> make_row_writer(Database& database, const std::string& instance) {
  switch (database.dialect()) {
    case Dialect::sqlite3:
      return std::make_unique<SqliteRows>(database, instance);
    case Dialect::postgresql:
      return std::make_unique<PostgresqlRows>(database, instance);
    case Dialect::mysql:
      return std::make_unique<MultiRowWriter>(database, instance);
  }
  throw std::logic_error("make_row_writer: no writer for this dialect");
}

}  // namespace hub
