// The instance's `settings` object. The connection (base URL, bearer token) is not here: it is
// the instance's `http` object, handled by the hub's HTTP connector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace connect_scouting {

// What parse_settings read; each setting's type, range and default are declared once, in
// settings_schema.
struct Settings {
  int page_size = 0;                 // `limit` of each request
  std::vector<std::string> streams;  // read in this order: campaigns first
  std::string campaign_kind;
};

// Reads the settings against settings_schema; throws connectors::json::SettingsError (an
// std::invalid_argument) naming the JSON pointer and the rule.
Settings parse_settings(std::string_view json);

// The JSON Schema (draft-04) of the settings, as the descriptor declares it: the one
// declaration of each setting, its default and its description.
extern const char* const settings_schema;

}  // namespace connect_scouting
