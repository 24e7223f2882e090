// One provider record (a JSON value in a parsed page) to one canonical record, by a compiled
// RecordRule: field sources, conversions, times, the status map and raw.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/record_fields.h"

namespace rest_json {

// A record and the records around it: `parent` is the record it is nested in or fetched for.
struct Scope {
  const rapidjson::Value* record = nullptr;
  std::string_view key;  // member name, for records in an object_by_id collection
  const Scope* parent = nullptr;
};

struct Built {
  AnyRecord record;
  // Set when a value did not fit the mapping: "target_count: \"12k\" at /synthese/... is not an
  // integer". The record still carries it to the hub, which quarantines it (see README).
  std::optional<std::string> unfit;
};

Built build_record(const RecordRule& rule, const Scope& scope);

// The template's text, or nothing when one of its references is absent or null.
std::optional<std::string> render(const Template& text, const Scope& scope,
                                  std::string_view cursor = {});

}  // namespace rest_json
