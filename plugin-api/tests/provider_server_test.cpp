#include "campaign_hub/test_doubles/provider_server.h"

#include <string>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"

namespace campaign_hub::test_doubles {
namespace {

TEST(ProviderServer, AnswersARouteThroughTheHubsOwnClientAndKeepsTheRequest) {
  ProviderServer provider;
  provider.on("GET", "/v1/campaigns", [](const ReceivedRequest& request) {
    const auto limit = request.query.find("limit");
    return HttpResponse{
        200,
        {{"Content-Type", "application/json"}, {"X-Total", "1"}},
        R"({"limit": ")" + (limit != request.query.end() ? limit->second : "") + R"("})"};
  });
  FakeHost host;
  auto http = provider.client(host.log, R"({"auth": {"type": "bearer", "token": "t0k"}})");
  host.http_connector = http.get();

  const HttpResponse response = host.http().send({"GET", "/v1/campaigns?limit=50", {}, ""});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"limit": "50"})");
  EXPECT_EQ(response.header("x-total"), "1");

  const auto requests = provider.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/v1/campaigns");
  bool bearer = false;
  for (const auto& [name, value] : requests[0].headers)
    bearer = bearer || (iequals(name, "Authorization") && value == "Bearer t0k");
  EXPECT_TRUE(bearer) << "the instance's http object was not applied";
}

TEST(ProviderServer, AnUnroutedRequestIsA404AndIsKept) {
  ProviderServer provider;
  FakeHost host;
  auto http = provider.client(host.log);
  const HttpResponse response = http->send({"GET", "/nowhere", {}, ""});
  EXPECT_EQ(response.status, 404);  // the client hands 404 to the plugin
  ASSERT_EQ(provider.requests().size(), 1u);
  EXPECT_EQ(provider.requests()[0].path, "/nowhere");
}

TEST(ProviderServer, AFailingProviderIsRetriedAsInTheHub) {
  ProviderServer provider;
  int calls = 0;
  provider.on("POST", "/search", [&calls](const ReceivedRequest& request) {
    ++calls;
    if (calls == 1)
      return HttpResponse{503, {{"Retry-After", "0"}}, "busy"};
    return HttpResponse{200, {}, request.body};
  });
  FakeHost host;
  auto http = provider.client(host.log, R"({"retries": {"base_delay_ms": 1, "max_delay_ms": 5}})");
  const HttpResponse response = http->send({"POST", "/search", {}, R"({"q": 1})"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"q": 1})");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace campaign_hub::test_doubles
