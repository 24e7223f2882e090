// The webhook signature schemes providers use (../shared/providers/webhooks.md), checked by
// the hub, never by a plugin: Standard Webhooks (Connect), HubSpot's v3, and a secret in the
// URL's path for providers that sign nothing (Mailchimp). Every comparison of a signature or
// a secret takes the same time whatever it is compared with (OpenSSL's CRYPTO_memcmp); no
// message here ever holds a secret or a signature.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "campaign_hub/host.h"
#include "hub/config/config.h"

namespace hub::webhooks {

enum class Scheme { standard_webhooks, hubspot_v3, url_secret };

// "standard-webhooks", "hubspot-v3", "url-secret"; nothing for another name.
std::optional<Scheme> scheme_named(std::string_view name);

// A pushed request as the listener received it.
struct SignedRequest {
  std::string_view method;
  // hubspot-v3: the URL as the provider requested it (scheme, host, path, query).
  std::string_view url;
  // url-secret: the last path segment after /webhooks/{instance}; empty when there is none.
  std::string_view path_secret;
  const campaign_hub::Headers& headers;
  std::string_view body;
};

struct Verdict {
  bool ok = false;
  // Why it was refused, for the log and the 401's body: names the header or the check, never
  // a value.
  std::string reason;
  // What identifies the delivery for de-duplication: Standard Webhooks' webhook-id, else the
  // SHA-256 of the body in hex (a provider's retry sends the same body).
  std::string delivery_id;
};

// Checks `request` against the instance's webhook config at `now`.
Verdict verify(const WebhookConfig& config, const SignedRequest& request,
               std::chrono::system_clock::time_point now);

// HMAC-SHA256 of `message` keyed with `key`, base64: what Standard Webhooks' v1 and HubSpot's v3
// signatures are. For the tests and the simulator, which sign as providers do.
std::string hmac_sha256_base64(std::string_view key, std::string_view message);

// Whether two byte strings are equal, in a time that depends on their lengths only.
bool same_bytes(std::string_view a, std::string_view b);

}  // namespace hub::webhooks
