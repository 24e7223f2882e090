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
            file.path.string() + ": " + records_of(imported.records, *file.entity) + " imported");
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
constexpr const char* settings_schema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "file-import settings",
  "description": "Imports campaigns and opportunities from CSV or NDJSON files in a folder. A file is imported once per content: the cursor keeps each file's name and content hash.",
  "type": "object",
  "required": ["folder"],
  "additionalProperties": false,
  "properties": {
    "folder": {
      "description": "The folder to import files from (not its subfolders). A relative path is taken from the hub's working directory.",
      "type": "string",
      "minLength": 1
    },
    "pattern": {
      "description": "Which file names to import: a glob (* any run, ? one character, case ignored) or a list of them. Files ending .ndjson or .jsonl are NDJSON, all others CSV. Hidden files are never imported.",
      "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
      ],
      "default": ["*.csv", "*.ndjson", "*.jsonl"]
    },
    "files": {
      "description": "Which entity a file holds, by name, tried in order before the default: names starting with campaign are campaigns, names starting with opportunit are opportunities.",
      "type": "array",
      "items": {
        "type": "object",
        "required": ["match", "entity"],
        "additionalProperties": false,
        "properties": {
          "match": {"description": "A glob on the file name.", "type": "string", "minLength": 1},
          "entity": {"enum": ["campaign", "opportunity"]}
        }
      }
    },
    "columns": {
      "description": "Per entity, canonical field -> CSV column header or NDJSON key. A field not listed is read from the column of its own name (case, spaces, '-' and '_' ignored).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "campaign": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "external_id": {"type": "string", "minLength": 1},
            "name": {"type": "string", "minLength": 1},
            "kind": {"type": "string", "minLength": 1},
            "status": {"type": "string", "minLength": 1},
            "owner": {"type": "string", "minLength": 1},
            "department": {"type": "string", "minLength": 1},
            "manager_email": {"type": "string", "minLength": 1},
            "start": {"type": "string", "minLength": 1},
            "end": {"type": "string", "minLength": 1},
            "review_by": {"type": "string", "minLength": 1},
            "description": {"type": "string", "minLength": 1},
            "budget": {"type": "string", "minLength": 1},
            "spend": {"type": "string", "minLength": 1},
            "expected_responses": {"type": "string", "minLength": 1},
            "opportunity_count": {"type": "string", "minLength": 1},
            "connection_count": {"type": "string", "minLength": 1},
            "target_count": {"type": "string", "minLength": 1},
            "created_at": {"type": "string", "minLength": 1},
            "updated_at": {"type": "string", "minLength": 1}
          }
        },
        "opportunity": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "external_id": {"type": "string", "minLength": 1},
            "campaign_id": {"type": "string", "minLength": 1},
            "title": {"type": "string", "minLength": 1},
            "organisation": {"type": "string", "minLength": 1},
            "contact_name": {"type": "string", "minLength": 1},
            "contact_email": {"type": "string", "minLength": 1},
            "status": {"type": "string", "minLength": 1},
            "initiative": {"type": "string", "minLength": 1},
            "amount": {"type": "string", "minLength": 1},
            "currency": {"type": "string", "minLength": 1},
            "probability": {"type": "string", "minLength": 1},
            "submitted_at": {"type": "string", "minLength": 1},
            "updated_at": {"type": "string", "minLength": 1}
          }
        }
      }
    },
    "delimiter": {
      "description": "The CSV field delimiter: one character, e.g. \";\" for spreadsheets in French or German locales, \"\\t\" for tab-separated files.",
      "type": "string",
      "minLength": 1,
      "maxLength": 1,
      "default": ","
    },
    "kind": {
      "description": "The kind of every imported campaign whose file has no kind column.",
      "enum": ["scouting", "email", "partner", "task", "multichannel"],
      "default": "partner"
    }
  }
})json";

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
