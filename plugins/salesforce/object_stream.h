// One object read as one stream: the query from the cursor on, every page by nextRecordsUrl,
// a checkpoint after each page.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "plugins/salesforce/api.h"
#include "plugins/salesforce/soql.h"

namespace salesforce {

struct StreamProgress {
  std::int64_t rows = 0;
  std::int64_t deleted = 0;
  std::int64_t pages = 0;
  std::optional<std::string> cursor;  // the last one handed to on_page
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

}  // namespace salesforce
