#include "hub/query/typed_json.h"

#include <charconv>
#include <cmath>

#include <rapidjson/document.h>

namespace hub {
namespace {

void write_text(JsonWriter& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

void write_typed(JsonWriter& writer, ExportType type, const std::optional<std::string>& value) {
  if (!value) {
    writer.Null();
    return;
  }
  const std::string& text = *value;
  const char* end = text.data() + text.size();
  switch (type) {
    case ExportType::integer: {
      std::int64_t number = 0;
      auto [at, error] = std::from_chars(text.data(), end, number);
      if (error == std::errc() && at == end) {
        writer.Int64(number);
        return;
      }
      // Some backends hand an integer column back as "12.0".
      double real = 0;
      auto [real_at, real_error] = std::from_chars(text.data(), end, real);
      if (real_error == std::errc() && real_at == end &&
          real == static_cast<double>(static_cast<std::int64_t>(real))) {
        writer.Int64(static_cast<std::int64_t>(real));
        return;
      }
      break;
    }
    case ExportType::real: {
      double number = 0;
      auto [at, error] = std::from_chars(text.data(), end, number);
      if (error == std::errc() && at == end && std::isfinite(number)) {
        writer.Double(number);
        return;
      }
      break;
    }
    case ExportType::boolean:
      if (text == "1" || text == "true" || text == "t") {
        writer.Bool(true);
        return;
      }
      if (text == "0" || text == "false" || text == "f") {
        writer.Bool(false);
        return;
      }
      break;
    case ExportType::json: {
      rapidjson::Document document;
      document.Parse(text.c_str(), text.size());
      if (!document.HasParseError()) {
        document.Accept(writer);
        return;
      }
      break;
    }
    case ExportType::text:
    case ExportType::time:
      break;
  }
  write_text(writer, text);
}

void write_row(JsonWriter& writer, const std::vector<ExportColumn>& columns,
               const std::vector<std::optional<std::string>>& row) {
  writer.StartObject();
  for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    writer.Key(columns[i].name.c_str(), static_cast<rapidjson::SizeType>(columns[i].name.size()));
    write_typed(writer, columns[i].type, row[i]);
  }
  writer.EndObject();
}

}  // namespace hub
