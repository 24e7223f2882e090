// The connect-scouting plugin: campaigns and opportunities of a Connect-style scouting feed.
#pragma once

#include "campaign_hub/plugin.h"

namespace connect_scouting {

class ConnectScouting : public campaign_hub::Provider {
 public:
  // Reads each configured stream (campaigns, then opportunities) past its saved cursor, and
  // checkpoints after each page.
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
  // GET /v1/campaigns?limit=1: reaches the feed and authenticates, in one line.
  campaign_hub::CheckResult check(campaign_hub::Host& host) override;
  // One Connect push event (push_events.h): the campaign or opportunity it carries.
  campaign_hub::WebhookResult receive(campaign_hub::Host& host,
                                      const campaign_hub::WebhookRequest& request,
                                      campaign_hub::Emitter& emit) override;
};

extern const campaign_hub::Descriptor descriptor;

}  // namespace connect_scouting
