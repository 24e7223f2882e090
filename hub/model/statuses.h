// The canonical status vocabulary of each entity (../shared/DESIGN.md, "Canonical statuses").
#pragma once

#include <span>
#include <string_view>

namespace hub {

// "campaign", "opportunity", "participant", "step".
std::span<const std::string_view> status_entities();

// The canonical statuses of `entity`; empty for an unknown entity.
std::span<const std::string_view> canonical_statuses(std::string_view entity);

bool is_canonical_status(std::string_view entity, std::string_view status);

}  // namespace hub
