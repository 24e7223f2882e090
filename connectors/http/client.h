// The HTTP connector every network plugin pulls through (libcurl). One Client per provider
// instance: it owns its connections (keep-alive), credentials, retry policy, rate limit and
// counters. The `http` config object it is built from is documented in README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "campaign_hub/host.h"

namespace connectors::http {

// Per run: the hub copies these into the run summary.
struct Counters {
  std::int64_t requests = 0;            // HTTP attempts on the wire, token requests included
  std::int64_t retries = 0;             // attempts after the first, for any reason
  std::int64_t bytes = 0;               // response body bytes as received (compressed if gzip)
  std::int64_t rate_limit_wait_ms = 0;  // waiting on our token bucket and on the provider's 429s
};

enum class AuthType { none, bearer, basic, api_key, oauth2_client_credentials };

// The parsed `http` object. Only parse_settings makes one: what is left out takes the default
// its JSON Schema (settings_schema()) declares, so no value is written down here.
struct Settings {
  std::string base_url;
  struct Auth {
    AuthType type = AuthType::none;
    std::string token;               // bearer
    std::string username, password;  // basic
    std::string key;                 // api_key
    bool key_in_query = false;       // api_key: `in` is "query" (else "header")
    std::string key_name;            // api_key: header or query parameter name
    std::string token_url;           // oauth2: absolute, or relative to base_url
    std::string client_id, client_secret, scope;
    bool credentials_in_body = false;  // oauth2: form fields (else HTTP basic to the token URL)
    bool use_instance_url = false;     // oauth2: rebase on the token answer's `instance_url`
  } auth;
  campaign_hub::Headers headers;  // sent with every request; a request's own header wins
  std::int64_t connect_ms = 0;
  std::int64_t request_ms = 0;
  std::int64_t low_speed_bytes_per_second = 0;
  std::int64_t low_speed_seconds = 0;
  std::int64_t max_attempts = 0;
  std::int64_t max_total_wait_ms = 0;
  std::int64_t base_delay_ms = 0;
  std::int64_t max_delay_ms = 0;
  double requests_per_second = 0;  // 0: no limit
  std::int64_t burst = 0;
  std::int64_t max_in_flight = 0;
  std::int64_t max_response_bytes = 0;
  // Ask for gzip (and whatever else libcurl decodes). Off saves CPU on both ends where the
  // network is not the bottleneck (a provider on the same host).
  bool compression = false;
  bool tls_verify = false;
  // Credentials (auth, or user:password in a URL) sent over plain http:// to a host that is
  // not this machine: refused by default; "warn" sends them with a warning.
  bool refuse_plain_http_credentials = false;
  std::string ca_bundle;  // empty: the system's bundle
  std::string user_agent;
};

// Reads an `http` object against settings_schema(), which declares every setting once: its
// type, range and default. Throws connectors::json::SettingsError (an std::invalid_argument):
// "http/<pointer>: <sentence> (<rule>)". The hub calls it when it loads the config too, so a
// wrong `http` object stops the config, not the first run.
Settings parse_settings(std::string_view http_json);

// The JSON Schema (draft-04, as RapidJSON validates it) of the `http` object: the one
// declaration of its settings, their defaults and their descriptions.
std::string_view settings_schema();

class Client : public campaign_hub::Http {
 public:
  Client(Settings settings, campaign_hub::Logger& logger);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Thread-safe; at most `max_in_flight` run at once. See campaign_hub::Http for the contract:
  // returns a 2xx/3xx, 404 or 410; throws campaign_hub::HttpError otherwise.
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override;

  // Read it once no send is running (the end of a run).
  const Counters& counters() const;
  const Settings& settings() const;

  // `text` with every secret this client knows replaced by "***" (for callers' own messages).
  std::string redact(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// http_json: the instance's `http` config object as JSON text, secrets already resolved.
std::unique_ptr<Client> make_client(std::string_view http_json, campaign_hub::Logger& logger);

}  // namespace connectors::http
