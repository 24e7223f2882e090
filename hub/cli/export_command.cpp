// `campaign-hub export ENTITY`: every row of a table, every column, as CSV, a JSON array or
// NDJSON. JSON values are typed: numbers are numbers, flags are true or false, null is null,
// times are ISO 8601 text, and with --raw the provider's payload is the JSON it was.
#include <fstream>
#include <iostream>
#include <memory>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/query/export.h"

namespace hub {
namespace {

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
  write_export(context.database(), *source, options.instance,
               export_format(options.format).value_or(ExportFormat::csv),
               [&out](std::string_view piece) { out << piece; });
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
