#include "hub/query/export.h"

#include "hub/query/typed_json.h"

namespace hub {
namespace {

void append_csv_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

std::string json_row(const ExportSource& source,
                     const std::vector<std::optional<std::string>>& row) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  write_row(writer, source.columns, row);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::optional<ExportFormat> export_format(std::string_view name) {
  if (name == "csv")
    return ExportFormat::csv;
  if (name == "json")
    return ExportFormat::json;
  if (name == "ndjson")
    return ExportFormat::ndjson;
  return std::nullopt;
}

void write_export(Database& database, const ExportSource& source,
                  const std::optional<std::string>& instance, ExportFormat format,
                  const std::function<void(std::string_view piece)>& emit) {
  std::string line;
  if (format == ExportFormat::csv) {
    for (std::size_t i = 0; i < source.columns.size(); ++i) {
      if (i)
        line += ',';
      append_csv_field(line, source.columns[i].name);
    }
    line += "\r\n";
    emit(line);
  }
  if (format == ExportFormat::json)
    emit("[");
  bool first = true;
  each_export_row(database, source, instance,
                  [&](const std::vector<std::optional<std::string>>& row) {
                    line.clear();
                    switch (format) {
                      case ExportFormat::csv:
                        for (std::size_t i = 0; i < row.size(); ++i) {
                          if (i)
                            line += ',';
                          if (row[i])
                            append_csv_field(line, *row[i]);
                        }
                        line += "\r\n";
                        break;
                      case ExportFormat::json:
                        line = (first ? "\n" : ",\n") + json_row(source, row);
                        break;
                      case ExportFormat::ndjson:
                        line = json_row(source, row) + "\n";
                        break;
                    }
                    first = false;
                    emit(line);
                  });
  if (format == ExportFormat::json)
    emit(first ? "]\n" : "\n]\n");
}

}  // namespace hub
