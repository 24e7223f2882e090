// One object read as one stream: the query from the cursor on, every page by nextRecordsUrl,
// a checkpoint after each page. The pages are fetched by a PageFeed, on a thread of its own and
// one page ahead of the reader, so that the three objects' queries run side by side while
// their rows are emitted one object after the other (queryMore itself is sequential).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <rapidjson/document.h>

#include "plugins/salesforce/api.h"
#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/soql.h"

namespace salesforce {

struct StreamProgress {
  std::int64_t rows = 0;
  std::int64_t deleted = 0;
  std::int64_t pages = 0;
  std::optional<std::string> cursor;  // the last one handed to on_page
};

// One object's pages, fetched and parsed in order on a thread of its own, at most one page
// ahead of the reader. An expired query locator restarts the query from the latest
// SystemModstamp fetched.
class PageFeed {
 public:
  struct Page {
    QueryPage page;
    std::string where;  // "Salesforce Opportunity, page 3 (SystemModstamp >= ...)"
  };

  PageFeed(SalesforceApi& api, std::string api_version, bool all, ObjectQuery query,
           std::string since);
  ~PageFeed();  // stops fetching, and waits for the request on the wire
  PageFeed(const PageFeed&) = delete;
  PageFeed& operator=(const PageFeed&) = delete;

  // The next page; nothing after the last. Throws what fetching it threw.
  std::optional<Page> next();

 private:
  void fetch_all();
  bool deliver(std::optional<Page> page, const std::exception_ptr& error);

  SalesforceApi& api_;
  std::string api_version_;
  bool all_;
  ObjectQuery query_;
  std::string since_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::optional<Page>> ready_;  // nothing: the end
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;
};

using RowHandler = std::function<void(const rapidjson::Value& row)>;
using PageHandler = std::function<void(const std::string& cursor)>;

// Reads every row of `query` whose SystemModstamp is at or after `since` (a SOQL literal), in
// SystemModstamp order, from /queryAll when `all`. Each page is parsed whole before its rows
// go to `on_row`; then `on_page` gets the SystemModstamp of the page's last row: a later run
// asks for `>=` that value, so rows sharing it across a page boundary are read again (the
// hub's upsert makes that harmless) and never skipped. An expired query locator restarts the
// query from the last cursor. Throws with the object, the page and the URL in the message.
StreamProgress read_stream(SalesforceApi& api, std::string_view api_version, bool all,
                           const ObjectQuery& query, const std::string& since,
                           const RowHandler& on_row, const PageHandler& on_page);
// The same over a feed already started.
StreamProgress read_stream(PageFeed& feed, const RowHandler& on_row, const PageHandler& on_page);

}  // namespace salesforce
