// Typed values as JSON, one way for every presenter (export, the API): numbers are numbers,
// flags are true or false, null is null, times are ISO 8601 text, JSON columns are the JSON they
// hold. A value its type does not fit stays text, never lost.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/store/reports.h"

namespace hub {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_typed(JsonWriter& writer, ExportType type, const std::optional<std::string>& value);
// One row as an object, a member per column.
void write_row(JsonWriter& writer, const std::vector<ExportColumn>& columns,
               const std::vector<std::optional<std::string>>& row);

}  // namespace hub
