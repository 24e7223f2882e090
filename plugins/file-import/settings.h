// The file-import settings, read from the instance's `settings` JSON. The JSON Schema that
// documents them is in the descriptor (file_import.cpp); this parser gives the same errors in
// words an operator can act on.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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
  std::vector<std::string> patterns{"*.csv", "*.ndjson", "*.jsonl"};
  std::vector<FileRule> files;
  ColumnMap campaign_columns;
  ColumnMap opportunity_columns;
  char delimiter = ',';
  std::string kind = "partner";  // for campaigns whose file has no kind column

  const ColumnMap& columns(Entity entity) const {
    return entity == Entity::campaign ? campaign_columns : opportunity_columns;
  }
};

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws SettingsError naming the setting ("settings.columns.campaign.nmae: ...").
Settings parse_settings(std::string_view json);

}  // namespace file_import
