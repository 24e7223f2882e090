// The connector's rules apart from the network: retry decisions, URL resolution, redaction.
#include <gtest/gtest.h>

#include "connectors/http/redact.h"
#include "connectors/http/retry.h"
#include "connectors/http/url.h"

namespace connectors::http {
namespace {

using std::chrono::milliseconds;

TEST(Retry, RetriesTransientStatusesOnly) {
  for (int status : {408, 429, 500, 502, 503, 504})
    EXPECT_TRUE(retryable_status(status)) << status;
  for (int status : {400, 401, 403, 404, 409, 422, 501})
    EXPECT_FALSE(retryable_status(status));
  EXPECT_TRUE(returned_status(200));
  EXPECT_TRUE(returned_status(404));
  EXPECT_FALSE(returned_status(400));
}

TEST(Retry, ReadsRetryAfterInSecondsOrAsAnHttpDate) {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("7", now), milliseconds(7000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now), milliseconds(3000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), milliseconds(0));  // past
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
}

TEST(Retry, BackoffIsFullJitterUnderAnExponentialCap) {
  std::mt19937_64 random(1);
  for (int retry = 1; retry <= 10; ++retry) {
    for (int i = 0; i < 50; ++i) {
      auto delay = backoff_delay(retry, milliseconds(100), milliseconds(1000), random);
      EXPECT_GE(delay.count(), 0);
      EXPECT_LE(delay.count(), std::min<std::int64_t>(1000, 100LL << (retry - 1)));
    }
  }
}

TEST(Url, ResolvesRelativeReferencesAgainstTheBase) {
  EXPECT_EQ(resolve_url("https://us21.api.mailchimp.com/3.0", "campaigns?count=10"),
            "https://us21.api.mailchimp.com/3.0/campaigns?count=10");
  EXPECT_EQ(resolve_url("https://us21.api.mailchimp.com/3.0/", "campaigns"),
            "https://us21.api.mailchimp.com/3.0/campaigns");
  EXPECT_EQ(resolve_url("https://h:8443/artis/api", "/artis/api/campagnes?page=3"),
            "https://h:8443/artis/api/campagnes?page=3");
  EXPECT_EQ(resolve_url("https://h/x?a=1", "?b=2"), "https://h/x?b=2");
  EXPECT_EQ(resolve_url("https://h", "v1/campaigns"), "https://h/v1/campaigns");
  EXPECT_EQ(resolve_url("https://h/x", "http://other/y"), "http://other/y");
  EXPECT_THROW(resolve_url("", "/v1/campaigns"), std::invalid_argument);
}

TEST(Redact, MasksSecretsInUrlsAndText) {
  Redactor r;
  r.add_secret("s3cr3t-token");
  r.add_query_parameter("apikey2");
  EXPECT_EQ(r.url("https://user:pw@h/p?api_key=abc&limit=5&apikey2=zz&token=t"),
            "https://***@h/p?api_key=***&limit=5&apikey2=***&token=***");
  EXPECT_EQ(r.text("Authorization: Bearer s3cr3t-token, again s3cr3t-token"),
            "Authorization: Bearer ***, again ***");
}

}  // namespace
}  // namespace connectors::http
