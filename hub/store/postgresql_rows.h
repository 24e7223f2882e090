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
#include "hub/store/row_writer.h"

namespace hub {

// Finds keys as MultiRowWriter does; writes rows through COPY.
class PostgresqlRows : public MultiRowWriter {
 public:
  PostgresqlRows(Database& database, std::string instance);

  void upsert(Entity entity, const std::vector<const RowWrite*>& rows, bool keep_known,
              const std::string& now, long long run) override;

 private:
  std::string staging_for(Entity entity);

  std::set<Entity> staged_;  // staging tables created in this session
  // Rows written per entity by this store, and when to next refresh the table's statistics.
  std::array<long long, 5> written_{};
  std::array<long long, 5> next_analyze_{2000, 2000, 2000, 2000, 2000};
};

// One value in COPY's text format: \N for null, backslash escapes for the rest.
void append_copy_value(std::string& out, const Value& value);

}  // namespace hub
