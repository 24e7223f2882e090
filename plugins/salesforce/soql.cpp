#include "plugins/salesforce/soql.h"

#include "connectors/http/paging.h"
#include "connectors/time/rfc3339.h"

namespace salesforce {

std::optional<std::string> soql_datetime(std::string_view text) {
  using connectors::time::format_utc;
  if (auto instant = connectors::time::parse_rfc3339(text))
    return format_utc({instant->seconds});  // to the second: see soql.h
  auto read = connectors::time::read_time(text);
  if (const auto* date = std::get_if<std::chrono::year_month_day>(&read))
    return format_utc({std::chrono::sys_days{*date}});
  return std::nullopt;
}

std::string incremental_soql(const ObjectQuery& query, std::string_view since) {
  std::string soql = "SELECT ";
  for (std::size_t i = 0; i < query.fields.size(); ++i) {
    soql += (i == 0 ? "" : ", ") + query.fields[i];
  }
  soql += " FROM " + query.object + " WHERE SystemModstamp >= " + std::string(since) +
          " ORDER BY SystemModstamp ASC, Id ASC";
  return soql;
}

std::string query_url(std::string_view api_version, bool all, std::string_view soql) {
  return "/services/data/v" + std::string(api_version) + (all ? "/queryAll" : "/query") +
         "?q=" + connectors::http::paging::percent_encode(soql);
}

}  // namespace salesforce
