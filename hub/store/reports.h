// Exports: what operators take out of the hub, every row of a table with every column typed.
// (What people read, page by page, is hub/query/views.h.)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/model/canonical.h"
#include "hub/store/database.h"
#include "hub/store/sql_query.h"

namespace hub {

enum class ExportType { text, real, integer, time, boolean, json };
struct ExportColumn {
  std::string name;
  ExportType type = ExportType::text;
};
struct ExportSource {
  std::string name;  // what `export` calls it: "campaigns", "status-events", ...
  std::string table;
  std::vector<ExportColumn> columns;
  std::string order_by;
};
// How a canonical column's type reads out (a JSON column as JSON, and so on).
ExportType export_type(ColumnType type);
// campaigns, opportunities, participants, steps, metrics, status-events, quarantine.
std::vector<std::string> export_names();
// The source of that name; with `raw`, the provider's payload (quarantine: the kept record)
// too. Nothing for an unknown name.
std::optional<ExportSource> export_source(const std::string& name, bool raw);
// Every row of the source, or of one instance's, in a stable order, one at a time.
void each_export_row(
    Database& database, const ExportSource& source, const std::optional<std::string>& instance,
    const std::function<void(const std::vector<std::optional<std::string>>& row)>& visit);

}  // namespace hub
