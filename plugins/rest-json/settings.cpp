#include "plugins/rest-json/settings.h"

#include "plugins/rest-json/mapping.h"

namespace rest_json {

const char* const settings_schema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "rest-json settings",
  "description": "Which provider description to read: a mapping file or a built-in preset, exactly one of them.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "mapping": {"type": "string", "minLength": 1,
                "description": "Path of the mapping file; relative to the hub's working directory"},
    "preset": {"enum": ["bntouch", "clover", "artis", "interactive-medica"],
               "description": "A built-in copy of config/providers/<preset>.json"},
    "base_url": {"type": "string", "pattern": "^https?://",
                 "description": "Overrides the mapping's connection.base_url"},
    "headers": {"type": "object", "additionalProperties": {"type": "string"},
                "description": "Added to the mapping's headers; same names replace them"}
  }
})json";

Settings parse_settings(std::string_view json) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader reader(json, schema);
  Settings settings;
  settings.mapping = reader.text("/mapping");
  settings.preset = reader.text("/preset");
  if (settings.mapping.empty() == settings.preset.empty()) {
    std::string names;
    for (auto name : preset_names())
      names += (names.empty() ? "" : ", ") + std::string(name);
    reader.refuse("",
                  "give either \"mapping\" (the path of a mapping file) or \"preset\" (one of " +
                      names + "), not " + (settings.mapping.empty() ? "neither" : "both"),
                  "one of mapping, preset");
  }
  if (reader.given("/base_url"))
    settings.base_url = reader.text("/base_url");
  if (const rapidjson::Value* headers = reader.value("/headers")) {
    for (const auto& each : headers->GetObject())
      settings.headers.emplace_back(each.name.GetString(), each.value.GetString());
  }
  return settings;
}

}  // namespace rest_json
