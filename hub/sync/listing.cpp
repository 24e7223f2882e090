#include "hub/sync/listing.h"

#include <algorithm>

#include "connectors/text/fnv1a.h"
#include "connectors/text/trim.h"

namespace hub {
namespace {

std::uint64_t digest(std::string_view id) {
  return connectors::text::Fnv1a64().add(connectors::text::trimmed(id)).value();
}

}  // namespace

void Listing::saw(Entity entity, std::string_view external_id) {
  const auto at = static_cast<std::size_t>(entity);
  if (connectors::text::trimmed(external_id).empty())
    unidentified_[at] = true;
  else
    seen_[at].push_back(digest(external_id));
}

void Listing::listed_all(Entity entity) {
  if (std::find(complete_.begin(), complete_.end(), entity) == complete_.end())
    complete_.push_back(entity);
}

void Listing::seal() {
  for (auto& ids : seen_) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
}

bool Listing::contains(Entity entity, std::string_view external_id) const {
  const auto& ids = seen_[static_cast<std::size_t>(entity)];
  return std::binary_search(ids.begin(), ids.end(), digest(external_id));
}

}  // namespace hub
