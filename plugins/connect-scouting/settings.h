// The instance's `settings` object. The connection (base URL, bearer token) is not here: it is
// the instance's `http` object, handled by the hub's HTTP connector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace connect_scouting {

struct Settings {
  int page_size = 500;  // `limit` of each request, 1 to 500
  std::vector<std::string> streams = {"campaigns", "opportunities"};  // read in this order
  std::string campaign_kind = "scouting";
};

// The hub checks settings against the descriptor's schema before the plugin runs; this still
// refuses a wrong shape (for tests and `plugins check`) with std::invalid_argument naming the
// JSON pointer.
Settings parse_settings(std::string_view json);

// The JSON Schema (draft-04) of the settings, as the descriptor declares it.
extern const char* const settings_schema;

}  // namespace connect_scouting
