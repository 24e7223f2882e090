// What one run listed, for deletion detection: the id of every record it emitted or rejected,
// per entity, and the entities the plugin said it listed in full (Emitter::listed_all).
//
// Ids are kept as 64-bit FNV-1a digests, 8 bytes a record, so a million records cost 8 MB
// rather than the ids themselves. Two ids that collide both count as listed: a collision can
// only keep a record live, never delete one.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hub/model/canonical.h"

namespace hub {

class Listing {
 public:
  // `external_id` as emitted: outer spaces are trimmed, as the normalizer trims stored ids.
  void saw(Entity entity, std::string_view external_id);
  void listed_all(Entity entity);

  // The entities listed in full, each once, in the order first said.
  const std::vector<Entity>& complete() const { return complete_; }
  // Whether a record of `entity` came without an id: what is stored under its id cannot be
  // told apart from what is gone, so nothing of that entity may be marked deleted.
  bool unidentified(Entity entity) const { return unidentified_[static_cast<std::size_t>(entity)]; }

  // Sorts what was seen; call once, after the run, before `contains`.
  void seal();
  bool contains(Entity entity, std::string_view external_id) const;

 private:
  std::array<std::vector<std::uint64_t>, kEntityCount> seen_;
  std::vector<Entity> complete_;
  std::array<bool, kEntityCount> unidentified_{};
};

}  // namespace hub
