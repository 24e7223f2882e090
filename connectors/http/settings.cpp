// The `http` object: declared once, by its JSON Schema (types, ranges, defaults, descriptions),
// and read through connectors::json::SettingsReader. Code checks only what a schema cannot say:
// which auth fields a given auth type needs, one setting against another, header names.
#include <string>

#include "connectors/http/client.h"
#include "connectors/json/settings_reader.h"

namespace connectors::http {
namespace {

using json::SettingsReader;

bool starts_with_http(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// The fields an auth type needs, and no others.
struct AuthFields {
  const char* type;
  AuthType value;
  std::initializer_list<const char*> required;
  std::initializer_list<const char*> allowed;
};

void check_auth_fields(const SettingsReader& r, const AuthFields& fields) {
  for (const char* name : fields.required) {
    if (!r.given(std::string("/auth/") + name)) {
      r.refuse("/auth", "auth type " + std::string(fields.type) + " needs " + name, "required");
    }
  }
  for (const auto& member : r.document()["auth"].GetObject()) {
    const std::string name = member.name.GetString();
    bool known = name == "type";
    for (const char* each : fields.required)
      known = known || name == each;
    for (const char* each : fields.allowed)
      known = known || name == each;
    if (!known) {
      r.refuse("/auth/" + name, "is not a setting of auth type " + std::string(fields.type),
               "auth type");
    }
  }
}

void read_auth(const SettingsReader& r, Settings::Auth& auth) {
  if (!r.given("/auth"))
    return;
  static const AuthFields kTypes[] = {
      {"none", AuthType::none, {}, {}},
      {"bearer", AuthType::bearer, {"token"}, {}},
      {"basic", AuthType::basic, {"username"}, {"password"}},
      {"api_key", AuthType::api_key, {"key"}, {"in", "name"}},
      {"oauth2_client_credentials",
       AuthType::oauth2_client_credentials,
       {"token_url", "client_id", "client_secret"},
       {"scope", "credentials_in", "use_instance_url"}},
  };
  const std::string type = r.text("/auth/type");
  for (const AuthFields& fields : kTypes) {
    if (type == fields.type) {
      check_auth_fields(r, fields);
      auth.type = fields.value;
    }
  }
  auth.token = r.text("/auth/token");
  auth.username = r.text("/auth/username");
  auth.password = r.text("/auth/password");
  auth.key = r.text("/auth/key");
  auth.key_in_query = r.text("/auth/in") == "query";
  // The name's default depends on where the key goes, which a schema default cannot say.
  auth.key_name = r.given("/auth/name") ? r.text("/auth/name")
                  : auth.key_in_query   ? "api_key"
                                        : "X-Api-Key";
  auth.token_url = r.text("/auth/token_url");
  auth.client_id = r.text("/auth/client_id");
  auth.client_secret = r.text("/auth/client_secret");
  auth.scope = r.text("/auth/scope");
  auth.credentials_in_body = r.text("/auth/credentials_in") == "body";
  auth.use_instance_url = r.boolean("/auth/use_instance_url");
}

const json::SettingsSchema& schema() {
  static const json::SettingsSchema compiled(settings_schema());
  return compiled;
}

}  // namespace

Settings parse_settings(std::string_view http_json) {
  const SettingsReader r(http_json, schema(), "http");
  Settings s;
  s.base_url = r.text("/base_url");
  read_auth(r, s.auth);
  if (!s.auth.token_url.empty() && !starts_with_http(s.auth.token_url) && s.base_url.empty()) {
    r.refuse("/auth/token_url", "a relative token URL needs base_url", "relative URL");
  }
  if (const auto* headers = r.value("/headers")) {
    for (const auto& header : headers->GetObject()) {
      const std::string name = header.name.GetString();
      if (name.empty() || name.find_first_of(": \r\n") != std::string::npos) {
        r.refuse("/headers/" + name, "is not a valid header name", "header name");
      }
      s.headers.emplace_back(name, header.value.GetString());
    }
  }
  s.connect_ms = r.integer("/timeouts/connect_ms");
  s.request_ms = r.integer("/timeouts/request_ms");
  s.low_speed_bytes_per_second = r.integer("/timeouts/low_speed_bytes_per_second");
  s.low_speed_seconds = r.integer("/timeouts/low_speed_seconds");
  s.max_attempts = r.integer("/retries/max_attempts");
  s.max_total_wait_ms = r.integer("/retries/max_total_wait_ms");
  s.base_delay_ms = r.integer("/retries/base_delay_ms");
  s.max_delay_ms = r.integer("/retries/max_delay_ms");
  if (s.max_delay_ms < s.base_delay_ms) {
    r.refuse("/retries/max_delay_ms",
             "must be at least retries.base_delay_ms (" + std::to_string(s.base_delay_ms) + ")",
             "base_delay_ms <= max_delay_ms");
  }
  s.requests_per_second = r.number("/rate_limit/requests_per_second");
  s.burst = r.integer("/rate_limit/burst");
  s.max_in_flight = r.integer("/max_in_flight");
  s.max_response_bytes = r.integer("/max_response_bytes");
  s.compression = r.boolean("/compression");
  s.tls_verify = r.boolean("/tls/verify");
  s.ca_bundle = r.text("/tls/ca_bundle");
  s.refuse_plain_http_credentials = r.text("/tls/plain_http_credentials") == "refuse";
  s.user_agent = r.text("/user_agent");
  return s;
}

std::string_view settings_schema() {
  static constexpr std::string_view kSchema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "http connector settings",
  "description": "How an instance reaches its provider: the HTTP connector's settings.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {
      "description": "What a plugin's relative request paths resolve against.",
      "type": "string", "pattern": "^https?://"
    },
    "auth": {
      "description": "Credentials sent with every request; type says which fields apply.",
      "type": "object",
      "required": ["type"],
      "additionalProperties": false,
      "properties": {
        "type": {"enum": ["none", "bearer", "basic", "api_key", "oauth2_client_credentials"]},
        "token": {"description": "bearer: the token.", "type": "string", "minLength": 1},
        "username": {"description": "basic: the user.", "type": "string", "minLength": 1},
        "password": {"description": "basic: the password.", "type": "string"},
        "key": {"description": "api_key: the key.", "type": "string", "minLength": 1},
        "in": {"description": "api_key: sent as a header or a query parameter.",
               "enum": ["header", "query"], "default": "header"},
        "name": {"description": "api_key: the header or parameter name (X-Api-Key in a header, api_key in the query).",
                 "type": "string", "minLength": 1},
        "token_url": {"description": "oauth2: the token endpoint, absolute or relative to base_url.",
                      "type": "string", "minLength": 1},
        "client_id": {"type": "string", "minLength": 1},
        "client_secret": {"type": "string", "minLength": 1},
        "scope": {"type": "string"},
        "credentials_in": {"description": "oauth2: client credentials as form fields or as HTTP basic.",
                           "enum": ["body", "basic"], "default": "body"},
        "use_instance_url": {"description": "oauth2: rebase requests on the token answer's instance_url (Salesforce).",
                             "type": "boolean", "default": false}
      }
    },
    "headers": {
      "description": "Sent with every request; a request's own header wins.",
      "type": "object", "additionalProperties": {"type": "string"}
    },
    "timeouts": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "connect_ms": {"description": "Giving up on connecting.",
                       "type": "integer", "minimum": 1, "maximum": 3600000, "default": 10000},
        "request_ms": {"description": "Giving up on one whole request.",
                       "type": "integer", "minimum": 1, "maximum": 86400000, "default": 120000},
        "low_speed_bytes_per_second": {"description": "A transfer slower than this for low_speed_seconds is abandoned.",
                                       "type": "integer", "minimum": 0, "maximum": 1073741824, "default": 1},
        "low_speed_seconds": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 30}
      }
    },
    "retries": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_attempts": {"description": "Attempts of one request, the first included.",
                         "type": "integer", "minimum": 1, "maximum": 100, "default": 5},
        "max_total_wait_ms": {"description": "Waiting between attempts of one request, in all.",
                              "type": "integer", "minimum": 0, "maximum": 86400000, "default": 120000},
        "base_delay_ms": {"description": "The first wait; each next one doubles, with jitter.",
                          "type": "integer", "minimum": 0, "maximum": 3600000, "default": 500},
        "max_delay_ms": {"description": "The longest single wait (a provider's Retry-After may ask for more).",
                         "type": "integer", "minimum": 0, "maximum": 3600000, "default": 30000}
      }
    },
    "rate_limit": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "requests_per_second": {"description": "Our own limit, 0 for none; a provider's 429 is honoured anyway.",
                                "type": "number", "minimum": 0, "default": 0},
        "burst": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}
      }
    },
    "max_in_flight": {"description": "Requests of this instance on the wire at once.",
                      "type": "integer", "minimum": 1, "maximum": 256, "default": 4},
    "max_response_bytes": {"description": "A larger answer fails its request.",
                           "type": "integer", "minimum": 1, "maximum": 1099511627776, "default": 67108864},
    "compression": {"description": "Ask for gzip; off saves CPU where the network is not the bottleneck.",
                    "type": "boolean", "default": true},
    "tls": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "verify": {"description": "Check the provider's certificate.", "type": "boolean", "default": true},
        "ca_bundle": {"description": "A CA file instead of the system's.", "type": "string"},
        "plain_http_credentials": {"description": "Credentials over plain http:// to another host: refused, or sent with a warning.",
                                   "enum": ["refuse", "warn"], "default": "refuse"}
      }
    },
    "user_agent": {"type": "string", "default": "campaign-hub/0.1"}
  }
})json";
  return kSchema;
}

}  // namespace connectors::http
