#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>

#include "connectors/http/client.h"

namespace connectors::http {
namespace {

std::string error_of(const std::string& json) {
  try {
    parse_settings(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Settings, DefaultsAreProductionSafe) {
  Settings s = parse_settings("{}");
  EXPECT_TRUE(s.tls_verify);
  EXPECT_EQ(s.auth.type, AuthType::none);
  EXPECT_GT(s.max_attempts, 1);
  EXPECT_GT(s.low_speed_seconds, 0);
}

TEST(Settings, ReadsEverySection) {
  Settings s = parse_settings(R"({
    "base_url": "https://us21.api.mailchimp.com/3.0",
    "auth": {"type": "api_key", "key": "k", "in": "query", "name": "apikey"},
    "headers": {"X-Client": "hub"},
    "timeouts": {"connect_ms": 1000, "request_ms": 5000, "low_speed_bytes_per_second": 10,
                 "low_speed_seconds": 3},
    "retries": {"max_attempts": 3, "max_total_wait_ms": 9000, "base_delay_ms": 100,
                "max_delay_ms": 2000},
    "rate_limit": {"requests_per_second": 2.5, "burst": 4},
    "max_in_flight": 2, "max_response_bytes": 1000000,
    "tls": {"verify": false, "ca_bundle": "/etc/ssl/certs/ca.pem"}})");
  EXPECT_TRUE(s.auth.key_in_query);
  EXPECT_EQ(s.auth.key_name, "apikey");
  EXPECT_EQ(s.headers.size(), 1u);
  EXPECT_EQ(s.low_speed_seconds, 3);
  EXPECT_EQ(s.max_delay_ms, 2000);
  EXPECT_DOUBLE_EQ(s.requests_per_second, 2.5);
  EXPECT_FALSE(s.tls_verify);
  EXPECT_EQ(s.ca_bundle, "/etc/ssl/certs/ca.pem");
}

TEST(Settings, ErrorsNameTheJsonPointerAndTheRule) {
  EXPECT_EQ(error_of(R"({"timeouts": {"connect_ms": "fast"}})"),
            "http/timeouts/connect_ms: must be an integer, not a string (type)");
  EXPECT_EQ(error_of(R"({"retries": {"max_attempts": 0}})"),
            "http/retries/max_attempts: must be at least 1 (minimum)");
  EXPECT_EQ(
      error_of(R"({"auth": {"type": "kerberos"}})").rfind("http/auth/type: must be one of", 0), 0u);
  EXPECT_EQ(error_of(R"({"auth": {"type": "bearer"}})"),
            "http/auth: auth type bearer needs token (required)");
  EXPECT_EQ(error_of(R"({"auth": {"type": "bearer", "token": "t", "key": "k"}})"),
            "http/auth/key: is not a setting of auth type bearer (auth type)");
  EXPECT_EQ(error_of(R"({"retries": {"max_atempts": 3}})")
                .rfind("http/retries/max_atempts: unknown property \"max_atempts\"; known "
                       "properties: max_attempts",
                       0),
            0u);
  EXPECT_EQ(error_of(R"({"base_url": "ftp://x"})"),
            "http/base_url: must match ^https?://, not \"ftp://x\" (pattern)");
  EXPECT_EQ(error_of(R"({"headers": {"X-A": 1}})"),
            "http/headers/X-A: must be a string, not an integer (type)");
  EXPECT_EQ(error_of(R"({"headers": {"X A": "1"}})"),
            "http/headers/X A: is not a valid header name (header name)");
  EXPECT_EQ(error_of(R"({"tls": {"verify": "no"}})"),
            "http/tls/verify: must be a boolean, not a string (type)");
  EXPECT_EQ(error_of(R"({"base_url": )").rfind("http: not valid JSON", 0), 0u);
  EXPECT_EQ(error_of(R"({"auth": {"type": "oauth2_client_credentials", "token_url": "/t",
                                  "client_id": "a", "client_secret": "b"}})"),
            "http/auth/token_url: a relative token URL needs base_url (relative URL)");
}

// Every default is the schema's: what parse_settings gives for {} is what the schema declares.
TEST(Settings, DefaultsAreTheSchemas) {
  rapidjson::Document schema;
  schema.Parse(settings_schema().data(), settings_schema().size());
  const auto declared = [&schema](const char* pointer) {
    return rapidjson::Pointer(pointer).Get(schema)->GetInt64();
  };
  const Settings s = parse_settings("{}");
  EXPECT_EQ(s.connect_ms, declared("/properties/timeouts/properties/connect_ms/default"));
  EXPECT_EQ(s.max_attempts, declared("/properties/retries/properties/max_attempts/default"));
  EXPECT_EQ(s.max_in_flight, declared("/properties/max_in_flight/default"));
  EXPECT_EQ(s.max_response_bytes, declared("/properties/max_response_bytes/default"));
  EXPECT_EQ(s.user_agent, "campaign-hub/0.1");
  EXPECT_TRUE(s.compression);
  EXPECT_TRUE(s.refuse_plain_http_credentials);
  EXPECT_EQ(parse_settings(R"({"auth": {"type": "api_key", "key": "k"}})").auth.key_name,
            "X-Api-Key");
  EXPECT_EQ(
      parse_settings(R"({"auth": {"type": "api_key", "key": "k", "in": "query"}})").auth.key_name,
      "api_key");
  EXPECT_TRUE(parse_settings(R"({"auth": {"type": "oauth2_client_credentials", "client_id": "a",
                                "client_secret": "b", "token_url": "https://t/x"}})")
                  .auth.credentials_in_body);
}

TEST(Settings, SchemaAcceptsWhatTheParserAcceptsAndRejectsTheSameMistakes) {
  rapidjson::Document schema_json;
  schema_json.Parse(settings_schema().data(), settings_schema().size());
  ASSERT_FALSE(schema_json.HasParseError());
  rapidjson::SchemaDocument schema(schema_json);
  auto valid = [&schema](const char* json) {
    rapidjson::Document d;
    d.Parse(json);
    rapidjson::SchemaValidator validator(schema);
    return d.Accept(validator);
  };
  const char* good =
      R"({"base_url": "https://h/x", "auth": {"type": "oauth2_client_credentials",
          "token_url": "/oauth/token", "client_id": "a", "client_secret": "b"},
          "retries": {"max_attempts": 3}, "rate_limit": {"requests_per_second": 5}})";
  EXPECT_NO_THROW(parse_settings(good));
  EXPECT_TRUE(valid(good));
  for (const char* bad : {R"({"retries": {"max_attempts": 0}})", R"({"timeout": {}})",
                          R"({"auth": {"type": "kerberos"}})"}) {
    EXPECT_FALSE(valid(bad)) << bad;
    EXPECT_THROW(parse_settings(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace connectors::http
