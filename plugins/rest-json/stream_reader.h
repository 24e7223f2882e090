// Reads a mapping's streams through the hub's HTTP connector: builds each request, follows
// pages, emits records, nested records and child streams, and keeps incremental cursors.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <campaign_hub/host.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/record_builder.h"
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

  // For pushed events (webhook_events.h). The mapping's lookups, read whole, before records
  // that use them.
  void read_lookups();
  // The one record `rule` finds at its records pointer in `event`, emitted as a page's record.
  void emit_from(const RecordRule& rule, const rapidjson::Value& event);
  // The record an event names, read back with `request`'s one GET (its path and query take
  // the event's values) and emitted; an answer 404 or 410 (the record is gone since) is logged
  // and skipped.
  void read_back(const Stream& request, const rapidjson::Value& event);
  // Adds to the run's details what did not fit and what lookups missed.
  void note_counts();

 private:
  struct Page;
  struct Call;
  // The first pages of a parent page's child streams, fetched side by side (prefetch.h).
  class ChildPages;
  // A stream's pages, their records emitted; or a lookup's, their keys and values kept.
  void read_stream(const Stream& stream, const Scope* parent, const Lookup* lookup = nullptr);
  std::size_t keep_entries(const Lookup& lookup, std::size_t index, const rapidjson::Value& body,
                           const std::string& url);
  // `gone`: why an answer 404 or 410 is skipped (logged), else empty: such an answer fails.
  std::optional<Page> fetch(const Stream& stream, const Call& call, std::string_view gone);
  // A child stream's first page: fetched ahead with its siblings when it was, else now.
  std::optional<Page> first_child_page(const Stream& stream, const Call& call);
  // Starts fetching the first page of every child stream of every record of a page.
  std::unique_ptr<ChildPages> fetch_children_ahead(const Stream& stream,
                                                   const rapidjson::Value& records,
                                                   const Scope* parent);
  std::size_t emit_records(const RecordRule& rule, const rapidjson::Value& body,
                           const Scope* parent, const Stream* stream, std::string* max_cursor,
                           const std::string& url);
  void emit_nested(const RecordRule& rule, const Scope& scope);
  // The first page's request: its URL, and its JSON body for a POST.
  Call first_call(const Stream& stream, const Scope* parent, const std::string& cursor_name);
  std::string cursor_name(const Stream& stream, const Scope* parent) const;
  std::string resolve(const std::string& reference, const std::string& current) const;

  const Mapping& mapping_;
  std::string base_url_;
  std::vector<std::pair<std::string, std::string>> headers_;
  campaign_hub::Host& host_;
  campaign_hub::Emitter* emit_;
  std::size_t unfit_ = 0;
  LookupTables lookups_;
  std::size_t lookup_misses_ = 0;
  // A child stream's one cursor: the latest time over every parent's children, committed when
  // its top-level stream was read to the end.
  std::map<std::string, std::string> child_cursors_;
  // The child pages being fetched for the parent page read now, if any.
  ChildPages* children_ahead_ = nullptr;
};

}  // namespace rest_json
