// `rest-json-check --probe URL`: reads one answer of an unknown provider and says where its
// records are and how its pages follow, the common shapes as dlt's `paginator: auto` knows them
// (a Link header, a next URL or a cursor token in the body, a page count, a total for offsets),
// then writes a mapping skeleton that loads as it is, to start from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <campaign_hub/host.h>
#include <rapidjson/document.h>

#include "plugins/rest-json/mapping.h"

namespace rest_json {

struct Probe {
  std::string entity = "campaign";  // opportunity when the path names deals or opportunities
  bool found_records = false;
  std::string records;  // a JSON pointer; "" when the answer is the array itself
  std::size_t record_count = 0;
  Paging paging;           // Kind::none when no paging shows
  std::string paging_why;  // "a next URL at /suivant", for the report
  // Canonical fields guessed from the first record's member names: field -> pointer.
  std::vector<std::pair<std::string, std::string>> fields;
  // The first record's other members, for the skeleton's attributes: name -> pointer.
  std::vector<std::pair<std::string, std::string>> others;
  std::string status_member;  // a member that looks like a status, to be mapped by hand
};

Probe probe_page(const rapidjson::Value& body, const campaign_hub::HttpResponse& response,
                 std::string_view url);

// Lines for people: what was found and what is left to do.
std::string probe_report(const Probe& probe);

// A mapping file (JSON text) for `url`: one stream with the records, paging, guessed fields and
// every other member of the first record as attributes.
std::string probe_skeleton(const Probe& probe, std::string_view url);

}  // namespace rest_json
