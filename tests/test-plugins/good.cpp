// The smallest plugin that loads and works: one campaign, a status map, a check.
#include <iterator>
#include <memory>

#include "campaign_hub/plugin.h"

namespace {

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Running", "active"},
    {"campaign", "Over", "completed"},
    {"opportunity", "Open", "active"},
};

const campaign_hub::Descriptor kDescriptor = {
    .name = "good",
    .version = "1.2.3",
    .kind = "scouting",
    .summary = "A minimal plugin for the loader's tests",
    .settings_schema = R"({"type":"object","properties":{"greeting":{"type":"string"}}})",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
    .capabilities = campaign_hub::capability_check,
};

class GoodProvider : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override {
    host.logger().log(campaign_hub::LogLevel::info, "good: reading one campaign");
    campaign_hub::Campaign campaign;
    campaign.external_id = "g-1";
    campaign.name = "Good campaign";
    campaign.status = "Running";
    campaign.raw = R"({"id":"g-1","status":"Running"})";
    emit.campaign(std::move(campaign));
    emit.checkpoint("campaigns", "g-1");
  }

  campaign_hub::CheckResult check(campaign_hub::Host& /*host*/) override {
    return {true, "good: nothing to reach, always fine"};
  }
};

}  // namespace

CAMPAIGN_HUB_PLUGIN(GoodProvider, kDescriptor)
