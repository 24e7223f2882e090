// PostgreSQL's fast path for record rows: COPY the batch's rows into a temporary staging
// table, then one INSERT ... SELECT ... ON CONFLICT moves them into the table. COPY streams
// text with no per-value binding, and the upsert runs once per batch inside the server.
#pragma once

#include <array>
#include <set>
#include <string>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/database.h"

namespace hub {

class PostgresqlRows {
 public:
  PostgresqlRows(Database& database, std::string instance);

  struct Row {
    const CanonicalRecord* record;
    const std::string* hash;
  };
  // Inserts or updates `rows` of one entity table; with `keep_known`, a null keeps the
  // stored value. Runs inside the caller's transaction.
  void upsert(Entity entity, const std::vector<Row>& rows, bool keep_known, const std::string& now,
              long long run);

 private:
  std::string staging_for(Entity entity);

  Database& database_;
  std::string instance_;
  std::set<Entity> staged_;  // staging tables created in this session
  // Rows written per entity by this store, and when to next refresh the table's statistics.
  std::array<long long, 5> written_{};
  std::array<long long, 5> next_analyze_{2000, 2000, 2000, 2000, 2000};
};

// One value in COPY's text format: \N for null, backslash escapes for the rest.
void append_copy_value(std::string& out, const Value& value);

}  // namespace hub
