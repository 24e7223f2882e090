// A JSON document against a JSON Schema (RapidJSON's validator), the first failure said as the
// hub says it for its config (hub/config/schema_check.h): "<pointer>: <sentence> (<rule>)".
// A plugin cannot link the hub, so the wording is kept the same here.
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

namespace rest_json {

// "/streams/0/paging/limit_param: must be a string, not an integer (type)"; nothing if valid.
// `schema_source` must be a parsed JSON Schema (draft-04).
std::optional<std::string> schema_violation(const rapidjson::Value& document,
                                            const rapidjson::Document& schema_source);

std::string json_text(const rapidjson::Value& value);
std::string quoted(std::string_view text);

}  // namespace rest_json
