// The rest-json mapping compiler: the bytes are a mapping file. rest_json::parse_mapping checks
// it against the schema and compiles every pointer, template, time format and status map; a
// MappingError is the answer to a bad mapping, anything else a bug. Each compiled record rule
// then builds a record from an empty provider record, as the reader would for a page of `{}`.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <rapidjson/document.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/record_builder.h"

namespace {

void build_empty(const rest_json::RecordRule& rule, const rest_json::Scope& scope,
                 const rest_json::Mapping& mapping, const rest_json::LookupTables& lookups) {
  (void)rest_json::build_record(rule, scope, lookups, mapping.lookups);
  for (const auto& nested : rule.nested)
    build_empty(nested, scope, mapping, lookups);
}

void build_empty(const rest_json::Stream& stream, const rest_json::Scope& scope,
                 const rest_json::Mapping& mapping, const rest_json::LookupTables& lookups) {
  build_empty(static_cast<const rest_json::RecordRule&>(stream), scope, mapping, lookups);
  (void)rest_json::render(stream.path, scope);
  for (const auto& child : stream.children)
    build_empty(child, scope, mapping, lookups);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const rest_json::Mapping mapping = rest_json::parse_mapping(text, "fuzz.json");
    const rapidjson::Value empty(rapidjson::kObjectType);
    const rest_json::Scope scope{&empty, "key", nullptr};
    const rest_json::LookupTables lookups(mapping.lookups.size());
    for (const auto& stream : mapping.streams)
      build_empty(stream, scope, mapping, lookups);
  } catch (const rest_json::MappingError&) {
  }
  return 0;
}
