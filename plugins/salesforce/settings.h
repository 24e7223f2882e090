// The salesforce plugin's settings: the instance's `settings` object, read once per run.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesforce {

// How long to wait when Salesforce answers REQUEST_LIMIT_EXCEEDED: base · 2^(n−1), capped.
struct LimitBackoff {
  int max_attempts = 3;  // attempts per request, the first included
  int base_delay_ms = 10'000;
  int max_delay_ms = 60'000;
};

struct Settings {
  std::string api_version = "59.0";
  // Read in this order, so that campaigns land before what refers to them.
  std::vector<std::string> objects = {"Campaign", "CampaignMember", "Opportunity"};
  std::string start = "1970-01-01T00:00:00Z";  // SOQL literal: rows modified before are not read
  std::optional<int> batch_size;               // Sforce-Query-Options: batchSize (200 to 2000)
  bool deletions = true;                       // queryAll and tombstones
  std::string campaign_kind = "partner";
  std::optional<std::string> org_currency;  // single-currency orgs have no CurrencyIsoCode
  LimitBackoff limit_backoff;
};

// Throws std::invalid_argument naming the setting. The hub has checked the settings against
// the descriptor's schema before, so this only reads what that schema cannot say.
Settings parse_settings(std::string_view json);

}  // namespace salesforce
