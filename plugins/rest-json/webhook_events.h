// What a provider described by a mapping pushes (the mapping's /webhook): each event of a
// verified request's body made into the record or tombstone its type says, by the named pull
// stream's own rule, so that a pushed record is built exactly as a pulled one.
#pragma once

#include <string>

#include <campaign_hub/plugin.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/settings.h"

namespace rest_json {

// Emits what every event of the body makes and answers taken when anything was emitted; answers
// ignored otherwise (a ping, types the mapping does not list, a record gone since its event).
// Throws std::runtime_error before emitting anything for a mapping without a webhook section, a
// body that is not JSON or has no events where the mapping says, and an event that lacks what
// its action needs, naming the pointer; a read-back request that fails throws as a pull does.
campaign_hub::WebhookResult receive_events(const Mapping& mapping, const Settings& settings,
                                           campaign_hub::Host& host,
                                           const campaign_hub::WebhookRequest& request,
                                           campaign_hub::Emitter& emit);

// "webhook: 3 event type(s), signed hubspot-v3 (the instance's webhook.scheme)": what the
// operator sets, for check and rest-json-check.
std::string webhook_summary(const Webhook& webhook);

}  // namespace rest_json
