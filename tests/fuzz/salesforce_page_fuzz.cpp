// salesforce's page parser: the bytes are a /query or /queryAll answer as the HTTP connector
// hands it over. parse_query_page reads the page whole; every row then goes through what the
// stream reader and the record mapping do with it (cursor stamp, id, tombstone, each object's
// record). The same body is read as a REST error array, an OAuth2 error and a Sforce-Limit-Info
// header. PageError is the answer to a page that cannot be read; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/record_mapping.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (!fuzz::connector_hands_over(body))
    return 0;
  try {
    const salesforce::QueryPage page =
        salesforce::parse_query_page(body, "Salesforce Opportunity, page 1");
    if (!page.done && !page.next_records_url)
      fuzz::broken_promise("salesforce-page", "a page that is not done has nowhere to go next");
    salesforce::MappingOptions options;
    salesforce::MappingOptions org_currency;
    org_currency.org_currency = "EUR";
    for (const auto& row : page.records().GetArray()) {
      (void)salesforce::row_modstamp(row);
      (void)salesforce::row_id(row);
      (void)salesforce::row_deleted(row);
      (void)salesforce::to_campaign(row, options);
      (void)salesforce::to_participant(row);
      (void)salesforce::to_opportunity(row, options);
      (void)salesforce::to_opportunity(row, org_currency);
    }
  } catch (const salesforce::PageError&) {
  }
  (void)salesforce::describe_api_error(body);
  (void)salesforce::describe_oauth_error(body);
  (void)salesforce::api_usage(body);
  return 0;
}
