// Parsing and validation of the `http` config object. Hand-written rather than schema-driven so
// that every error names the exact pointer and what would be accepted there.
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "connectors/http/client.h"

namespace connectors::http {
namespace {

[[noreturn]] void fail(const std::string& pointer, const std::string& what) {
  throw std::invalid_argument((pointer.empty() ? std::string("/") : pointer) + ": " + what);
}

// One JSON object of the config, read key by key so that errors can name their pointer.
class ObjectReader {
 public:
  ObjectReader(const rapidjson::Value& value, std::string pointer)
      : value_(value), pointer_(std::move(pointer)) {
    if (!value_.IsObject())
      fail(pointer_, "expected an object");
  }

  void allow_only(std::initializer_list<const char*> keys) const {
    for (auto it = value_.MemberBegin(); it != value_.MemberEnd(); ++it) {
      std::string name = it->name.GetString();
      for (auto other = value_.MemberBegin(); other != it; ++other) {
        if (name == other->name.GetString())
          fail(pointer_ + "/" + name, "given twice");
      }
      bool known = false;
      std::string list;
      for (const char* key : keys) {
        known = known || name == key;
        list += list.empty() ? "" : ", ";
        list += key;
      }
      if (!known)
        fail(pointer_ + "/" + name, "unknown setting; expected one of: " + list);
    }
  }

  const rapidjson::Value* get(const char* key) const {
    auto it = value_.FindMember(key);
    return it == value_.MemberEnd() ? nullptr : &it->value;
  }
  std::string at(const char* key) const { return pointer_ + "/" + key; }

  void string(const char* key, std::string& out, bool required = false) const {
    const rapidjson::Value* v = get(key);
    if (v == nullptr) {
      if (required)
        fail(at(key), "required");
      return;
    }
    if (!v->IsString())
      fail(at(key), "expected a string");
    out.assign(v->GetString(), v->GetStringLength());
    if (required && out.empty())
      fail(at(key), "must not be empty");
  }

  void integer(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max) const {
    const rapidjson::Value* v = get(key);
    if (v == nullptr)
      return;
    if (!v->IsInt64())
      fail(at(key), "expected an integer");
    std::int64_t n = v->GetInt64();
    if (n < min || n > max) {
      fail(at(key), "expected an integer from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got " + std::to_string(n));
    }
    out = n;
  }

  void number(const char* key, double& out, double min) const {
    const rapidjson::Value* v = get(key);
    if (v == nullptr)
      return;
    if (!v->IsNumber() || !std::isfinite(v->GetDouble()) || v->GetDouble() < min) {
      fail(at(key), "expected a number >= " + std::to_string(static_cast<long long>(min)));
    }
    out = v->GetDouble();
  }

  void boolean(const char* key, bool& out) const {
    const rapidjson::Value* v = get(key);
    if (v == nullptr)
      return;
    if (!v->IsBool())
      fail(at(key), "expected true or false");
    out = v->GetBool();
  }

 private:
  const rapidjson::Value& value_;
  std::string pointer_;
};

constexpr std::int64_t kHour = 3'600'000;

bool starts_with_http(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

void read_auth(const ObjectReader& http, Settings::Auth& auth) {
  const rapidjson::Value* value = http.get("auth");
  if (value == nullptr)
    return;
  ObjectReader r(*value, "/auth");
  std::string type;
  r.string("type", type, true);
  if (type == "none") {
    r.allow_only({"type"});
    auth.type = AuthType::none;
  } else if (type == "bearer") {
    r.allow_only({"type", "token"});
    auth.type = AuthType::bearer;
    r.string("token", auth.token, true);
  } else if (type == "basic") {
    r.allow_only({"type", "username", "password"});
    auth.type = AuthType::basic;
    r.string("username", auth.username, true);
    r.string("password", auth.password);
  } else if (type == "api_key") {
    r.allow_only({"type", "key", "in", "name"});
    auth.type = AuthType::api_key;
    r.string("key", auth.key, true);
    std::string in = "header";
    r.string("in", in);
    if (in != "header" && in != "query")
      fail("/auth/in", "expected \"header\" or \"query\"");
    auth.key_in_query = in == "query";
    auth.key_name = auth.key_in_query ? "api_key" : "X-Api-Key";
    r.string("name", auth.key_name);
    if (auth.key_name.empty())
      fail("/auth/name", "must not be empty");
  } else if (type == "oauth2_client_credentials") {
    r.allow_only({"type", "token_url", "client_id", "client_secret", "scope", "credentials_in",
                  "use_instance_url"});
    auth.type = AuthType::oauth2_client_credentials;
    r.string("token_url", auth.token_url, true);
    r.string("client_id", auth.client_id, true);
    r.string("client_secret", auth.client_secret, true);
    r.string("scope", auth.scope);
    std::string in = "body";
    r.string("credentials_in", in);
    if (in != "body" && in != "basic")
      fail("/auth/credentials_in", "expected \"body\" or \"basic\"");
    auth.credentials_in_body = in == "body";
    r.boolean("use_instance_url", auth.use_instance_url);
  } else {
    fail("/auth/type",
         "expected one of: none, bearer, basic, api_key, oauth2_client_credentials; got \"" + type +
             "\"");
  }
}

}  // namespace

Settings parse_settings(std::string_view http_json) {
  rapidjson::Document document;
  document.Parse(http_json.data(), http_json.size());
  if (document.HasParseError()) {
    fail("", std::string("not valid JSON at offset ") + std::to_string(document.GetErrorOffset()) +
                 ": " + rapidjson::GetParseError_En(document.GetParseError()));
  }
  Settings s;
  ObjectReader http(document, "");
  http.allow_only({"base_url", "auth", "headers", "timeouts", "retries", "rate_limit",
                   "max_in_flight", "max_response_bytes", "compression", "tls", "user_agent"});
  http.string("base_url", s.base_url);
  if (!s.base_url.empty() && !starts_with_http(s.base_url)) {
    fail("/base_url", "expected an http:// or https:// URL, got \"" + s.base_url + "\"");
  }
  read_auth(http, s.auth);
  if (!s.auth.token_url.empty() && !starts_with_http(s.auth.token_url) && s.base_url.empty()) {
    fail("/auth/token_url", "a relative token URL needs /base_url");
  }
  if (const rapidjson::Value* headers = http.get("headers")) {
    ObjectReader r(*headers, "/headers");
    for (auto it = headers->MemberBegin(); it != headers->MemberEnd(); ++it) {
      std::string name = it->name.GetString();
      if (!it->value.IsString())
        fail("/headers/" + name, "expected a string");
      if (name.empty() || name.find_first_of(": \r\n") != std::string::npos) {
        fail("/headers/" + name, "not a valid header name");
      }
      s.headers.emplace_back(name, it->value.GetString());
    }
  }
  if (const rapidjson::Value* timeouts = http.get("timeouts")) {
    ObjectReader r(*timeouts, "/timeouts");
    r.allow_only({"connect_ms", "request_ms", "low_speed_bytes_per_second", "low_speed_seconds"});
    r.integer("connect_ms", s.connect_ms, 1, kHour);
    r.integer("request_ms", s.request_ms, 1, 24 * kHour);
    r.integer("low_speed_bytes_per_second", s.low_speed_bytes_per_second, 0, 1LL << 30);
    r.integer("low_speed_seconds", s.low_speed_seconds, 1, 3600);
  }
  if (const rapidjson::Value* retries = http.get("retries")) {
    ObjectReader r(*retries, "/retries");
    r.allow_only({"max_attempts", "max_total_wait_ms", "base_delay_ms", "max_delay_ms"});
    r.integer("max_attempts", s.max_attempts, 1, 100);
    r.integer("max_total_wait_ms", s.max_total_wait_ms, 0, 24 * kHour);
    r.integer("base_delay_ms", s.base_delay_ms, 0, kHour);
    r.integer("max_delay_ms", s.max_delay_ms, 0, kHour);
    if (s.max_delay_ms < s.base_delay_ms) {
      fail("/retries/max_delay_ms",
           "must be at least /retries/base_delay_ms (" + std::to_string(s.base_delay_ms) + ")");
    }
  }
  if (const rapidjson::Value* rate = http.get("rate_limit")) {
    ObjectReader r(*rate, "/rate_limit");
    r.allow_only({"requests_per_second", "burst"});
    r.number("requests_per_second", s.requests_per_second, 0);
    r.integer("burst", s.burst, 1, 100'000);
  }
  http.integer("max_in_flight", s.max_in_flight, 1, 256);
  http.integer("max_response_bytes", s.max_response_bytes, 1, 1LL << 40);
  http.boolean("compression", s.compression);
  if (const rapidjson::Value* tls = http.get("tls")) {
    ObjectReader r(*tls, "/tls");
    r.allow_only({"verify", "ca_bundle", "plain_http_credentials"});
    r.boolean("verify", s.tls_verify);
    r.string("ca_bundle", s.ca_bundle);
    std::string plain = "refuse";
    r.string("plain_http_credentials", plain);
    if (plain != "refuse" && plain != "warn") {
      fail("/tls/plain_http_credentials", "expected \"refuse\" or \"warn\", got \"" + plain + "\"");
    }
    s.refuse_plain_http_credentials = plain == "refuse";
  }
  http.string("user_agent", s.user_agent);
  return s;
}

std::string_view settings_schema() {
  static constexpr std::string_view kSchema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "http connector settings",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://"},
    "auth": {
      "type": "object",
      "required": ["type"],
      "properties": {
        "type": {"enum": ["none", "bearer", "basic", "api_key", "oauth2_client_credentials"]},
        "token": {"type": "string", "minLength": 1},
        "username": {"type": "string", "minLength": 1},
        "password": {"type": "string"},
        "key": {"type": "string", "minLength": 1},
        "in": {"enum": ["header", "query"]},
        "name": {"type": "string", "minLength": 1},
        "token_url": {"type": "string", "minLength": 1},
        "client_id": {"type": "string", "minLength": 1},
        "client_secret": {"type": "string", "minLength": 1},
        "scope": {"type": "string"},
        "credentials_in": {"enum": ["body", "basic"]},
        "use_instance_url": {"type": "boolean"}
      },
      "additionalProperties": false
    },
    "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    "timeouts": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "connect_ms": {"type": "integer", "minimum": 1, "maximum": 3600000},
        "request_ms": {"type": "integer", "minimum": 1, "maximum": 86400000},
        "low_speed_bytes_per_second": {"type": "integer", "minimum": 0},
        "low_speed_seconds": {"type": "integer", "minimum": 1, "maximum": 3600}
      }
    },
    "retries": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
        "max_total_wait_ms": {"type": "integer", "minimum": 0, "maximum": 86400000},
        "base_delay_ms": {"type": "integer", "minimum": 0, "maximum": 3600000},
        "max_delay_ms": {"type": "integer", "minimum": 0, "maximum": 3600000}
      }
    },
    "rate_limit": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "requests_per_second": {"type": "number", "minimum": 0},
        "burst": {"type": "integer", "minimum": 1, "maximum": 100000}
      }
    },
    "max_in_flight": {"type": "integer", "minimum": 1, "maximum": 256},
    "max_response_bytes": {"type": "integer", "minimum": 1},
    "compression": {"type": "boolean"},
    "tls": {
      "type": "object",
      "additionalProperties": false,
      "properties": {"verify": {"type": "boolean"}, "ca_bundle": {"type": "string"},
                     "plain_http_credentials": {"enum": ["refuse", "warn"]}}
    },
    "user_agent": {"type": "string"}
  }
})json";
  return kSchema;
}

}  // namespace connectors::http
