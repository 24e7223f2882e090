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
#include "hub/store/row_writer.h"

namespace hub {

class SqliteRows : public RowWriter {
 public:
  SqliteRows(Database& database, std::string instance);
  ~SqliteRows() override;
  SqliteRows(const SqliteRows&) = delete;
  SqliteRows& operator=(const SqliteRows&) = delete;

  // One keyed SELECT per key: on an embedded database that is cheaper than IN (...).
  void find(Entity entity, const std::vector<const std::string*>& keys,
            std::unordered_map<std::string, StoredRecord>& into) override;
  // One reused INSERT ... ON CONFLICT per row.
  void upsert(Entity entity, const std::vector<const RowWrite*>& rows, bool keep_known,
              const std::string& now, long long run) override;

 private:
  std::optional<StoredRecord> find_one(Entity entity, const std::string& external_id);
  void upsert_one(const CanonicalRecord& record, bool keep_known, const std::string& hash,
                  const std::string& now, long long run);

  struct Statements;
  Database& database_;
  std::string instance_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace hub
