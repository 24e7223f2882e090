// The mailchimp plugin: e-mail campaigns, their statuses and a metrics snapshot per report.
#pragma once

#include "campaign_hub/plugin.h"

namespace mailchimp {

class Mailchimp : public campaign_hub::Provider {
 public:
  // Lists every campaign (a "pass", checkpointed per page, resumed at its offset after a
  // failure), emits each, reads the report of those sent whose list entry changed, are still
  // sending or were sent recently, and tombstones campaigns a complete pass no longer lists.
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
  // One request: reaches the API, authenticates, counts the campaigns.
  campaign_hub::CheckResult check(campaign_hub::Host& host) override;
};

extern const campaign_hub::Descriptor descriptor;

}  // namespace mailchimp
