// The entry file of the file-import plugin: the provider, then its descriptor.
#include "plugins/file-import/file_import.h"

#include <exception>
#include <iterator>
#include <set>
#include <string>

#include "connectors/files/content_hash.h"
#include "plugins/file-import/file_reader.h"
#include "plugins/file-import/folder.h"
#include "plugins/file-import/import_cursor.h"
#include "plugins/file-import/settings.h"

namespace file_import {
namespace {

using campaign_hub::LogLevel;

std::string plural(std::size_t count, std::string_view noun, std::string_view nouns) {
  return std::to_string(count) + " " + std::string(count == 1 ? noun : nouns);
}

std::string records_of(std::size_t count, Entity entity) {
  return entity == Entity::campaign ? plural(count, "campaign", "campaigns")
                                    : plural(count, "opportunity", "opportunities");
}

void warn_no_entity(campaign_hub::Logger& log, const ImportFile& file) {
  log.log(LogLevel::warn,
          file.path.string() +
              ": skipped, its entity is unknown; name it campaigns... or opportunities..., or "
              "add it to settings files as {\"match\": \"" +
              file.name + "\", \"entity\": \"campaign\" or \"opportunity\"}");
}

}  // namespace

void FileImport::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  const Settings settings = parse_settings(host.settings());
  auto& log = host.logger();
  ImportCursor cursor = ImportCursor::parse(host.cursor(cursor_stream));
  const auto files = list_import_files(settings);

  std::set<std::string, std::less<>> present;
  for (const auto& file : files) {
    present.insert(file.name);
  }
  bool unsaved = cursor.forget_all_but(present);

  for (const auto& file : files) {
    if (!file.refused.empty()) {
      log.log(LogLevel::warn, file.path.string() + ": " + file.refused);
      continue;
    }
    if (!file.entity) {
      warn_no_entity(log, file);
      continue;
    }
    if (cursor.imported(file.name, connectors::files::hash_file(file.path))) {
      log.log(LogLevel::info, file.path.string() + ": already imported with this content, skipped");
      continue;
    }
    const auto imported = import_file(file, settings, emit, log);
    cursor.remember(file.name, imported.hash);
    emit.checkpoint(cursor_stream, cursor.to_json());
    unsaved = false;
    log.log(LogLevel::info,
            file.path.string() + ": " + records_of(imported.records, *file.entity) + " imported" +
                (imported.rejected == 0 ? std::string()
                                        : ", " + std::to_string(imported.rejected) +
                                              " quarantined (a number cell that is not a number)"));
  }
  if (unsaved) {
    emit.checkpoint(cursor_stream, cursor.to_json());
  }
}

campaign_hub::CheckResult FileImport::check(campaign_hub::Host& host) {
  try {
    const Settings settings = parse_settings(host.settings());
    const ImportCursor cursor = ImportCursor::parse(host.cursor(cursor_stream));
    const auto files = list_import_files(settings);
    std::size_t csv = 0;
    std::size_t ndjson = 0;
    std::size_t already = 0;
    std::vector<std::string> no_entity;
    std::vector<std::string> refused;
    for (const auto& file : files) {
      if (!file.refused.empty()) {
        refused.push_back(file.name);
        continue;
      }
      const std::string hash = connectors::files::hash_file(file.path);  // also: readable?
      if (!file.entity) {
        no_entity.push_back(file.name);
      } else if (cursor.imported(file.name, hash)) {
        ++already;
      } else {
        ++(file.format == FileFormat::csv ? csv : ndjson);
      }
    }
    std::string message = "folder " + settings.folder.string() + ": " +
                          plural(csv + ndjson, "file", "files") + " to import (" +
                          std::to_string(csv) + " csv, " + std::to_string(ndjson) + " ndjson)";
    if (already > 0) {
      message += ", " + std::to_string(already) + " already imported";
    }
    if (!no_entity.empty()) {
      message += "; " + plural(no_entity.size(), "file", "files") + " skipped, entity unknown:";
      for (const auto& name : no_entity) {
        message += " " + name;
      }
    }
    if (!refused.empty()) {
      message += "; " + plural(refused.size(), "link", "links") + " out of the folder not read:";
      for (const auto& name : refused) {
        message += " " + name;
      }
    }
    return {true, message};
  } catch (const std::exception& error) {
    return {false, error.what()};
  }
}

// Spreadsheet words for statuses, mapped to the canonical ones (plugin-api/README.md). The
// operator adds others in config (status_overrides) without rebuilding.
constexpr campaign_hub::StatusMapping status_map[] = {
    {"campaign", "Draft", "draft"},          {"campaign", "draft", "draft"},
    {"campaign", "Scheduled", "scheduled"},  {"campaign", "scheduled", "scheduled"},
    {"campaign", "Active", "active"},        {"campaign", "active", "active"},
    {"campaign", "On-going", "active"},  // Connect
    {"campaign", "on-going", "active"},      {"campaign", "Paused", "paused"},
    {"campaign", "paused", "paused"},        {"campaign", "Completed", "completed"},
    {"campaign", "completed", "completed"},  {"campaign", "Closed", "completed"},  // Connect
    {"campaign", "closed", "completed"},     {"campaign", "Cancelled", "cancelled"},
    {"campaign", "cancelled", "cancelled"},  {"campaign", "Canceled", "cancelled"},
    {"campaign", "canceled", "cancelled"},   {"opportunity", "Active", "active"},
    {"opportunity", "active", "active"},     {"opportunity", "On-hold", "on_hold"},
    {"opportunity", "on-hold", "on_hold"},   {"opportunity", "On hold", "on_hold"},
    {"opportunity", "on hold", "on_hold"},   {"opportunity", "Won", "won"},
    {"opportunity", "won", "won"},           {"opportunity", "Closed", "closed"},
    {"opportunity", "closed", "closed"},     {"opportunity", "Declined", "declined"},
    {"opportunity", "declined", "declined"},
};

// Settings, declared once: the hub validates against this and prints it as the plugin's help.
const campaign_hub::Descriptor descriptor{
    .name = "file-import",
    .version = "1.0.0",
    .kind = "file",
    .summary = "Campaigns and opportunities from CSV or NDJSON files in a folder, each file once",
    .settings_schema = settings_schema,
    .status_map = status_map,
    .status_map_size = std::size(status_map),
    .capabilities = campaign_hub::capability_check,
};

}  // namespace file_import

CAMPAIGN_HUB_PLUGIN(file_import::FileImport, file_import::descriptor)
