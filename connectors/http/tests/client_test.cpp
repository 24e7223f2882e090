// The connector against the simulator: retries, timeouts, limits, secrets.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

#include <rapidjson/document.h>

#include "connectors/http/paging.h"
#include "fixture.h"

namespace connectors::http::testing {
namespace {

using campaign_hub::HttpError;
using provider_sim::credentials::connect_token;

// Reads every Connect opportunity by cursor; returns the ids in the order they came.
std::vector<std::string> read_opportunities(Client& client, int limit) {
  std::vector<std::string> ids;
  std::string url = "/v1/opportunities?limit=" + std::to_string(limit);
  for (int pages = 0; pages < 1000; ++pages) {
    auto response = client.send(get(url));
    rapidjson::Document body;
    body.Parse(response.body.c_str());
    for (const auto& record : body["data"].GetArray())
      ids.emplace_back(record["id"].GetString());
    auto cursor = paging::string_at(body, "/next_cursor");
    if (!cursor)
      break;
    url = paging::with_query(url, "cursor", *cursor);
  }
  return ids;
}

class ClientTest : public SimulatorTest {};

TEST_F(ClientTest, ReadsAFeedByCursorWithEveryRecordOnce) {
  auto c = client(bearer(connect_token));
  auto ids = read_opportunities(*c, 40);
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 300u);
  EXPECT_EQ(c->counters().requests, 8);
  EXPECT_EQ(c->counters().retries, 0);
  EXPECT_GT(c->counters().bytes, 0);
}

TEST_F(ClientTest, A5xxBurstIsRetriedUntilItPasses) {
  simulator_->set_faults(R"([{"kind": "status", "status": 503, "count": 2, "path": "/v1/"},
                             {"kind": "status", "status": 502, "count": 1, "path": "/v1/"}])");
  auto c = client(bearer(connect_token));
  auto response = c->send(get("/v1/campaigns?limit=5"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(c->counters().requests, 3);  // 503+502 together on the first, 503, then 200
  EXPECT_EQ(c->counters().retries, 2);
}

TEST_F(ClientTest, RetryAfterInSecondsIsObeyed) {
  simulator_->set_faults(R"([{"kind": "status", "status": 429, "retry_after": 1}])");
  auto c = client(bearer(connect_token));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(c->send(get("/v1/campaigns")).status, 200);
  EXPECT_GE(elapsed_ms(start), 1000);
  EXPECT_GE(c->counters().rate_limit_wait_ms, 1000);
}

TEST_F(ClientTest, RetryAfterAsAnHttpDateIsObeyed) {
  simulator_->set_faults(R"([{"kind": "status", "status": 503, "retry_after": "date:2"}])");
  auto c = client(bearer(connect_token));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(c->send(get("/v1/campaigns")).status, 200);
  EXPECT_GE(elapsed_ms(start), 900);  // the date has a one-second resolution
}

TEST_F(ClientTest, A429StormEndsWithEveryRecordReadOnce) {
  // Every other request is refused, half of them without Retry-After.
  simulator_->set_faults(R"([
      {"kind": "status", "status": 429, "every": 4, "count": -1},
      {"kind": "status", "status": 429, "retry_after": 0, "after": 2, "every": 4, "count": -1}])");
  auto c = client(bearer(connect_token));
  auto ids = read_opportunities(*c, 50);
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 300u);
  EXPECT_GE(c->counters().retries, 6);
}

TEST_F(ClientTest, ABadRequestFailsAtOnceWithTheProviderError) {
  auto c = client(bearer(connect_token));
  try {
    c->send(get("/v1/opportunities?limit=9999"));
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    std::string message = e.what();
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(message.find("/v1/opportunities?limit=9999"), std::string::npos) << message;
    EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
    EXPECT_NE(message.find("limit must be an integer from 1 to 500"), std::string::npos) << message;
  }
  EXPECT_EQ(c->counters().requests, 1);
}

TEST_F(ClientTest, NotFoundIsAnAnswerNotAnError) {
  auto c = client(bearer(connect_token));
  EXPECT_EQ(c->send(get("/v1/no-such-thing")).status, 404);
}

TEST_F(ClientTest, SpentRetriesFailWithTheLastStatus) {
  simulator_->set_faults(R"([{"kind": "status", "status": 500, "count": -1}])");
  auto c =
      client(bearer(connect_token) + R"(, "retries": {"max_attempts": 3, "base_delay_ms": 1})");
  try {
    c->send(get("/v1/campaigns"));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_NE(std::string(e.what()).find("after 3 attempts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("internal_error"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c->counters().requests, 3);
}

TEST_F(ClientTest, ARetryAfterBeyondTheWaitBudgetFailsAtOnce) {
  simulator_->set_faults(R"([{"kind": "status", "status": 429, "retry_after": 30}])");
  auto c = client(bearer(connect_token) + R"(, "retries": {"max_total_wait_ms": 500})");
  auto start = std::chrono::steady_clock::now();
  try {
    c->send(get("/v1/campaigns"));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 429);
    EXPECT_NE(std::string(e.what()).find("max_total_wait_ms"), std::string::npos) << e.what();
  }
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST_F(ClientTest, AStalledTransferEndsInTheLowSpeedTime) {
  simulator_->set_faults(R"([{"kind": "stall", "path": "/_sim/blob", "ms": 20000}])");
  auto c = client(R"("timeouts": {"low_speed_seconds": 1}, "retries": {"max_attempts": 1})");
  auto start = std::chrono::steady_clock::now();
  try {
    c->send(get("/_sim/blob?bytes=200000"));  // 100 kB, then silence
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 0);
    EXPECT_NE(std::string(e.what()).find("stalled: no data for 1 s"), std::string::npos)
        << e.what();
  }
  EXPECT_GE(elapsed_ms(start), 1000);
  EXPECT_LT(elapsed_ms(start), 1600);
}

TEST_F(ClientTest, AStalledTransferEndsInTheRequestTimeoutThenIsRetried) {
  simulator_->set_faults(R"([{"kind": "stall", "path": "/_sim/blob", "ms": 20000}])");
  auto c = client(
      R"("timeouts": {"request_ms": 600}, "retries": {"max_attempts": 2, "base_delay_ms": 1})");
  auto start = std::chrono::steady_clock::now();
  auto response = c->send(get("/_sim/blob?bytes=5000"));  // the second attempt is not stalled
  EXPECT_EQ(response.body.size(), 5000u);
  EXPECT_GE(elapsed_ms(start), 550);
  EXPECT_LT(elapsed_ms(start), 2500);
  EXPECT_EQ(c->counters().retries, 1);
}

TEST_F(ClientTest, ASlowAnswerWithinTheTimeoutSucceeds) {
  simulator_->set_faults(R"([{"kind": "delay", "ms": 300}])");
  auto c = client(R"("timeouts": {"request_ms": 3000})");
  EXPECT_EQ(c->send(get("/_sim/echo")).status, 200);
  EXPECT_EQ(c->counters().retries, 0);
}

TEST_F(ClientTest, AConnectionResetIsRetried) {
  simulator_->set_faults(R"([{"kind": "reset", "path": "/_sim/blob", "cut": 0.3}])");
  auto c = client();
  auto response = c->send(get("/_sim/blob?bytes=50000"));
  EXPECT_EQ(response.body.size(), 50000u);
  EXPECT_EQ(c->counters().retries, 1);
}

TEST_F(ClientTest, TruncatedOrMalformedJsonIsCaughtByThePagingHelpers) {
  simulator_->set_faults(
      R"([{"kind": "truncate", "count": 1}, {"kind": "malformed", "after": 1}])");
  auto c = client(bearer(connect_token));
  for (int i = 0; i < 2; ++i) {
    auto response = c->send(get("/v1/campaigns?limit=3"));
    EXPECT_EQ(response.status, 200);
    EXPECT_THROW(paging::string_at(response.body, "/next_cursor"), paging::PagingError);
  }
}

// 200,000 brackets would overflow a recursive parser's stack: refused, naming the URL.
TEST_F(ClientTest, AResponseNestedTooDeepIsRefusedNamingItsUrl) {
  auto c = client();
  try {
    c->send(get("/_sim/deep?depth=200000"));
    FAIL() << "a body nested 200,000 deep was handed on";
  } catch (const HttpError& error) {
    const std::string said = error.what();
    EXPECT_TRUE(said.starts_with("GET http://127.0.0.1:")) << said;
    EXPECT_TRUE(
        said.ends_with("/_sim/deep?depth=200000: the response is nested deeper than 256 "
                       "levels (at byte 263)"))
        << said;
  }
  // Deep, but within the limit: handed on as it came.
  auto response = c->send(get("/_sim/deep?depth=250"));
  EXPECT_EQ(response.body.size(), 9u + 2 * 250);
}

TEST_F(ClientTest, ARefusedConnectionIsANetworkError) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), size), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);  // nothing listens there now
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  auto c = make_client(
      R"({"base_url": ")" + url + R"(", "retries": {"max_attempts": 2, "base_delay_ms": 1}})",
      logger_);
  try {
    c->send(get("/v1/campaigns"));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 0);
    EXPECT_NE(std::string(e.what()).find("after 2 attempts"), std::string::npos) << e.what();
  }
}

TEST_F(ClientTest, TheRateLimitSpacesRequests) {
  auto c = client(R"("rate_limit": {"requests_per_second": 20, "burst": 1})");
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i)
    c->send(get("/_sim/echo"));
  EXPECT_GE(elapsed_ms(start), 240);  // 5 waits of 50 ms
  EXPECT_GE(c->counters().rate_limit_wait_ms, 200);
}

TEST_F(ClientTest, RequestsInFlightAreCapped) {
  simulator_->set_faults(R"([{"kind": "delay", "ms": 80, "count": -1}])");
  auto c = client(R"("max_in_flight": 2)");
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 2; ++i)
        c->send(get("/_sim/echo"));
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(simulator_->stats().max_in_flight, 2);
  EXPECT_EQ(c->counters().requests, 10);
}

TEST_F(ClientTest, AnAnswerOverTheSizeCapFailsWithoutRetry) {
  auto c = client(R"("max_response_bytes": 1000)");
  try {
    c->send(get("/_sim/blob?bytes=5000"));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("max_response_bytes (1000)"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("/_sim/blob?bytes=5000"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c->counters().requests, 1);
}

TEST_F(ClientTest, GzipIsNegotiatedAndCountedOnTheWire) {
  auto c = client();
  auto echo = c->send(get("/_sim/echo"));
  rapidjson::Document body;
  body.Parse(echo.body.c_str());
  EXPECT_NE(std::string(body["headers"]["Accept-Encoding"].GetString()).find("gzip"),
            std::string::npos);
  auto before = c->counters().bytes;
  auto blob = c->send(get("/_sim/blob?bytes=200000"));
  EXPECT_EQ(blob.body.size(), 200000u);
  EXPECT_LT(c->counters().bytes - before, 20000);  // 200 kB of 'x' compress well
}

TEST_F(ClientTest, CompressionOffAsksForNoEncoding) {
  auto c = client(R"("compression": false)");
  auto echo = c->send(get("/_sim/echo"));
  rapidjson::Document body;
  body.Parse(echo.body.c_str());
  EXPECT_FALSE(body["headers"].HasMember("Accept-Encoding"));
  auto before = c->counters().bytes;
  auto blob = c->send(get("/_sim/blob?bytes=200000"));
  EXPECT_EQ(blob.body.size(), 200000u);
  EXPECT_EQ(c->counters().bytes - before, 200000);
}

TEST_F(ClientTest, ConfiguredHeadersAreSentAndRequestHeadersWin) {
  auto c = client(R"("headers": {"X-Client": "hub", "X-Trace": "config"})");
  auto request = get("/_sim/echo?x=1");
  request.headers.emplace_back("X-Trace", "request");
  auto echo = c->send(request);
  rapidjson::Document body;
  body.Parse(echo.body.c_str());
  EXPECT_STREQ(body["headers"]["X-Client"].GetString(), "hub");
  EXPECT_STREQ(body["headers"]["X-Trace"].GetString(), "request");
  EXPECT_STREQ(body["query"]["x"].GetString(), "1");
}

TEST_F(ClientTest, AnApiKeyInTheQueryIsSentButNeverShown) {
  auto c =
      client(R"("auth": {"type": "api_key", "key": "qk-123456", "in": "query", "name": "apikey"},
                     "max_response_bytes": 200)");
  simulator_->set_faults(R"([{"kind": "status", "status": 503, "count": 1}])");
  std::string message;
  try {
    c->send(get("/_sim/echo?limit=2"));  // 503, then an echo too large for the cap
  } catch (const HttpError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("apikey=***"), std::string::npos) << message;
  EXPECT_EQ(message.find("qk-123456"), std::string::npos) << message;
  for (const auto& line : logger_.lines())
    EXPECT_EQ(line.find("qk-123456"), std::string::npos) << line;
}

TEST_F(ClientTest, NoSecretReachesALogLineOrAnError) {
  const std::string token = "bearer-SECRET-4711";
  std::vector<std::string> messages;
  // The echo puts the Authorization header in the body, and the small cap puts the body in the
  // error: the token must be masked there too.
  auto c = client(bearer(token) + R"(, "max_response_bytes": 100)");
  simulator_->set_faults(R"([{"kind": "status", "status": 500, "count": 1},
                             {"kind": "status", "status": 429, "retry_after": 0, "count": 1}])");
  try {
    c->send(get("/_sim/echo?token=" + token));
  } catch (const HttpError& e) {
    messages.emplace_back(e.what());
  }
  auto basic =
      make_client(R"({"base_url": ")" + simulator_->base_url() +
                      R"(", "auth": {"type": "basic", "username": "u", "password": "pw-SECRET-99"},
                               "retries": {"max_attempts": 1}})",
                  logger_);
  simulator_->set_faults(R"([{"kind": "status", "status": 503, "count": 1}])");
  try {
    basic->send(get("/_sim/echo"));
  } catch (const HttpError& e) {
    messages.emplace_back(e.what());
  }
  ASSERT_EQ(messages.size(), 2u);
  auto lines = logger_.lines();
  lines.insert(lines.end(), messages.begin(), messages.end());
  ASSERT_FALSE(logger_.lines().empty());
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
    EXPECT_EQ(line.find("dTpwdy1TRUNSRVQtOTk"), std::string::npos) << line;  // base64 of u:pw-...
  }
}

TEST_F(ClientTest, TurningTlsVerificationOffIsLogged) {
  auto c = client(R"("tls": {"verify": false})");
  auto lines = logger_.lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.front().find("TLS certificate verification is OFF"), std::string::npos);
}

// A token sent over plain HTTP to another machine can be read on the way: refused before
// any connection is made, unless the settings say "warn". Loopback is this machine: allowed.
TEST_F(ClientTest, CredentialsOverPlainHttpToAnotherHostAreRefused) {
  auto c = client(bearer(connect_token));
  for (const std::string url :
       {"http://api.example.com/v1/campaigns", "http://10.1.2.3:8080/v1/campaigns"}) {
    try {
      c->send(get(url));
      ADD_FAILURE() << url << " was sent";
    } catch (const HttpError& error) {
      const std::string said = error.what();
      EXPECT_NE(said.find("credentials over plain http:// to "), std::string::npos) << said;
      EXPECT_NE(said.find("which is not this machine; use https://"), std::string::npos) << said;
      EXPECT_EQ(said.find(connect_token), std::string::npos) << said;
    }
  }
  EXPECT_EQ(c->counters().requests, 0) << "a request left before the refusal";
  // A password in the URL counts too, with no auth configured.
  auto plain = client();
  EXPECT_THROW(plain->send(get("http://user:pw@api.example.com/x")), HttpError);
  // This machine is fine.
  EXPECT_EQ(c->send(get("/v1/campaigns?limit=1")).status, 200);
}

TEST_F(ClientTest, PlainHttpCredentialsSettingIsChecked) {
  EXPECT_NO_THROW(parse_settings(R"({"tls": {"plain_http_credentials": "warn"}})"));
  try {
    parse_settings(R"({"tls": {"plain_http_credentials": "sometimes"}})");
    ADD_FAILURE() << "an unknown value passed";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("/tls/plain_http_credentials"), std::string::npos)
        << error.what();
  }
}

TEST_F(ClientTest, LinkHeaderPagingReadsEveryPage) {
  auto c = client();
  std::optional<std::string> url = "/_sim/linked?per_page=10&total=95";
  int items = 0, pages = 0;
  while (url) {
    auto response = c->send(get(*url));
    rapidjson::Document body;
    body.Parse(response.body.c_str());
    items += static_cast<int>(body.Size());
    ++pages;
    url = paging::next_link(response.header("Link").value_or(""));
  }
  EXPECT_EQ(items, 95);
  EXPECT_EQ(pages, 10);
}

}  // namespace
}  // namespace connectors::http::testing
