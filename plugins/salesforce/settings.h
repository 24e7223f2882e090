// The salesforce plugin's settings: the instance's `settings` object, read once per run.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesforce {

// How long to wait when Salesforce answers REQUEST_LIMIT_EXCEEDED: base · 2^(n−1), capped.
struct LimitBackoff {
  int max_attempts = 0;  // attempts per request, the first included
  int base_delay_ms = 0;
  int max_delay_ms = 0;
};

// What parse_settings read. Each setting's type, range, default and description are declared
// once, in settings_schema; `parse_settings("{}")` is the defaults.
struct Settings {
  std::string api_version;
  // Read in this order, so that campaigns land before what refers to them.
  std::vector<std::string> objects;
  std::string start;              // SOQL literal: rows modified before are not read
  std::optional<int> batch_size;  // Sforce-Query-Options: batchSize; Salesforce's own when unset
  bool deletions = false;         // queryAll and tombstones
  std::string campaign_kind;
  std::optional<std::string> org_currency;  // single-currency orgs have no CurrencyIsoCode
  LimitBackoff limit_backoff;
};

// The JSON Schema (draft-04) of the settings, as the descriptor declares it.
extern const char* const settings_schema;

// Throws connectors::json::SettingsError (an std::invalid_argument) naming the setting's JSON
// pointer and the rule.
Settings parse_settings(std::string_view json);

}  // namespace salesforce
