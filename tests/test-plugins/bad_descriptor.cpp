// A plugin whose status map sends a provider status to a status campaigns do not have:
// status_map[3] maps "Live" to "running".
#include <iterator>
#include <memory>

#include "campaign_hub/plugin.h"

namespace {

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Draft", "draft"},
    {"campaign", "Scheduled", "scheduled"},
    {"campaign", "Done", "completed"},
    {"campaign", "Live", "running"},
};

const campaign_hub::Descriptor kDescriptor = {
    .name = "bad-descriptor",
    .version = "0.1.0",
    .kind = "scouting",
    .summary = "Maps a status to a canonical status that does not exist",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
};

class NeverUsed : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host&, campaign_hub::Emitter&) override {}
};

}  // namespace

CAMPAIGN_HUB_PLUGIN(NeverUsed, kDescriptor)
