// Reading rows back: a statement with text parameters, its rows handed over as text one at a
// time (any size), or collected into a table (small answers). Every read of the hub's tables
// for people (reports, exports, the API) goes through here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/database.h"

namespace hub {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

using RowVisitor = std::function<void(const std::vector<std::string>& columns,
                                      const std::vector<std::optional<std::string>>& row)>;

// Runs `sql` with its parameters (bound in order, as text) and hands every row to `visit`.
void each_row(Database& database, const std::string& sql, const std::vector<std::string>& params,
              const RowVisitor& visit);

// The same, collected.
Table query(Database& database, const std::string& sql, const std::vector<std::string>& params);

// A WHERE clause built from optional conditions: `add("status = :s", filter.status)` adds the
// condition only when the value is there.
struct Where {
  std::string clause;
  std::vector<std::string> params;
  void add(const std::string& condition, const std::optional<std::string>& value);
  // A condition with no parameter, or several.
  void add_raw(const std::string& condition, std::vector<std::string> values = {});
};

}  // namespace hub
