// A JSON document checked against a JSON Schema (RapidJSON's validator), with the first
// failure said as one sentence that names the JSON pointer and the rule. One wording for the
// hub's config, each plugin's settings, and the mapping files of rest-json.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

namespace connectors::json {

struct SchemaViolation {
  std::string pointer;   // JSON pointer of the offending value, "" for the root
  std::string sentence;  // "must be at least 1", "unknown property \"x\"; known properties: ..."
  std::string keyword;   // the schema rule: minimum, additionalProperties, ...
};

// `schema_source` is the document `schema` was built from; messages read the failing
// keyword's arguments from it.
std::optional<SchemaViolation> first_violation(const rapidjson::Value& document,
                                               const rapidjson::Document& schema_source,
                                               const rapidjson::SchemaDocument& schema);

// Both texts parsed here. Answers "<pointer>: <sentence> (<keyword>)", or a parse error of
// either text; nothing when the document is valid.
std::optional<std::string> schema_violation(std::string_view json, std::string_view schema_json);

// A parsed document against a parsed schema: "<pointer>: <sentence> (<keyword>)", or nothing.
std::optional<std::string> schema_violation(const rapidjson::Value& document,
                                            const rapidjson::Document& schema_source);

// Small JSON helpers.
std::string to_json(const rapidjson::Value& value);
std::string quoted(std::string_view text);
std::string_view as_view(const rapidjson::Value& string);
const rapidjson::Value* member(const rapidjson::Value& object, const char* name);

}  // namespace connectors::json
