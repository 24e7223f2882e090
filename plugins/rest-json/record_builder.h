// One provider record (a JSON value in a parsed page) to one canonical record, by a compiled
// RecordRule: field sources, conversions, times, the status map and raw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// The first value of a record that did not fit the mapping.
struct Unfit {
  std::string field;   // the canonical field: "target_count"
  std::string reason;  // "target_count: \"12k\" at /synthese/elements_cibles is not an integer"
};

struct Built {
  AnyRecord record;
  // Set when a value did not fit: the reader rejects the record (Emitter::reject) with this
  // reason and the record's raw, and the hub quarantines it (see README).
  std::optional<Unfit> unfit;
  // Ids a lookup did not hold ("owners: 999"): their fields stay empty, the reader counts them.
  std::vector<std::string> missed;
};

// Each lookup's dictionary, in the order of Mapping::lookups.
using LookupTables = std::vector<std::unordered_map<std::string, std::string>>;

Built build_record(const RecordRule& rule, const Scope& scope, const LookupTables& lookups,
                   const std::vector<Lookup>& names);

// The template's text, or nothing when one of its references is absent or null.
std::optional<std::string> render(const Template& text, const Scope& scope,
                                  std::string_view cursor = {});

}  // namespace rest_json
