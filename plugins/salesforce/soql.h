// The SOQL the plugin sends, and the SystemModstamp values its cursors are made of.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesforce {

// One object the plugin reads, and the fields it selects.
struct ObjectQuery {
  std::string object;  // "Campaign", "CampaignMember", "Opportunity"
  std::vector<std::string> fields;
};

// A Salesforce date-time ("2026-05-06T11:56:44.000+0000", "...Z", "...+02:00") or a date
// ("2026-05-06", midnight UTC), read by connectors/time, as a SOQL date-time literal in UTC to
// the second ("2026-05-06T11:56:44Z"). Milliseconds are dropped: the plugin only ever compares
// with >=, so a literal earlier by less than a second reads a few rows again and never skips
// one. Empty when `text` is not such a value.
std::optional<std::string> soql_datetime(std::string_view text);

// SELECT <fields> FROM <object> WHERE SystemModstamp >= <since> ORDER BY SystemModstamp ASC, Id
// ASC. `since` is a SOQL literal (soql_datetime).
std::string incremental_soql(const ObjectQuery& query, std::string_view since);

// The relative URL of a query: /services/data/v<version>/query?q=... (queryAll with `all`).
std::string query_url(std::string_view api_version, bool all, std::string_view soql);

}  // namespace salesforce
