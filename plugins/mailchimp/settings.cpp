#include "plugins/mailchimp/settings.h"

#include <cctype>

#include "connectors/json/settings_reader.h"

namespace mailchimp {

const char* const settings_schema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "mailchimp settings",
  "description": "Reads e-mail campaigns and their reports from the Mailchimp Marketing API v3. The API key goes in the instance's http object (auth basic, the key as password). Where the API lives: settings.base_url, else settings.data_center, else the instance's http.base_url.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {
      "description": "The API root, e.g. https://us21.api.mailchimp.com/3.0 (or a simulator). Wins over data_center and http.base_url.",
      "type": "string",
      "pattern": "^https?://"
    },
    "data_center": {
      "description": "The data centre, e.g. us21, or the API key itself (e.g. ${env:MAILCHIMP_API_KEY}): its suffix after the last '-' names the data centre. Gives https://<dc>.api.mailchimp.com/3.0.",
      "type": "string",
      "minLength": 1
    },
    "page_size": {
      "description": "Campaigns per list request (count); Mailchimp allows at most 1000.",
      "type": "integer",
      "minimum": 1,
      "maximum": 1000,
      "default": 1000
    },
    "report_refresh_days": {
      "description": "A campaign sent this many days ago or less has its report read on every sync (bounces, unsubscribes and abuse reports still move and the campaign list does not show them); older finished campaigns only when their list entry changed. 0: only on change.",
      "type": "integer",
      "minimum": 0,
      "maximum": 365,
      "default": 7
    }
  }
})json";

std::string data_center_of(std::string_view text) {
  const auto dash = text.rfind('-');
  std::string_view dc = dash == std::string_view::npos ? text : text.substr(dash + 1);
  // A data centre is letters then digits: us21, eu1.
  std::size_t letters = 0;
  while (letters < dc.size() && std::islower(static_cast<unsigned char>(dc[letters]))) {
    ++letters;
  }
  bool digits = letters > 0 && letters < dc.size();
  for (std::size_t i = letters; i < dc.size() && digits; ++i) {
    digits = std::isdigit(static_cast<unsigned char>(dc[i])) != 0;
  }
  if (!digits) {
    throw SettingsError("settings", "/data_center",
                        "must be a Mailchimp data centre such as \"us21\", or the API key whose "
                        "suffix names it (\"...-us21\")",
                        "data centre");
  }
  return std::string(dc);
}

Settings parse_settings(std::string_view json) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader reader(json, schema);
  Settings settings;
  settings.page_size = static_cast<int>(reader.integer("/page_size"));
  settings.report_refresh_days = static_cast<int>(reader.integer("/report_refresh_days"));
  std::string base_url = reader.text("/base_url");
  if (!base_url.empty()) {
    while (base_url.ends_with('/'))
      base_url.pop_back();
    settings.api_root = base_url;
  } else if (reader.given("/data_center")) {
    settings.api_root =
        "https://" + data_center_of(reader.text("/data_center")) + ".api.mailchimp.com/3.0";
  }
  return settings;
}

}  // namespace mailchimp
