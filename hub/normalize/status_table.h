// An instance's status map: the plugin's fixed map, the rules its settings add, and the
// operator's status_overrides, in that order, each later entry replacing an earlier one for the
// same text. The one place where a provider's status word becomes a canonical status.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "campaign_hub/statuses.h"

namespace hub {

class StatusTable {
 public:
  using Match = campaign_hub::StatusMatch;

  // Maps `provider` (compared under `match`) to `canonical`. Checking that `canonical` is a
  // status of `entity` is the caller's: the loader, the config and rest-json's mapping do it.
  StatusTable& add(std::string_view entity, std::string_view provider, std::string_view canonical,
                   Match match = Match::exact);
  // The status of a record of `entity` that has none (never guessed: only when a map says so).
  StatusTable& when_missing(std::string_view entity, std::string_view canonical);

  // The canonical status of `provider`, std::nullopt meaning the record has no status: an exact
  // entry first, then a case-insensitive, then an accent-insensitive one. std::nullopt when
  // nothing maps it.
  std::optional<std::string> find(std::string_view entity,
                                  const std::optional<std::string>& provider) const;

  // The number of entries, when_missing ones included.
  std::size_t size() const;

 private:
  struct Entries {
    // Per Match, indexed by its value: folded provider text -> canonical status.
    std::array<std::map<std::string, std::string, std::less<>>, 3> by_match;
    std::optional<std::string> when_missing;
  };
  std::map<std::string, Entries, std::less<>> entities_;
};

}  // namespace hub
