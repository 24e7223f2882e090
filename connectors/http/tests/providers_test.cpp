// Every paging and auth style of ../shared/providers/, read through the connector from the
// simulator, including the data-level faults (expired token, repeats, touches, deletions).
#include <set>

#include <rapidjson/document.h>

#include "connectors/http/paging.h"
#include "fixture.h"

namespace connectors::http::testing {
namespace {

using campaign_hub::HttpError;
namespace creds = provider_sim::credentials;

rapidjson::Document parse(const campaign_hub::HttpResponse& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  EXPECT_FALSE(body.HasParseError()) << response.body.substr(0, 200);
  return body;
}

class ProvidersTest : public SimulatorTest {
 protected:
  std::unique_ptr<Client> salesforce(
      const std::string& secret = std::string(creds::salesforce_client_secret)) {
    return client(R"("auth": {"type": "oauth2_client_credentials",
                     "token_url": "/services/oauth2/token", "client_id": ")" +
                  std::string(creds::salesforce_client_id) + R"(", "client_secret": ")" + secret +
                  R"(", "use_instance_url": true})");
  }

  // Runs a SOQL query through every nextRecordsUrl; returns the Ids.
  std::vector<std::string> query(Client& c, const std::string& soql, bool all = false,
                                 std::string* last_stamp = nullptr) {
    std::vector<std::string> ids;
    auto request = get(paging::with_query(
        all ? "/services/data/v59.0/queryAll" : "/services/data/v59.0/query", "q", soql));
    request.headers.emplace_back("Sforce-Query-Options", "batchSize=200");
    while (true) {
      auto body = parse(c.send(request));
      for (const auto& record : body["records"].GetArray()) {
        ids.emplace_back(record["Id"].GetString());
        if (last_stamp)
          *last_stamp = record["SystemModstamp"].GetString();
      }
      if (body["done"].GetBool())
        break;
      request.url = *paging::string_at(body, "/nextRecordsUrl");
    }
    return ids;
  }

  // Reads a Connect list by cursor, returning id -> times seen and the greatest updated_at.
  std::map<std::string, int> read_connect(Client& c, std::string url,
                                          std::string* last_updated = nullptr) {
    std::map<std::string, int> seen;
    while (true) {
      auto body = parse(c.send(get(url)));
      for (const auto& record : body["data"].GetArray()) {
        ++seen[record["id"].GetString()];
        if (last_updated)
          *last_updated = record["updated_at"].GetString();
      }
      auto cursor = paging::string_at(body, "/next_cursor");
      if (!cursor)
        return seen;
      url = paging::with_query(url, "cursor", *cursor);
    }
  }
};

TEST_F(ProvidersTest, MailchimpPagesByOffsetUntilTotalItems) {
  auto c = client(R"("auth": {"type": "basic", "username": "hub", "password": ")" +
                  std::string(creds::mailchimp_key) + R"("}, "base_url": ")" +
                  simulator_->base_url() + "/3.0\"");
  std::set<std::string> ids;
  std::optional<std::int64_t> offset = 0;
  while (offset) {
    auto body = parse(c->send(get("campaigns?count=7&offset=" + std::to_string(*offset))));
    auto items = body["campaigns"].GetArray();
    for (const auto& item : items)
      ids.insert(item["id"].GetString());
    offset = paging::next_offset(*offset, items.Size(), body["total_items"].GetInt64());
  }
  EXPECT_EQ(ids.size(), 23u);
  auto report = c->send(get("reports/" + *ids.begin()));
  EXPECT_TRUE(report.status == 200 || report.status == 404);
}

TEST_F(ProvidersTest, MailchimpRejectsAWrongKeyWithProblemJson) {
  auto c = client(R"("auth": {"type": "basic", "username": "hub", "password": "wrong-us21"})");
  try {
    c->send(get("/3.0/campaigns"));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_NE(std::string(e.what()).find("API Key Invalid"), std::string::npos) << e.what();
  }
}

TEST_F(ProvidersTest, BntouchPagesByPageAndPagesWithAnApiKeyHeader) {
  auto c = client(R"("auth": {"type": "api_key", "key": ")" + std::string(creds::bntouch_key) +
                  R"(", "in": "header", "name": "X-Api-Key"})");
  int records = 0;
  std::optional<std::int64_t> page = 1;
  while (page) {
    auto body =
        parse(c->send(get("/api/partners/campaigns?per_page=10&page=" + std::to_string(*page))));
    auto items = body["campaigns"].GetArray();
    records += static_cast<int>(items.Size());
    page = paging::next_page(*page, body["pages"].GetInt64(), items.Size());
  }
  EXPECT_EQ(records, 23);
}

TEST_F(ProvidersTest, CloverPagesCampaignsAndAssignmentsByOffsetAndTotal) {
  auto c = client(bearer(creds::clover_token));
  auto body = parse(c->send(get("/v2/campaigns?offset=0&limit=200")));
  ASSERT_EQ(body["total"].GetInt64(), 23);
  std::string uuid = body["items"][0]["uuid"].GetString();
  std::int64_t assigned = body["items"][0]["kpis"]["assigned"].GetInt64();
  std::int64_t read = 0;
  std::optional<std::int64_t> offset = 0;
  while (offset) {
    auto page = parse(c->send(
        get("/v2/campaigns/" + uuid + "/assignments?limit=4&offset=" + std::to_string(*offset))));
    read += page["items"].Size();
    offset = paging::next_offset(*offset, page["items"].Size(), page["total"].GetInt64());
  }
  EXPECT_EQ(read, assigned);
}

TEST_F(ProvidersTest, ArtisFollowsTheNextUrlInTheBody) {
  auto c = client(R"("auth": {"type": "basic", "username": "artis", "password": ")" +
                  std::string(creds::artis_password) + "\"}");
  std::set<std::string> ids;
  std::optional<std::string> url = "/artis/api/campagnes?depuis=2026-01-01T00:00:00";
  int pages = 0;
  while (url) {
    auto body = parse(c->send(get(*url)));
    for (const auto& r : body["resultats"].GetArray())
      ids.insert(r["identifiant"].GetString());
    url = paging::string_at(body, "/suivant");
    ++pages;
  }
  EXPECT_EQ(ids.size(), 23u);
  EXPECT_EQ(pages, 1);  // 23 records fit the default page of 100
}

TEST_F(ProvidersTest, MedicaPagesByPageToken) {
  auto c = client(bearer(creds::medica_token));
  std::set<std::string> ids;
  std::string url = "/im/v1/campaigns";
  while (true) {
    auto body = parse(c->send(get(url)));
    for (const auto& r : body["campaigns"].GetArray())
      ids.insert(r["campaign_id"].GetString());
    auto token = paging::string_at(body, "/next_page_token");
    if (!token)
      break;
    url = paging::with_query("/im/v1/campaigns", "page_token", *token);
  }
  EXPECT_EQ(ids.size(), 23u);
}

TEST_F(ProvidersTest, SalesforceQueryFollowsNextRecordsUrlWithAnOAuth2Token) {
  auto c = salesforce();
  auto ids = query(*c, "SELECT Id, Name, StageName, Amount, SystemModstamp FROM Opportunity");
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 300u);
  EXPECT_EQ(simulator_->stats().tokens_issued, 1);
}

TEST_F(ProvidersTest, SalesforceTokenExpiringMidSyncIsRenewedOnce) {
  auto c = salesforce();
  // The second query page finds the token expired.
  simulator_->set_faults(
      R"([{"kind": "expire_token", "path": "/services/data/v59.0/query/", "count": 1}])");
  auto ids = query(*c, "SELECT Id FROM Opportunity");
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(simulator_->stats().tokens_issued, 2);
  EXPECT_EQ(simulator_->stats().unauthorized, 1);
}

TEST_F(ProvidersTest, SalesforceSessionRejectedTwiceIsAnError) {
  auto c = salesforce();
  simulator_->set_faults(R"([{"kind": "expire_token", "path": "/services/data/", "count": 2}])");
  try {
    c->send(get(paging::with_query("/services/data/v59.0/query", "q", "SELECT Id FROM Campaign")));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_NE(std::string(e.what()).find("INVALID_SESSION_ID"), std::string::npos) << e.what();
  }
}

TEST_F(ProvidersTest, SalesforceWrongClientSecretFailsAtOnce) {
  auto c = salesforce("not-the-secret");
  try {
    c->send(get(paging::with_query("/services/data/v59.0/query", "q", "SELECT Id FROM Campaign")));
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("invalid_client"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("not-the-secret"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c->counters().requests, 1);
}

TEST_F(ProvidersTest, SalesforceIncrementalQueryAndDeletedRows) {
  auto c = salesforce();
  std::string last;
  ASSERT_EQ(query(*c, "SELECT Id, SystemModstamp FROM Campaign", false, &last).size(), 23u);
  ASSERT_TRUE(simulator_->remove("salesforce.Campaign", "#3"));
  std::int64_t touched = simulator_->touch("salesforce.Campaign", 0.2);
  ASSERT_GT(touched, 0);
  std::string since = "SELECT Id, Status, IsDeleted FROM Campaign WHERE SystemModstamp > " + last;
  EXPECT_EQ(static_cast<std::int64_t>(query(*c, since).size()), touched);
  EXPECT_EQ(static_cast<std::int64_t>(query(*c, since, true).size()), touched + 1);  // + deleted
  EXPECT_EQ(query(*c, "SELECT Id FROM Campaign").size(), 22u);
  auto bad =
      get(paging::with_query("/services/data/v59.0/query", "q", "SELECT Nope FROM Campaign"));
  EXPECT_THROW(c->send(bad), HttpError);
}

TEST_F(ProvidersTest, ConnectIncrementalReadSeesTouchedRecordsAndTombstones) {
  auto c = client(bearer(creds::connect_token));
  std::string last;
  auto first = read_connect(*c, "/v1/campaigns?limit=10", &last);
  ASSERT_EQ(first.size(), 23u);
  const std::string deleted = first.begin()->first;
  ASSERT_TRUE(simulator_->remove("connect.campaigns", deleted));
  std::int64_t touched = simulator_->touch("connect.campaigns", 0.3);
  ASSERT_GT(touched, 0);
  auto since = paging::with_query("/v1/campaigns?limit=10", "updated_since", last);
  auto changes = read_connect(*c, since);
  EXPECT_EQ(static_cast<std::int64_t>(changes.size()), touched + 1);  // + the tombstone
  EXPECT_EQ(changes.count(deleted), 1u);
  EXPECT_EQ(read_connect(*c, "/v1/campaigns?limit=10").size(), 22u);  // full read: no tombstones
}

TEST_F(ProvidersTest, ConnectRecordsChangingWhilePagingComeAgainLater) {
  auto c = client(bearer(creds::connect_token));
  simulator_->set_faults(
      R"([{"kind": "touch", "table": "connect.opportunities", "fraction": 0.5, "after": 2}])");
  auto seen = read_connect(*c, "/v1/opportunities?limit=50&updated_since=2025-01-01T00:00:00Z");
  int twice = 0;
  for (const auto& [id, n] : seen)
    twice += n > 1 ? 1 : 0;
  EXPECT_EQ(seen.size(), 300u);  // nothing lost
  EXPECT_GT(twice, 0);           // and the ones touched behind the cursor came back
}

TEST_F(ProvidersTest, RepeatedRecordsAcrossPagesAreServedAsAsked) {
  auto c = client(bearer(creds::connect_token));
  simulator_->set_faults(
      R"([{"kind": "repeat", "records": 3, "path": "/v1/opportunities", "count": 2}])");
  auto seen = read_connect(*c, "/v1/opportunities?limit=50");
  int total = 0;
  for (const auto& [id, n] : seen)
    total += n;
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_EQ(total, 306);
}

TEST_F(ProvidersTest, TheSameSeedGivesTheSameData) {
  provider_sim::Options o = default_options();
  provider_sim::Simulator other(o);
  other.start(0);
  auto a = client(bearer(creds::connect_token));
  auto b = make_client(R"({"base_url": ")" + other.base_url() + R"(", "auth": {"type": "bearer",
                           "token": "sim-connect-token"}})",
                       logger_);
  EXPECT_EQ(a->send(get("/v1/opportunities?limit=20")).body,
            b->send(get("/v1/opportunities?limit=20")).body);
}

}  // namespace
}  // namespace connectors::http::testing
