// The hub's configuration: one JSON file, validated against config/campaign-hub.schema.json.
#pragma once

#include <array>

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hub {

// entity ("campaign", ...) -> provider status text -> canonical status
using StatusOverrides = std::map<std::string, std::map<std::string, std::string>>;

// When serve runs an instance: exactly one of `every` and `cron` is set. Checked when the
// config is read (hub/schedule parses it).
struct ScheduleConfig {
  std::string every;  // "15m"
  std::string cron;   // "0 9 * * 1-5"
  std::string time_zone = "UTC";
  std::string jitter = "0s";
};

// What a provider pushes to `POST /webhooks/{instance}`, and how the hub checks it
// (../shared/providers/webhooks.md; README "Provider webhooks").
struct WebhookConfig {
  // standard-webhooks: webhook-id, webhook-timestamp, webhook-signature (HMAC-SHA256 keyed
  // with the whsec_ secret's bytes); hubspot-v3: X-HubSpot-Signature-v3 over method, URL,
  // body and timestamp; url-secret: the secret is the last segment of the URL's path
  // (/webhooks/{instance}/{secret}), for providers that sign nothing (Mailchimp).
  std::string scheme;
  std::string secret;                    // resolved: `${env:...}` or `${file:...}` in the file
  int tolerance_seconds = 300;           // a signed timestamp further off is refused (401)
  std::size_t max_body_bytes = 1 << 20;  // a larger body is refused (413)
  // hubspot-v3 signs the URL as the provider requested it: scheme, host, path and query.
  // Behind a proxy, this is the URL the provider was given ("https://hub.example.com");
  // empty: the listener's own scheme and the request's Host header.
  std::string public_url;
  int dedup_hours = 72;  // a delivery id seen within this window is answered and not kept again
};

struct InstanceConfig {
  std::string name;
  std::string plugin;
  std::string settings_json = "{}";  // the instance's `settings` object, secrets resolved
  std::string http_json;             // its `http` object, secrets resolved; empty when absent
  StatusOverrides status_overrides;
  // entity -> the canonical status of a record that has none (wins over the plugin's rule)
  std::map<std::string, std::string> status_when_missing;
  std::size_t batch_size = 1000;
  std::string default_initiative = "Default Initiative";
  // After a run that listed an entity in full, mark deleted the records it no longer lists.
  bool detect_deletions = true;
  std::optional<ScheduleConfig> schedule;  // none: serve runs it only when asked
  int run_timeout_seconds = 1800;
  int memory_limit_mib = 1024;
  std::optional<WebhookConfig> webhook;  // none: pushed requests are refused (404)
  // Why a secret of this instance could not be resolved (file, pointer, cause); empty when all
  // were. The config still loads: the instance fails when it is synced or checked.
  std::string secret_error;
};

// Who may use the account managers' API, and for what: viewer reads; contributor also triages;
// manager also replays, starts syncs and exports raw payloads.
enum class Role { viewer, contributor, manager };

// An API token as the hub keeps it: only its SHA-256, never the token itself.
struct ApiToken {
  std::string name;  // who: written as `changed_by` on what the token changes
  Role role = Role::viewer;
  std::array<unsigned char, 32> sha256{};
};

// The SHA-256 of `token`.
std::array<unsigned char, 32> token_digest(std::string_view token);

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";  // host:port
  // serve.tokens; empty: only this machine may use the API (a non-loopback listen is refused).
  std::vector<ApiToken> tokens;
  std::filesystem::path tls_certificate;  // both empty: plain HTTP
  std::filesystem::path tls_private_key;
  int max_parallel_runs = 4;
  int grace_period_seconds = 30;
  int retry_first_seconds = 60;
  int retry_max_seconds = 3600;
  // How long a run's lease lasts without renewal: another worker takes a silent run's
  // instance over after this (issue 17).
  int lease_seconds = 120;
};

struct LoggingConfig {
  std::string level = "info";   // debug, info, warn, error
  std::string format = "text";  // text or json
};

struct Config {
  std::filesystem::path file;  // where it was read from; empty for built-in defaults
  std::string database_url = "sqlite3://campaign-hub.db";  // secrets resolved
  std::filesystem::path plugin_dir;  // absolute (relative paths are taken from the file's
                                     // folder); empty when the config names none
  std::vector<InstanceConfig> instances;
  LoggingConfig logging;
  ServeConfig serve;
  std::string text;                  // the file as read: a run's own process parses the same text
  std::vector<std::string> secrets;  // every resolved secret value, for redaction

  const InstanceConfig* instance(std::string_view name) const;
  // `text` with every secret value replaced by "***": pass any message that may quote a
  // resolved value (a plugin's settings error, a connection string) through this.
  std::string redact(std::string_view text) const;
};

// Every message names the file, the JSON pointer and the rule that failed, and never a
// secret's value.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The JSON Schema of the config file (config/campaign-hub.schema.json, compiled in).
std::string_view config_schema();

Config load_config(const std::filesystem::path& file);
// `origin` names the text in errors and anchors relative paths.
Config parse_config(std::string_view json, const std::filesystem::path& origin);

}  // namespace hub
