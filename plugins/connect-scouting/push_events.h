// Connect push events (../shared/providers/webhooks.md, "Connect push"): one event per change,
// {"type": ..., "occurred_at": ..., "data": {the object GET /v1/... returns}}. The hub has
// checked the Standard Webhooks signature before this sees the body.
#pragma once

#include "campaign_hub/plugin.h"
#include "settings.h"

namespace connect_scouting {

// Emits the campaign or opportunity an event carries (a campaign.deleted one as a tombstone),
// each with the feed's own updated_at, and answers taken; answers ignored for a ping and for
// a type it does not know. Throws std::runtime_error for a body that is not an event.
campaign_hub::WebhookResult receive_event(const Settings& settings,
                                          const campaign_hub::WebhookRequest& request,
                                          campaign_hub::Emitter& emit);

}  // namespace connect_scouting
