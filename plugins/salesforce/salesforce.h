// The salesforce plugin: campaigns, campaign members and opportunities of a Salesforce org.
#pragma once

#include <string>

#include <campaign_hub/plugin.h>

namespace salesforce {

class Salesforce : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
  campaign_hub::CheckResult check(campaign_hub::Host& host) override;
};

extern const campaign_hub::Descriptor descriptor;

}  // namespace salesforce
