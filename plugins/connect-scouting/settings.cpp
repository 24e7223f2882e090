#include "settings.h"

#include <algorithm>
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

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

namespace {

[[noreturn]] void fail(const std::string& pointer, const std::string& what) {
  throw std::invalid_argument("settings" + pointer + ": " + what);
}

}  // namespace

Settings parse_settings(std::string_view json) {
  Settings settings;
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    fail("", std::string("not JSON: ") + rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject())
    fail("", "expected an object");
  for (const auto& member : document.GetObject()) {
    std::string key(member.name.GetString(), member.name.GetStringLength());
    const auto& value = member.value;
    if (key == "page_size") {
      if (!value.IsInt() || value.GetInt() < 1 || value.GetInt() > 500)
        fail("/page_size", "expected an integer from 1 to 500");
      settings.page_size = value.GetInt();
    } else if (key == "streams") {
      if (!value.IsArray() || value.Empty())
        fail("/streams", "expected a non-empty array");
      std::vector<std::string> wanted;
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        const auto& item = value[i];
        std::string name = item.IsString() ? item.GetString() : "";
        if (name != "campaigns" && name != "opportunities")
          fail("/streams/" + std::to_string(i), "expected \"campaigns\" or \"opportunities\"");
        if (std::find(wanted.begin(), wanted.end(), name) != wanted.end())
          fail("/streams/" + std::to_string(i), "\"" + name + "\" is listed twice");
        wanted.push_back(name);
      }
      // Campaigns first, so that a first sync stores campaigns before their opportunities.
      std::stable_sort(wanted.begin(), wanted.end());
      settings.streams = std::move(wanted);
    } else if (key == "campaign_kind") {
      static constexpr std::string_view kinds[] = {"scouting", "email", "partner", "task",
                                                   "multichannel"};
      std::string kind = value.IsString() ? value.GetString() : "";
      if (std::find(std::begin(kinds), std::end(kinds), kind) == std::end(kinds))
        fail("/campaign_kind", "expected one of scouting, email, partner, task, multichannel");
      settings.campaign_kind = kind;
    } else {
      fail("/" + key, "unknown setting (the connection goes in the instance's http object)");
    }
  }
  return settings;
}

}  // namespace connect_scouting
