// SQLite's fast path for record rows: one prepared statement per purpose, reused for every
// row (bind, step, reset), straight through the sqlite3 C API under SOCI's connection. On an
// embedded database a statement per row costs no round trip, and this is the recipe of the
// write limit (bench/), so the hub's writes cost what SQLite's do.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hub/model/canonical.h"
#include "hub/store/database.h"

namespace hub {

class SqliteRows {
 public:
  SqliteRows(Database& database, std::string instance);
  ~SqliteRows();
  SqliteRows(const SqliteRows&) = delete;
  SqliteRows& operator=(const SqliteRows&) = delete;

  // What the table holds of (instance, external_id): its content hash and status.
  struct Stored {
    std::string hash;
    Value status;
  };
  std::optional<Stored> find(Entity entity, const std::string& external_id);

  // Inserts or updates one row. With `keep_known`, a null value keeps the stored one.
  void upsert(const CanonicalRecord& record, bool keep_known, const std::string& hash,
              const std::string& now, long long run);

 private:
  struct Statements;
  Database& database_;
  std::string instance_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace hub
