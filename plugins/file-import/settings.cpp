#include "plugins/file-import/settings.h"

#include "connectors/json/settings_reader.h"

namespace file_import {

const char* const settings_schema = R"json({
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
            "currency": {"type": "string", "minLength": 1},
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
            "summary": {"type": "string", "minLength": 1},
            "organisation": {"type": "string", "minLength": 1},
            "country": {"type": "string", "minLength": 1},
            "contact_name": {"type": "string", "minLength": 1},
            "contact_email": {"type": "string", "minLength": 1},
            "status": {"type": "string", "minLength": 1},
            "initiative": {"type": "string", "minLength": 1},
            "amount": {"type": "string", "minLength": 1},
            "currency": {"type": "string", "minLength": 1},
            "probability": {"type": "string", "minLength": 1},
            "readiness_level": {"type": "string", "minLength": 1},
            "attachment_count": {"type": "string", "minLength": 1},
            "owner": {"type": "string", "minLength": 1},
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

Settings parse_settings(std::string_view json) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader reader(json, schema);
  Settings settings;
  settings.folder = reader.text("/folder");
  const rapidjson::Value& pattern = *reader.value("/pattern");
  if (pattern.IsString())
    settings.patterns = {pattern.GetString()};
  else
    settings.patterns = reader.texts("/pattern");
  if (const rapidjson::Value* files = reader.value("/files")) {
    for (const auto& rule : files->GetArray()) {
      settings.files.push_back(
          {rule["match"].GetString(), *entity_named(rule["entity"].GetString())});
    }
  }
  for (const Entity entity : {Entity::campaign, Entity::opportunity}) {
    const std::string at = "/columns/" + std::string(entity_name(entity));
    if (const rapidjson::Value* columns = reader.value(at)) {
      for (const auto& column : columns->GetObject())
        (entity == Entity::campaign ? settings.campaign_columns
                                    : settings.opportunity_columns)[column.name.GetString()] =
            column.value.GetString();
    }
  }
  const std::string delimiter = reader.text("/delimiter");
  if (delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
    reader.refuse("/delimiter", "must not be a quote or a line end", "CSV delimiter");
  }
  settings.delimiter = delimiter.front();
  settings.kind = reader.text("/kind");
  return settings;
}

}  // namespace file_import
