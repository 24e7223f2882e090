// The mailchimp plugin: e-mail campaigns, their statuses and a metrics snapshot per report.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "campaign_hub/plugin.h"
#include "plugins/mailchimp/settings.h"

namespace mailchimp {

class Mailchimp : public campaign_hub::Provider {
 public:
  // Lists every campaign (a "pass", checkpointed per page, resumed at its offset after a
  // failure), emits each, reads the report of those sent whose list entry changed, are still
  // sending or were sent recently, and tombstones campaigns a complete pass no longer lists.
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
  // One request: reaches the API, authenticates, counts the campaigns.
  campaign_hub::CheckResult check(campaign_hub::Host& host) override;
  // A list webhook (webhooks.md, 2). `campaign` (sent or cancelled): the campaign is read back
  // and emitted with its report's figures. `unsubscribe` and `cleaned` from a campaign: that
  // campaign's report is read, whose unsubscribed, bounce and abuse counts include them. Other
  // types, and audience events no campaign caused, are ignored.
  campaign_hub::WebhookResult receive(campaign_hub::Host& host,
                                      const campaign_hub::WebhookRequest& request,
                                      campaign_hub::Emitter& emit) override;

 private:
  // Campaign `id`'s report figures, read once per run (a report read after the events were
  // kept already counts every one of them): nothing when read before, or not sent.
  std::optional<campaign_hub::Metrics> report_once(campaign_hub::Host& host, const std::string& id);
  // The instance's settings, parsed on first use: a provider lives one run, one instance.
  const Settings& settings(campaign_hub::Host& host);

  std::set<std::string> reports_read_;
  std::optional<Settings> settings_;
};

extern const campaign_hub::Descriptor descriptor;

}  // namespace mailchimp
