#include "hub/model/statuses.h"

#include <algorithm>
#include <array>

namespace hub {
namespace {

constexpr std::array<std::string_view, 4> kEntities = {"campaign", "opportunity", "participant",
                                                       "step"};
constexpr std::array<std::string_view, 8> kCampaign = {
    "draft", "scheduled", "testing", "active", "paused", "completed", "cancelled", "failed"};
constexpr std::array<std::string_view, 5> kOpportunity = {"active", "on_hold", "won", "closed",
                                                          "declined"};
constexpr std::array<std::string_view, 5> kParticipant = {"pending", "active", "paused",
                                                          "completed", "removed"};
constexpr std::array<std::string_view, 5> kStep = {"pending", "done", "skipped", "cancelled",
                                                   "failed"};

}  // namespace

std::span<const std::string_view> status_entities() {
  return kEntities;
}

std::span<const std::string_view> canonical_statuses(std::string_view entity) {
  if (entity == "campaign")
    return kCampaign;
  if (entity == "opportunity")
    return kOpportunity;
  if (entity == "participant")
    return kParticipant;
  if (entity == "step")
    return kStep;
  return {};
}

bool is_canonical_status(std::string_view entity, std::string_view status) {
  auto statuses = canonical_statuses(entity);
  return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
}

}  // namespace hub
