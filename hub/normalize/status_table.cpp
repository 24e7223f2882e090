#include "hub/normalize/status_table.h"

#include "connectors/text/status_text.h"

namespace hub {
namespace {

std::size_t index_of(campaign_hub::StatusMatch match) {
  return static_cast<std::size_t>(match);
}

}  // namespace

StatusTable& StatusTable::add(std::string_view entity, std::string_view provider,
                              std::string_view canonical, Match match) {
  entities_[std::string(entity)]
      .by_match.at(index_of(match))
      .insert_or_assign(connectors::text::fold_status(provider, match), canonical);
  return *this;
}

StatusTable& StatusTable::when_missing(std::string_view entity, std::string_view canonical) {
  entities_[std::string(entity)].when_missing = std::string(canonical);
  return *this;
}

std::size_t StatusTable::size() const {
  std::size_t n = 0;
  for (const auto& [entity, entries] : entities_) {
    for (const auto& map : entries.by_match)
      n += map.size();
    n += entries.when_missing ? 1 : 0;
  }
  return n;
}

std::optional<std::string> StatusTable::find(std::string_view entity,
                                             const std::optional<std::string>& provider) const {
  auto found = entities_.find(entity);
  if (found == entities_.end())
    return std::nullopt;
  const Entries& entries = found->second;
  if (!provider)
    return entries.when_missing;
  for (Match match : {Match::exact, Match::case_insensitive, Match::accent_insensitive}) {
    const auto& map = entries.by_match.at(index_of(match));
    if (map.empty())
      continue;
    if (auto entry = map.find(connectors::text::fold_status(*provider, match)); entry != map.end())
      return entry->second;
  }
  return std::nullopt;
}

}  // namespace hub
