// `campaign-hub export ENTITY`: every row of a table, every column, as CSV, a JSON array or
// NDJSON. JSON values are typed: numbers are numbers, flags are true or false, null is null,
// times are ISO 8601 text, and with --raw the provider's payload is the JSON it was.
#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"

namespace hub {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_text(Writer& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

// One value as its column's type says; a value the type does not fit stays text, never lost.
void write_value(Writer& writer, ExportType type, const std::optional<std::string>& value) {
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

std::string json_row(const ExportSource& source,
                     const std::vector<std::optional<std::string>>& row) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  for (std::size_t i = 0; i < source.columns.size() && i < row.size(); ++i) {
    writer.Key(source.columns[i].name.c_str());
    write_value(writer, source.columns[i].type, row[i]);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

struct ExportOptions {
  std::string entity;
  std::string format = "csv";
  std::string output;
  std::optional<std::string> instance;
  bool raw = false;
};

int export_rows(Context& context, const ExportOptions& options) {
  const auto source = export_source(options.entity, options.raw);
  if (!source) {
    std::cerr << "export: no table named '" << options.entity << "'\n";
    return exit_code::usage;
  }
  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary);
    if (!file) {
      std::cerr << options.output << ": cannot write\n";
      return exit_code::usage;
    }
  }
  std::ostream& out = options.output.empty() ? std::cout : file;
  std::vector<std::string> header;
  for (const auto& column : source->columns)
    header.push_back(column.name);
  const bool csv = options.format == "csv";
  const bool array = options.format == "json";
  if (csv)
    write_csv_row(out, header);
  if (array)
    out << "[";
  bool first = true;
  each_export_row(context.database(), *source, options.instance,
                  [&](const std::vector<std::optional<std::string>>& row) {
                    if (csv)
                      write_csv_row(out, row);
                    else if (array)
                      out << (first ? "\n" : ",\n") << json_row(*source, row);
                    else
                      out << json_row(*source, row) << "\n";
                    first = false;
                  });
  if (array)
    out << (first ? "]\n" : "\n]\n");
  out.flush();
  if (!out) {
    std::cerr << (options.output.empty() ? "standard output" : options.output)
              << ": write failed\n";
    return exit_code::usage;
  }
  return exit_code::success;
}

}  // namespace

void add_export_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = app.add_subcommand(
      "export", "Every row of a table, every column: CSV, a JSON array, or NDJSON (typed values)");
  command->add_option("ENTITY", options->entity, "What to export")
      ->required()
      ->check(CLI::IsMember(export_names()));
  command->add_option("--format", options->format, "csv, json (one array) or ndjson (a line each)")
      ->check(CLI::IsMember({"csv", "json", "ndjson"}));
  command->add_option("--output", options->output, "Write to this file (default: standard output)");
  command->add_option("--instance", options->instance, "Only this instance's");
  command->add_flag("--raw", options->raw,
                    "Add the provider's payload (raw; for quarantine, the kept record)");
  command->callback([&action, options] {
    action = [options](Context& context) { return export_rows(context, *options); };
  });
}

}  // namespace hub
