// The minimal plugin of plugin-api/README.md, built outside the tree by a test.
#include <campaign_hub/plugin.h>

namespace {

class Hello : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override {
    if (host.cursor("campaigns") == "done")
      return;  // already imported
    campaign_hub::Campaign campaign;
    campaign.external_id = "c-1";
    campaign.name = "Biodegradable packaging films";
    campaign.kind = "scouting";
    campaign.status = "Live";  // the provider's word
    campaign.start = "2026-02-01";
    campaign.updated_at = "2026-03-02T09:15:00+01:00";  // any offset: the hub stores UTC
    campaign.raw = R"({"id":"c-1","state":"Live"})";    // what the provider sent
    emit.campaign(std::move(campaign));
    emit.checkpoint("campaigns", "done");  // committed with the records before it
  }
};

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Draft", "draft"},
    {"campaign", "Live", "active"},
    {"campaign", "Over", "completed"},
};

const campaign_hub::Descriptor kDescriptor{
    .name = "hello",
    .version = "1.0.0",
    .kind = "scouting",
    .summary = "A one-campaign example",
    .settings_schema = R"({"type": "object", "additionalProperties": false})",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
};

}  // namespace

CAMPAIGN_HUB_PLUGIN(Hello, kDescriptor)
