#include "settings.h"

#include <algorithm>

#include "connectors/json/settings_reader.h"

namespace connect_scouting {

const char* const settings_schema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "connect-scouting settings",
  "description": "What to read from a Connect-style scouting feed. The connection (base_url, bearer token, timeouts, retries) is the instance's http object, not a setting.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "page_size": {
      "description": "Records asked for per request (the feed's limit parameter). The feed allows at most 500; smaller pages checkpoint more often and lose less work to a failure.",
      "type": "integer",
      "minimum": 1,
      "maximum": 500,
      "default": 500
    },
    "streams": {
      "description": "The lists to read, each with its own cursor: campaigns (GET /v1/campaigns) and opportunities (GET /v1/opportunities). Campaigns are read first whatever the order here.",
      "type": "array",
      "items": {"enum": ["campaigns", "opportunities"]},
      "minItems": 1,
      "uniqueItems": true,
      "default": ["campaigns", "opportunities"]
    },
    "campaign_kind": {
      "description": "The canonical kind given to every campaign of this feed.",
      "enum": ["scouting", "email", "partner", "task", "multichannel"],
      "default": "scouting"
    }
  }
})json";

Settings parse_settings(std::string_view json) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader reader(json, schema);
  Settings settings;
  settings.page_size = static_cast<int>(reader.integer("/page_size"));
  settings.streams = reader.texts("/streams");
  // Campaigns first, so that a first sync stores campaigns before their opportunities.
  std::stable_sort(settings.streams.begin(), settings.streams.end());
  settings.campaign_kind = reader.text("/campaign_kind");
  return settings;
}

}  // namespace connect_scouting
