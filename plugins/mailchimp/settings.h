// The mailchimp settings, read from the instance's `settings` JSON against settings_schema, the
// one declaration of each setting, its default and its description.
#pragma once

#include <string>
#include <string_view>

#include "connectors/json/settings_reader.h"

namespace mailchimp {

struct Settings {
  // Where the API lives, without a trailing '/': from `base_url`, else from `data_center`
  // ("https://us21.api.mailchimp.com/3.0"); empty when neither is set, so that requests are
  // relative and resolve against the instance's http.base_url.
  std::string api_root;
  int page_size = 0;            // `count` of each campaigns page
  int report_refresh_days = 0;  // sent this recently: read the report on every sync
};

using connectors::json::SettingsError;

// The JSON Schema (draft-04) of the settings, as the descriptor declares it.
extern const char* const settings_schema;

// Throws SettingsError naming the setting ("settings/page_size: ... (maximum)"). Never quotes
// the value of `data_center`, which may be a whole API key.
Settings parse_settings(std::string_view json);

// "us21" from "us21" or from an API key "0123abcd...-us21"; throws SettingsError otherwise.
std::string data_center_of(std::string_view key_or_data_center);

}  // namespace mailchimp
