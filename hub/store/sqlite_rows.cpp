#include "hub/store/sqlite_rows.h"

#include <sqlite3.h>

#include <array>

namespace hub {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  // A soci_error, like every other database failure, so callers treat both paths alike.
  throw soci::soci_error(what + ": " + sqlite3_errmsg(db));
}

// A prepared statement, finalized with its owner.
struct Prepared {
  sqlite3_stmt* statement = nullptr;
  ~Prepared() { sqlite3_finalize(statement); }
};

void bind_text(sqlite3* db, sqlite3_stmt* statement, int index, const std::string& text) {
  // SQLITE_STATIC: the strings outlive the step that reads them.
  if (sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_STATIC) != SQLITE_OK) {
    fail(db, "binding a value");
  }
}

void bind_value(sqlite3* db, sqlite3_stmt* statement, int index, const Value& value) {
  if (value) {
    bind_text(db, statement, index, *value);
  } else if (sqlite3_bind_null(statement, index) != SQLITE_OK) {
    fail(db, "binding a null");
  }
}

}  // namespace

struct SqliteRows::Statements {
  sqlite3* db = nullptr;
  std::array<Prepared, kEntityCount> select;
  std::array<std::array<Prepared, 2>, kEntityCount> upsert;  // [entity][keep_known]

  sqlite3_stmt* prepare(Prepared& slot, const std::string& sql) {
    if (!slot.statement &&
        sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &slot.statement, nullptr) != SQLITE_OK) {
      fail(db, "preparing " + sql);
    }
    return slot.statement;
  }
};

SqliteRows::SqliteRows(Database& database, std::string instance)
    : database_(database), instance_(std::move(instance)), statements_(new Statements) {
  statements_->db = static_cast<sqlite3*>(database_.sqlite_handle());
}

SqliteRows::~SqliteRows() = default;

void SqliteRows::find(Entity entity, const std::vector<const std::string*>& keys,
                      std::unordered_map<std::string, StoredRecord>& into) {
  for (const std::string* key : keys) {
    if (auto stored = find_one(entity, *key))
      into[*key] = std::move(*stored);
  }
}

void SqliteRows::upsert(Entity, const std::vector<const RowWrite*>& rows, bool keep_known,
                        const std::string& now, long long run) {
  for (const RowWrite* row : rows)
    upsert_one(row->record(), keep_known, row->hash, now, run);
}

std::optional<StoredRecord> SqliteRows::find_one(Entity entity, const std::string& external_id) {
  auto& s = *statements_;
  auto index = static_cast<std::size_t>(entity);
  bool has_status = entity != Entity::metrics;
  std::string table(table_name(entity));
  sqlite3_stmt* statement = s.prepare(
      s.select[index], entity == Entity::metrics
                           ? "SELECT content_hash FROM metrics_snapshots WHERE instance = ?1 AND "
                             "campaign_external_id = ?2 ORDER BY id DESC LIMIT 1"
                           : "SELECT content_hash, status, raw_status, deleted, "
                             "provider_updated_at FROM " +
                                 table + " WHERE instance = ?1 AND external_id = ?2");
  bind_text(s.db, statement, 1, instance_);
  bind_text(s.db, statement, 2, external_id);
  std::optional<StoredRecord> stored;
  int step = sqlite3_step(statement);
  if (step == SQLITE_ROW) {
    stored.emplace();
    stored->found = true;
    auto text = [&](int column) -> Value {
      if (sqlite3_column_type(statement, column) == SQLITE_NULL)
        return std::nullopt;
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, column)),
                         static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    };
    stored->hash = text(0).value_or("");
    if (has_status) {
      stored->status = text(1);
      stored->raw_status = text(2);
      stored->deleted = sqlite3_column_int(statement, 3) != 0;
      stored->provider_updated_at = text(4);
    }
  } else if (step != SQLITE_DONE) {
    sqlite3_reset(statement);
    fail(s.db, "reading " + table);
  }
  sqlite3_reset(statement);
  return stored;
}

void SqliteRows::upsert_one(const CanonicalRecord& record, bool keep_known, const std::string& hash,
                            const std::string& now, long long run) {
  auto& s = *statements_;
  auto cols = columns(record.entity);
  auto index = static_cast<std::size_t>(record.entity);
  Prepared& slot = s.upsert[index][keep_known ? 1 : 0];
  if (!slot.statement) {
    std::string sql =
        "INSERT INTO " + std::string(table_name(record.entity)) + " (instance, external_id";
    std::string values = "?, ?";
    std::vector<std::string> updated;
    for (const auto& column : cols) {
      sql += ", " + std::string(column.name);
      values += ", ?";
      updated.emplace_back(column.name);
    }
    updated.insert(updated.end(), {"content_hash", "last_synced", "last_run"});
    sql += ", content_hash, first_seen, last_synced, last_run) VALUES (" + values +
           ", ?, ?, ?, ?)" +
           database_.upsert_clause("instance, external_id", updated, keep_known,
                                   table_name(record.entity));
    s.prepare(slot, sql);
  }
  sqlite3_stmt* statement = slot.statement;
  int at = 1;
  bind_text(s.db, statement, at++, instance_);
  bind_text(s.db, statement, at++, record.external_id);
  for (const auto& value : record.values)
    bind_value(s.db, statement, at++, value);
  bind_text(s.db, statement, at++, hash);
  bind_text(s.db, statement, at++, now);
  bind_text(s.db, statement, at++, now);
  if (sqlite3_bind_int64(statement, at, run) != SQLITE_OK)
    fail(s.db, "binding the run");
  int step = sqlite3_step(statement);
  sqlite3_reset(statement);
  if (step != SQLITE_DONE)
    fail(s.db, "writing " + std::string(table_name(record.entity)));
}

}  // namespace hub
