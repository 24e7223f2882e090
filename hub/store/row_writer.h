// How one SQL dialect reads and writes the record rows of a batch, inside the store's
// transaction. One interface, one implementation per dialect, picked once by the database's
// dialect (make_row_writer):
//   SQLite      SqliteRows: prepared statements reused row by row through the sqlite3 C API
//   PostgreSQL  PostgresqlRows: COPY into a staging table, then one INSERT ... ON CONFLICT
//   MySQL       MultiRowWriter: multi-row INSERT ... ON DUPLICATE KEY UPDATE, 1,000 rows each
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/change_plan.h"
#include "hub/store/database.h"

namespace hub {

class RowWriter {
 public:
  virtual ~RowWriter() = default;

  // Adds to `into` what the database holds of `keys` of `entity`: content hash and status
  // (for metrics, of each campaign's latest snapshot). Keys it does not hold are left out.
  virtual void find(Entity entity, const std::vector<const std::string*>& keys,
                    std::unordered_map<std::string, StoredRecord>& into) = 0;

  // Inserts or updates `rows` of one entity table; with `keep_known`, a null value keeps the
  // stored one (a tombstone).
  virtual void upsert(Entity entity, const std::vector<const RowWrite*>& rows, bool keep_known,
                      const std::string& now, long long run) = 0;
};

// SQL any of the three dialects runs: keys looked up a thousand at a time with IN (...), rows
// written a thousand at a time with one multi-row INSERT and the dialect's upsert clause.
class MultiRowWriter : public RowWriter {
 public:
  MultiRowWriter(Database& database, std::string instance)
      : database_(database), instance_(std::move(instance)) {}

  void find(Entity entity, const std::vector<const std::string*>& keys,
            std::unordered_map<std::string, StoredRecord>& into) override;
  void upsert(Entity entity, const std::vector<const RowWrite*>& rows, bool keep_known,
              const std::string& now, long long run) override;

 protected:
  Database& database_;
  std::string instance_;
};

// The writer for the database's dialect.
std::unique_ptr<RowWriter> make_row_writer(Database& database, const std::string& instance);

}  // namespace hub
