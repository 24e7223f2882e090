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

PageFeed::PageFeed(SalesforceApi& api, std::string api_version, bool all, ObjectQuery query,
                   std::string since)
    : api_(api),
      api_version_(std::move(api_version)),
      all_(all),
      query_(std::move(query)),
      since_(std::move(since)),
      thread_([this] { fetch_all(); }) {}

PageFeed::~PageFeed() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

// Hands a page (or the end, or an error) to the reader once it took the one before; false when
// the reader is gone.
bool PageFeed::deliver(std::optional<Page> page, const std::exception_ptr& error) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stop_ || ready_.empty(); });
  if (stop_)
    return false;
  if (error)
    error_ = error;
  else
    ready_.push_back(std::move(page));
  changed_.notify_all();
  return true;
}

void PageFeed::fetch_all() {
  try {
    std::string from = since_;  // where a restarted query starts
    std::string url = query_url(api_version_, all_, incremental_soql(query_, from));
    bool first_of_query = true;
    int restarts = 0;
    std::int64_t number = 0;
    std::optional<std::string> latest;  // the latest SystemModstamp fetched
    while (true) {
      const std::string where = "Salesforce " + query_.object + ", page " +
                                std::to_string(number + 1) + " (SystemModstamp >= " + from + ")";
      campaign_hub::HttpResponse response;
      try {
        response = api_.get(url);
      } catch (const campaign_hub::HttpError& error) {
        if (!first_of_query && expired_locator(error) && restarts < kLocatorRestarts) {
          ++restarts;
          from = latest.value_or(since_);
          url = query_url(api_version_, all_, incremental_soql(query_, from));
          first_of_query = true;
          continue;
        }
        throw std::runtime_error(where + ": " + explain(error));
      } catch (const std::exception& error) {
        throw std::runtime_error(where + ": " + error.what());
      }
      Page page{parse_query_page(response.body, where + ", GET " + url.substr(0, 120)), where};
      ++number;
      for (const auto& row : page.page.records().GetArray()) {
        if (auto stamp = row_modstamp(row); stamp && (!latest || *stamp > *latest))
          latest = stamp;
      }
      std::optional<std::string> next = page.page.next_records_url;
      if (!deliver(std::move(page), nullptr))
        return;
      if (!next) {
        deliver(std::nullopt, nullptr);
        return;
      }
      url = *next;
      first_of_query = false;
    }
  } catch (...) {
    deliver(std::nullopt, std::current_exception());
  }
}

std::optional<PageFeed::Page> PageFeed::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || !ready_.empty(); });
  if (ready_.empty())
    std::rethrow_exception(error_);
  std::optional<Page> page = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return page;
}

StreamProgress read_stream(SalesforceApi& api, std::string_view api_version, bool all,
                           const ObjectQuery& query, const std::string& since,
                           const RowHandler& on_row, const PageHandler& on_page) {
  PageFeed feed(api, std::string(api_version), all, query, since);
  return read_stream(feed, on_row, on_page);
}

StreamProgress read_stream(PageFeed& feed, const RowHandler& on_row, const PageHandler& on_page) {
  StreamProgress progress;
  while (auto fetched = feed.next()) {
    const QueryPage& page = fetched->page;
    const std::string& where = fetched->where;
    std::optional<std::string> last;
    // Pages may overlap (a row read twice is harmless); rows within one may not.
    std::optional<std::string> previous;
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
  }
  return progress;
}

}  // namespace salesforce
