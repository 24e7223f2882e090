// The mailchimp settings, read from the instance's `settings` JSON. The JSON Schema that
// documents them is in the descriptor (mailchimp.cpp); this parser gives the same errors in
// words an operator can act on.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mailchimp {

struct Settings {
  // Where the API lives, without a trailing '/': from `base_url`, else from `data_center`
  // ("https://us21.api.mailchimp.com/3.0"); empty when neither is set, so that requests are
  // relative and resolve against the instance's http.base_url.
  std::string api_root;
  int page_size = 1000;         // `count` of each campaigns page; Mailchimp allows 1000
  int report_refresh_days = 7;  // sent this recently: read the report on every sync
};

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws SettingsError naming the setting ("settings.page_size: ..."). Never quotes the value
// of `data_center`, which may be a whole API key.
Settings parse_settings(std::string_view json);

// "us21" from "us21" or from an API key "0123abcd...-us21"; throws SettingsError otherwise.
std::string data_center_of(std::string_view key_or_data_center);

}  // namespace mailchimp
