// Exports as text: every row of an export source (hub/store/reports.h) as CSV (RFC 4180, a
// header first), one JSON array, or NDJSON (an object a line), streamed a piece at a time so
// that a table of any size goes out in little memory. `campaign-hub export` writes it to a file;
// the API sends it as a download. JSON values are typed (hub/query/typed_json.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "hub/store/database.h"
#include "hub/store/reports.h"

namespace hub {

enum class ExportFormat { csv, json, ndjson };

// "csv", "json" or "ndjson"; nothing for another word.
std::optional<ExportFormat> export_format(std::string_view name);

void write_export(Database& database, const ExportSource& source,
                  const std::optional<std::string>& instance, ExportFormat format,
                  const std::function<void(std::string_view piece)>& emit);

}  // namespace hub
