// Reading Salesforce answers: one page of a SOQL query, the REST error array, the OAuth2 error
// object and the Sforce-Limit-Info header. Pure functions over text, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace salesforce {

// A page that cannot be read as a query answer. The message says what is wrong and where.
class PageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One page of /query or /queryAll: the whole body is parsed before a row is used, so a
// malformed page emits nothing.
struct QueryPage {
  rapidjson::Document document;
  std::int64_t total_size = 0;
  bool done = true;
  std::optional<std::string> next_records_url;  // relative, fetched as it is
  const rapidjson::Value& records() const { return document["records"]; }
};

// Throws PageError naming `where` (the object and page) and the parse offset or the key.
QueryPage parse_query_page(std::string_view body, std::string_view where);

// `[{"message": "...", "errorCode": "INVALID_FIELD"}]` as "INVALID_FIELD: message"; several
// joined by "; ". Empty when the body is not such an array.
std::string describe_api_error(std::string_view body);

// `{"error": "invalid_grant", "error_description": "..."}` as "invalid_grant: ...". Empty when
// the body is not such an object.
std::string describe_oauth_error(std::string_view body);

// "api-usage=25/15000" (possibly among other entries, "per-app-api-usage=...") as "25/15000".
std::optional<std::string> api_usage(std::string_view limit_info_header);

// The record as JSON text, for `raw`.
std::string to_json(const rapidjson::Value& value);

}  // namespace salesforce
