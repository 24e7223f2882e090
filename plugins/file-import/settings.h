// The file-import settings, read from the instance's `settings` JSON against settings_schema, the
// one declaration of each setting, its default and its description.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/json/settings_reader.h"
#include "plugins/file-import/record_mapping.h"

namespace file_import {

// canonical field name -> column header (CSV) or key (NDJSON)
using ColumnMap = std::map<std::string, std::string, std::less<>>;

// `files` entry: a file whose name matches `match` holds records of `entity`.
struct FileRule {
  std::string match;
  Entity entity;
};

struct Settings {
  std::filesystem::path folder;
  std::vector<std::string> patterns;
  std::vector<FileRule> files;
  ColumnMap campaign_columns;
  ColumnMap opportunity_columns;
  char delimiter = 0;
  std::string kind;  // for campaigns whose file has no kind column

  const ColumnMap& columns(Entity entity) const {
    return entity == Entity::campaign ? campaign_columns : opportunity_columns;
  }
};

using connectors::json::SettingsError;

// The JSON Schema (draft-04) of the settings, as the descriptor declares it.
extern const char* const settings_schema;

// Throws SettingsError naming the setting ("settings/columns/campaign/nmae: ... (rule)").
Settings parse_settings(std::string_view json);

}  // namespace file_import
