#include "plugins/salesforce/object_stream.h"

#include <stdexcept>

#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/record_mapping.h"

namespace salesforce {
namespace {

constexpr int kLocatorRestarts = 3;

bool expired_locator(const campaign_hub::HttpError& error) {
  return std::string_view(error.what()).find("INVALID_QUERY_LOCATOR") != std::string_view::npos;
}

}  // namespace

StreamProgress read_stream(SalesforceApi& api, std::string_view api_version, bool all,
                           const ObjectQuery& query, const std::string& since,
                           const RowHandler& on_row, const PageHandler& on_page) {
  StreamProgress progress;
  std::string from = since;  // where a restarted query starts
  std::string url = query_url(api_version, all, incremental_soql(query, from));
  bool first_of_query = true;
  int restarts = 0;
  std::optional<std::string> previous;  // SystemModstamp of the previous row, for the order check
  while (true) {
    const std::int64_t number = progress.pages + 1;
    const std::string where = "Salesforce " + query.object + ", page " + std::to_string(number) +
                              " (SystemModstamp >= " + from + ")";
    campaign_hub::HttpResponse response;
    try {
      response = api.get(url);
    } catch (const campaign_hub::HttpError& error) {
      if (!first_of_query && expired_locator(error) && restarts < kLocatorRestarts) {
        ++restarts;
        from = progress.cursor.value_or(since);
        url = query_url(api_version, all, incremental_soql(query, from));
        first_of_query = true;
        previous.reset();
        continue;
      }
      throw std::runtime_error(where + ": " + explain(error));
    } catch (const std::exception& error) {
      throw std::runtime_error(where + ": " + error.what());
    }
    QueryPage page = parse_query_page(response.body, where + ", GET " + url.substr(0, 120));
    std::optional<std::string> last;
    previous.reset();  // pages may overlap (a row read twice is harmless); rows within one may not
    for (const auto& row : page.records().GetArray()) {
      if (auto stamp = row_modstamp(row)) {
        if (previous && *stamp < *previous) {
          throw PageError(where + ": rows are not in SystemModstamp order (" + row_id(row) +
                          " at " + *stamp + " after " + *previous +
                          "), so no cursor can be trusted; nothing after the last checkpoint "
                          "was committed");
        }
        previous = stamp;
        last = stamp;
      }
    }
    for (const auto& row : page.records().GetArray()) {
      on_row(row);
      ++progress.rows;
      progress.deleted += row_deleted(row) ? 1 : 0;
    }
    ++progress.pages;
    if (last && (!progress.cursor || *last > *progress.cursor))
      progress.cursor = *last;
    if (progress.cursor)
      on_page(*progress.cursor);
    if (!page.next_records_url)
      break;
    url = *page.next_records_url;
    first_of_query = false;
  }
  return progress;
}

}  // namespace salesforce
