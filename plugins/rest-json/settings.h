// The rest-json settings: which mapping describes the provider, and what the instance changes
// of its connection. Read against settings_schema, the one declaration of each setting.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/json/settings_reader.h"

namespace rest_json {

struct Settings {
  std::string mapping;  // a file path, or
  std::string preset;   // the name of a built-in preset
  std::optional<std::string> base_url;
  std::vector<std::pair<std::string, std::string>> headers;
};

using connectors::json::SettingsError;

// The JSON Schema (draft-04) of the settings, as the descriptor declares it.
extern const char* const settings_schema;

// Throws SettingsError naming the setting's JSON pointer and the rule.
Settings parse_settings(std::string_view json);

}  // namespace rest_json
