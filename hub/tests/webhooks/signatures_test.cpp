// The three signature schemes of webhooks.md, checked against signatures computed apart from
// the hub (the Standard Webhooks specification's own test vector; Python's hmac for HubSpot):
// a valid request, a wrong key, a stale or future timestamp, a changed or truncated body,
// several signatures during a key rotation, and each missing header named.
#include "hub/webhooks/signatures.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connectors/text/base64.h"

namespace hub::webhooks {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Clock = std::chrono::system_clock;

Clock::time_point at(long long seconds) {
  return Clock::time_point(std::chrono::seconds(seconds));
}

// The Standard Webhooks specification's test vector.
constexpr const char* kStandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kStandardId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr long long kStandardTime = 1614265330;
constexpr const char* kStandardBody = R"({"test": 2432232314})";
constexpr const char* kStandardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

WebhookConfig standard() {
  WebhookConfig config;
  config.scheme = "standard-webhooks";
  config.secret = kStandardSecret;
  return config;
}

campaign_hub::Headers standard_headers(std::string signature = kStandardSignature) {
  return {{"Webhook-Id", kStandardId},
          {"Webhook-Timestamp", std::to_string(kStandardTime)},
          {"Webhook-Signature", std::move(signature)}};
}

Verdict check(const WebhookConfig& config, const campaign_hub::Headers& headers,
              std::string_view body, Clock::time_point now, std::string_view url = "",
              std::string_view path_secret = "") {
  return verify(config, {"POST", url, path_secret, headers, body}, now);
}

TEST(StandardWebhooks, TheSpecificationsVectorVerifiesAndItsIdIsTheDeliveryId) {
  const Verdict verdict =
      check(standard(), standard_headers(), kStandardBody, at(kStandardTime + 10));
  EXPECT_TRUE(verdict.ok) << verdict.reason;
  EXPECT_EQ(verdict.delivery_id, kStandardId);
  EXPECT_EQ(hmac_sha256_base64(*connectors::text::base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                               std::string(kStandardId) + "." + std::to_string(kStandardTime) +
                                   "." + kStandardBody),
            std::string(kStandardSignature).substr(3));
}

TEST(StandardWebhooks, AnyOfSeveralSignaturesMayMatchDuringAKeyRotation) {
  const auto headers = standard_headers("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " +
                                        std::string(kStandardSignature) + " v2,ignored");
  EXPECT_TRUE(check(standard(), headers, kStandardBody, at(kStandardTime)).ok);
}

TEST(StandardWebhooks, AWrongKeyAChangedOrTruncatedBodyIsRefused) {
  WebhookConfig other = standard();
  other.secret = "whsec_" + connectors::text::base64("another key of the same length!!");
  EXPECT_EQ(check(other, standard_headers(), kStandardBody, at(kStandardTime)).reason,
            "no webhook-signature matches");
  EXPECT_FALSE(
      check(standard(), standard_headers(), R"({"test": 2432232315})", at(kStandardTime)).ok);
  EXPECT_FALSE(check(standard(), standard_headers(), R"({"test": 24322)", at(kStandardTime)).ok);
  EXPECT_EQ(
      check(standard(), standard_headers("v0,whatever"), kStandardBody, at(kStandardTime)).reason,
      "webhook-signature has no v1 signature");
}

TEST(StandardWebhooks, ATimestampOutsideTheToleranceIsRefusedEitherWay) {
  const Verdict old = check(standard(), standard_headers(), kStandardBody, at(kStandardTime + 301));
  EXPECT_FALSE(old.ok);
  EXPECT_EQ(old.reason, "webhook-timestamp is 301 s old (tolerance 300 s)");
  const Verdict ahead =
      check(standard(), standard_headers(), kStandardBody, at(kStandardTime - 400));
  EXPECT_THAT(ahead.reason, HasSubstr("ahead of the hub's clock"));
  EXPECT_TRUE(check(standard(), standard_headers(), kStandardBody, at(kStandardTime + 300)).ok);

  WebhookConfig strict = standard();
  strict.tolerance_seconds = 5;
  EXPECT_FALSE(check(strict, standard_headers(), kStandardBody, at(kStandardTime + 6)).ok);
}

TEST(StandardWebhooks, EachMissingHeaderIsNamedAndNoSecretIsEverSaid) {
  for (const char* missing : {"Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"}) {
    campaign_hub::Headers headers;
    for (const auto& header : standard_headers()) {
      if (header.first != missing)
        headers.push_back(header);
    }
    const Verdict verdict = check(standard(), headers, kStandardBody, at(kStandardTime));
    EXPECT_FALSE(verdict.ok);
    std::string name = missing;
    for (char& c : name)
      c = campaign_hub::ascii_lower(c);
    EXPECT_EQ(verdict.reason, "no " + name + " header");
  }
  auto headers = standard_headers();
  headers[1].second = "soon";
  EXPECT_EQ(check(standard(), headers, kStandardBody, at(kStandardTime)).reason,
            "webhook-timestamp is not a number of seconds");
  WebhookConfig bad = standard();
  bad.secret = "whsec_not*base64";
  const Verdict verdict = check(bad, standard_headers(), kStandardBody, at(kStandardTime));
  EXPECT_THAT(verdict.reason,
              AllOf(HasSubstr("not a whsec_ base64 secret"), Not(HasSubstr("not*base64"))));
}

// Computed with Python's hmac over POST, the URL with %3A decoded as HubSpot does, the body
// and the timestamp (milliseconds).
constexpr const char* kHubSpotSecret = "hubspot-client-secret-0123";
constexpr const char* kHubSpotBody =
    R"([{"eventId":1,"subscriptionType":"deal.creation","objectId":7}])";
constexpr const char* kHubSpotSignature = "bMeUEDN5OP04IyOwHgzLZMYhQc5DAiud8h793+/Qb8Y=";
constexpr long long kHubSpotMillis = 1700000000123;

WebhookConfig hubspot() {
  WebhookConfig config;
  config.scheme = "hubspot-v3";
  config.secret = kHubSpotSecret;
  return config;
}

campaign_hub::Headers hubspot_headers(std::string signature = kHubSpotSignature) {
  return {{"X-HubSpot-Signature-v3", std::move(signature)},
          {"X-HubSpot-Request-Timestamp", std::to_string(kHubSpotMillis)}};
}

constexpr const char* kHubSpotUrl = "https://hub.example.com/webhooks/crm?portal=42&x=a%3Ab";

TEST(HubSpotV3, TheSignatureOverMethodDecodedUrlBodyAndTimestampVerifies) {
  const Verdict verdict = check(hubspot(), hubspot_headers(), kHubSpotBody,
                                at(kHubSpotMillis / 1000 + 60), kHubSpotUrl);
  EXPECT_TRUE(verdict.ok) << verdict.reason;
  // The body's SHA-256 (Python's hashlib): a retry with the same body is the same delivery.
  EXPECT_EQ(verdict.delivery_id,
            "da32c63a7a9ecbc4618885ee15f0a92c7a1516a3d780b4bc9003014c2b7fb1d8");
}

TEST(HubSpotV3, AWrongKeyUrlBodyOrStaleTimestampIsRefused) {
  const auto now = at(kHubSpotMillis / 1000);
  WebhookConfig other = hubspot();
  other.secret = "another-client-secret";
  EXPECT_EQ(check(other, hubspot_headers(), kHubSpotBody, now, kHubSpotUrl).reason,
            "X-HubSpot-Signature-v3 does not match");
  EXPECT_FALSE(check(hubspot(), hubspot_headers(), kHubSpotBody, now,
                     "https://hub.example.com/webhooks/crm?portal=43&x=a%3Ab")
                   .ok);
  EXPECT_FALSE(
      check(hubspot(), hubspot_headers(), R"([{"eventId":1,"subscri)", now, kHubSpotUrl).ok);
  EXPECT_EQ(check(hubspot(), hubspot_headers(), kHubSpotBody, at(kHubSpotMillis / 1000 + 301),
                  kHubSpotUrl)
                .reason,
            "X-HubSpot-Request-Timestamp is 301 s old (tolerance 300 s)");
  EXPECT_EQ(check(hubspot(), {hubspot_headers()[1]}, kHubSpotBody, now, kHubSpotUrl).reason,
            "no X-HubSpot-Signature-v3 header");
}

TEST(UrlSecret, OnlyTheConfiguredSecretAsTheLastSegmentPasses) {
  WebhookConfig config;
  config.scheme = "url-secret";
  config.secret = "s3cr3t-path-segment-0123";
  const std::string body = "type=campaign&data[id]=5aa2102003";
  const Verdict ok = check(config, {}, body, Clock::now(), "", "s3cr3t-path-segment-0123");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.delivery_id.size(), 64u);
  EXPECT_EQ(check(config, {}, body, Clock::now(), "", "s3cr3t-path-segment-0124").reason,
            "the URL's secret does not match");
  EXPECT_EQ(check(config, {}, body, Clock::now(), "", "s3cr3t").reason,
            "the URL's secret does not match");
  EXPECT_EQ(check(config, {}, body, Clock::now()).reason, "the URL has no secret segment");
  config.secret = "fifteen-chars-x";
  EXPECT_EQ(check(config, {}, body, Clock::now(), "", "fifteen-chars-x").reason,
            "the instance's url-secret is shorter than 16 characters: the hub takes nothing");
}

TEST(Schemes, AnUnknownSchemeOrAnEmptySecretRefusesEverything) {
  WebhookConfig config = standard();
  config.scheme = "hmac-sha1";
  EXPECT_THAT(check(config, standard_headers(), kStandardBody, at(kStandardTime)).reason,
              HasSubstr("'hmac-sha1' is not one the hub knows"));
  config = standard();
  config.secret.clear();
  EXPECT_EQ(check(config, standard_headers(), kStandardBody, at(kStandardTime)).reason,
            "the instance has no webhook secret");
  EXPECT_TRUE(same_bytes("abc", "abc"));
  EXPECT_FALSE(same_bytes("abc", "abd"));
  EXPECT_FALSE(same_bytes("abc", "abcd"));
}

}  // namespace
}  // namespace hub::webhooks
