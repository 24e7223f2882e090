// Reads a mapping's streams through the hub's HTTP connector: builds each request, follows
// pages, emits records, nested records and child streams, and keeps incremental cursors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <campaign_hub/host.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/settings.h"

namespace rest_json {

struct Scope;

// The mapping the settings name, loaded and checked.
Mapping mapping_for(const Settings& settings);

class StreamReader {
 public:
  StreamReader(const Mapping& mapping, const Settings& settings, campaign_hub::Host& host,
               campaign_hub::Emitter* emit);

  void read_all();
  // The number of records on the first page of the first stream (for check).
  std::size_t first_page_records();

 private:
  struct Page;
  void read_stream(const Stream& stream, const Scope* parent);
  std::optional<Page> fetch(const Stream& stream, const std::string& url, bool child);
  std::size_t emit_records(const RecordRule& rule, const rapidjson::Value& body,
                           const Scope* parent, const Stream* stream, std::string* max_cursor,
                           const std::string& url);
  void emit_nested(const RecordRule& rule, const Scope& scope);
  std::string first_url(const Stream& stream, const Scope* parent);
  std::string resolve(const std::string& reference, const std::string& current) const;

  const Mapping& mapping_;
  std::string base_url_;
  std::vector<std::pair<std::string, std::string>> headers_;
  campaign_hub::Host& host_;
  campaign_hub::Emitter* emit_;
  std::size_t unfit_ = 0;
};

}  // namespace rest_json
