// /api/v1 over HTTP, on each backend: typed values, paging, filters, a campaign's history and
// metrics trend, runs and what changed, and bad input answered 400 (naming the parameter) or
// 404, never with SQL.
#include "hub/api/api_module.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include "hub/serve/ops_module.h"
#include "hub/serve/session_module.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/record_store.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

constexpr const char* kInstance = "connect";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";

CanonicalRecord campaign(const std::string& id, const std::string& status,
                         const std::string& raw_status, bool deleted = false) {
  campaign_hub::Campaign r;
  r.external_id = id;
  r.name = "Campaign " + id;
  r.kind = "scouting";
  r.status = raw_status;
  r.review_by = "2026-03-31";
  r.budget = 1200.5;
  r.currency = "EUR";
  r.opportunity_count = 3;
  r.deleted = deleted;
  return to_canonical(r, status);
}

CanonicalRecord opportunity(const std::string& id, const std::string& campaign_id,
                            const std::string& status) {
  campaign_hub::Opportunity r;
  r.external_id = id;
  r.campaign_id = campaign_id;
  r.title = "Opportunity " + id;
  r.status = status;
  r.readiness_level = 4;
  return to_canonical(r, status, "Imported");
}

CanonicalRecord participant(const std::string& id, const std::string& status) {
  campaign_hub::Participant r;
  r.external_id = id;
  r.campaign_id = "c-1";
  r.status = status;
  return to_canonical(r, status);
}

CanonicalRecord metrics(std::int64_t sent) {
  campaign_hub::Metrics r;
  r.campaign_id = "c-1";
  r.sent = sent;
  r.deals_won = 1;
  return to_canonical(r);
}

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    migrate(database_);
    ServeConfig serve;
    serve.listen = "127.0.0.1:0";
    listener_ = std::make_unique<HttpListener>(serve);
    listener_->attach(api_);
    listener_->attach(sessions_);
    listener_->start();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", listener_->port());
    client_->set_read_timeout(10, 0);
  }
  void TearDown() override { listener_->stop(); }

  // Run 1 writes two campaigns, a deleted one, opportunities, participants and metrics; run 2
  // moves c-1 from On-going to Closed and takes a second snapshot.
  void seed() {
    database_.session() << "INSERT INTO runs (instance, state, started_at, finished_at, inserted) "
                           "VALUES ('connect', 'succeeded', '2026-02-01T08:00:00Z', "
                           "'2026-02-01T08:00:05Z', 9)";
    database_.session() << "INSERT INTO runs (instance, state, started_at, finished_at, updated) "
                           "VALUES ('connect', 'succeeded', '2026-02-02T08:00:00Z', "
                           "'2026-02-02T08:00:05Z', 2)";
    ASSERT_TRUE(Leases(database_).acquire(kInstance, 1, kFuture).acquired);
    RecordStore store(database_, kInstance);
    Batch first;
    first.records = {campaign("c-1", "active", "On-going"),
                     campaign("c-2", "draft", "Draft"),
                     campaign("c-3", "active", "On-going", true),
                     opportunity("o-1", "c-1", "active"),
                     opportunity("o-2", "c-1", "active"),
                     opportunity("o-3", "c-1", "declined"),
                     opportunity("o-4", "c-2", "active"),
                     participant("p-1", "completed"),
                     participant("p-2", "active"),
                     participant("p-3", "active"),
                     participant("p-4", "completed"),
                     metrics(100)};
    store.write(first, 1, kFuture);
    database_.session() << "DELETE FROM leases";
    ASSERT_TRUE(Leases(database_).acquire(kInstance, 2, kFuture).acquired);
    Batch second;
    second.records = {campaign("c-1", "completed", "Closed"), opportunity("o-4", "c-2", "won"),
                      metrics(250)};
    store.write(second, 2, kFuture);
  }

  // GET path: the status and the parsed body.
  std::pair<int, rapidjson::Document> get(const std::string& path) {
    auto result = client_->Get(path);
    rapidjson::Document body;
    if (!result) {
      ADD_FAILURE() << "GET " << path << ": no answer";
      return {0, std::move(body)};
    }
    body.Parse(result->body.c_str());
    EXPECT_FALSE(body.HasParseError()) << path << ": " << result->body;
    last_body_ = result->body;
    return {result->status, std::move(body)};
  }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
  Access access_{{}};
  ApiModule api_{backend_.url(), access_, [] { return std::string("2026-03-01"); }};
  SessionModule sessions_{access_, false};
  std::unique_ptr<HttpListener> listener_;
  std::unique_ptr<httplib::Client> client_;
  std::string last_body_;
};

TEST_P(ApiTest, CampaignsAreTypedPagedAndTheDeletedOneIsLeftOut) {
  seed();
  auto [status, page] = get("/api/v1/campaigns?limit=1");
  ASSERT_EQ(status, 200) << last_body_;
  ASSERT_EQ(page["items"].Size(), 1u);
  const auto& c1 = page["items"][0];
  EXPECT_STREQ(c1["external_id"].GetString(), "c-1");
  EXPECT_STREQ(c1["status"].GetString(), "completed");
  EXPECT_STREQ(c1["raw_status"].GetString(), "Closed");
  EXPECT_TRUE(c1["budget"].IsNumber());
  EXPECT_EQ(c1["budget"].GetDouble(), 1200.5);
  EXPECT_TRUE(c1["deleted"].IsFalse());
  EXPECT_TRUE(c1["owner"].IsNull());
  EXPECT_EQ(c1["days_left"].GetInt64(), 30);         // 2026-03-01 to the review date, 2026-03-31
  EXPECT_EQ(c1["opportunity_count"].GetInt64(), 3);  // what the provider says
  EXPECT_EQ(c1["opportunities"].GetInt64(), 3);      // what the hub holds
  EXPECT_EQ(c1["funnel"]["active"].GetInt64(), 2);
  EXPECT_EQ(c1["funnel"]["declined"].GetInt64(), 1);
  EXPECT_EQ(c1["participants"]["by_status"]["completed"].GetInt64(), 2);
  EXPECT_DOUBLE_EQ(c1["participants"]["completion_rate"].GetDouble(), 0.5);
  EXPECT_EQ(c1["latest_metrics"]["sent"].GetInt64(), 250);
  EXPECT_EQ(c1["latest_metrics"]["run_id"].GetInt64(), 2);
  ASSERT_TRUE(page["next_cursor"].IsString());

  auto [next_status, next] =
      get(std::string("/api/v1/campaigns?limit=1&cursor=") + page["next_cursor"].GetString());
  ASSERT_EQ(next_status, 200);
  ASSERT_EQ(next["items"].Size(), 1u);
  EXPECT_STREQ(next["items"][0]["external_id"].GetString(), "c-2");
  EXPECT_TRUE(next["items"][0]["latest_metrics"].IsNull());
  EXPECT_TRUE(next["next_cursor"].IsNull());  // c-3 is deleted: not listed

  auto [all_status, all] = get("/api/v1/campaigns?include_deleted=true&status=active");
  ASSERT_EQ(all_status, 200);
  ASSERT_EQ(all["items"].Size(), 1u);
  EXPECT_STREQ(all["items"][0]["external_id"].GetString(), "c-3");
  EXPECT_TRUE(all["items"][0]["deleted"].IsTrue());
}

TEST_P(ApiTest, OneCampaignHasItsHistoryAndMetricsTrend) {
  seed();
  auto [status, detail] = get("/api/v1/campaigns/connect/c-1");
  ASSERT_EQ(status, 200) << last_body_;
  EXPECT_STREQ(detail["campaign"]["name"].GetString(), "Campaign c-1");
  ASSERT_EQ(detail["history"].Size(), 1u);
  const auto& change = detail["history"][0];
  EXPECT_STREQ(change["from_status"].GetString(), "active");
  EXPECT_STREQ(change["to_status"].GetString(), "completed");
  EXPECT_STREQ(change["from_raw_status"].GetString(), "On-going");
  EXPECT_STREQ(change["to_raw_status"].GetString(), "Closed");
  EXPECT_EQ(change["run_id"].GetInt64(), 2);
  ASSERT_EQ(detail["metrics_trend"].Size(), 2u);
  EXPECT_EQ(detail["metrics_trend"][0]["sent"].GetInt64(), 100);
  EXPECT_EQ(detail["metrics_trend"][1]["sent"].GetInt64(), 250);
}

TEST_P(ApiTest, OpportunitiesFilterByCampaignStatusAndRun) {
  seed();
  auto [status, by_campaign] = get("/api/v1/opportunities?campaign=c-1&status=active");
  ASSERT_EQ(status, 200) << last_body_;
  ASSERT_EQ(by_campaign["items"].Size(), 2u);
  EXPECT_EQ(by_campaign["items"][0]["readiness_level"].GetInt64(), 4);
  EXPECT_STREQ(by_campaign["items"][0]["initiative"].GetString(), "Imported");
  auto [changed_status, changed] = get("/api/v1/opportunities?changed_since_run=1");
  ASSERT_EQ(changed_status, 200);
  ASSERT_EQ(changed["items"].Size(), 1u);
  EXPECT_STREQ(changed["items"][0]["external_id"].GetString(), "o-4");
  EXPECT_STREQ(changed["items"][0]["status"].GetString(), "won");
  auto [p_status, participants] = get("/api/v1/participants?campaign=c-1&status=completed");
  ASSERT_EQ(p_status, 200);
  EXPECT_EQ(participants["items"].Size(), 2u);
}

TEST_P(ApiTest, RunsSayWhatTheyChanged) {
  seed();
  auto [status, runs] = get("/api/v1/runs");
  ASSERT_EQ(status, 200) << last_body_;
  ASSERT_EQ(runs["items"].Size(), 2u);
  EXPECT_EQ(runs["items"][0]["id"].GetInt64(), 2);  // newest first
  EXPECT_TRUE(runs["items"][0]["full_refresh"].IsFalse());
  auto [run_status, run] = get("/api/v1/runs/2");
  ASSERT_EQ(run_status, 200);
  ASSERT_EQ(run["status_changes"].Size(), 2u);  // c-1 closed, o-4 won
  auto [since_status, since] = get("/api/v1/changes?since_run=1");
  ASSERT_EQ(since_status, 200) << last_body_;
  EXPECT_EQ(since["runs"].Size(), 1u);
  EXPECT_EQ(since["status_changes"].Size(), 2u);
  EXPECT_TRUE(since["truncated"].IsFalse());
  EXPECT_EQ(since["records_written"]["campaigns"].GetInt64(), 1);
  EXPECT_EQ(since["records_written"]["opportunities"].GetInt64(), 1);
  auto [time_status, by_time] = get("/api/v1/changes?since=2000-01-01T00:00:00Z");
  ASSERT_EQ(time_status, 200) << last_body_;
  EXPECT_EQ(by_time["runs"].Size(), 2u);
}

TEST_P(ApiTest, BadInputIsNamedAndUnknownIdsAre404) {
  seed();
  const std::pair<const char*, const char*> bad[] = {
      {"/api/v1/campaigns?limit=0", "limit"},
      {"/api/v1/campaigns?limit=2000", "limit"},
      {"/api/v1/campaigns?cursor=zz", "cursor"},
      {"/api/v1/campaigns?colour=red", "colour"},
      {"/api/v1/campaigns?status=running", "status"},
      {"/api/v1/opportunities?changed_since_run=soon", "changed_since_run"},
      {"/api/v1/campaigns?include_deleted=maybe", "include_deleted"},
      {"/api/v1/changes", "since_run"},
      {"/api/v1/changes?since=yesterday", "since"},
      {"/api/v1/runs/two", "run"},
  };
  for (const auto& [path, parameter] : bad) {
    auto [status, body] = get(path);
    EXPECT_EQ(status, 400) << path;
    ASSERT_TRUE(body.IsObject() && body.HasMember("parameter")) << path << ": " << last_body_;
    EXPECT_STREQ(body["parameter"].GetString(), parameter) << path;
  }
  EXPECT_EQ(get("/api/v1/campaigns/connect/nope").first, 404);
  EXPECT_EQ(get("/api/v1/campaigns/elsewhere/c-1").first, 404);
  EXPECT_EQ(get("/api/v1/runs/99").first, 404);
}

TEST_P(ApiTest, TriageAndOwnerAreSetThroughTheApiAndReadBack) {
  seed();
  auto patched = client_->Patch("/api/v1/opportunities/connect/o-2/triage",
                                R"({"initiative": "Packaging", "state": "reviewing",
                                    "note": "ask for the datasheet"})",
                                "application/json");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  auto [status, reviewing] = get("/api/v1/opportunities?triage=reviewing");
  ASSERT_EQ(status, 200) << last_body_;
  ASSERT_EQ(reviewing["items"].Size(), 1u);
  const auto& o2 = reviewing["items"][0];
  EXPECT_STREQ(o2["external_id"].GetString(), "o-2");
  EXPECT_STREQ(o2["initiative"].GetString(), "Packaging");
  EXPECT_STREQ(o2["synced_initiative"].GetString(), "Imported");
  EXPECT_STREQ(o2["triage_note"].GetString(), "ask for the datasheet");
  EXPECT_TRUE(o2["triaged_at"].IsString());
  EXPECT_EQ(get("/api/v1/opportunities?initiative=Packaging").second["items"].Size(), 1u);
  EXPECT_EQ(get("/api/v1/opportunities?triage=new").second["items"].Size(), 3u);

  // A null clears the note; what is not sent stays.
  auto cleared = client_->Patch("/api/v1/opportunities/connect/o-2/triage", R"({"note": null})",
                                "application/json");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->status, 200) << cleared->body;
  auto [after_status, after] = get("/api/v1/opportunities?triage=reviewing");
  ASSERT_EQ(after["items"].Size(), 1u);
  EXPECT_TRUE(after["items"][0]["triage_note"].IsNull());
  EXPECT_STREQ(after["items"][0]["initiative"].GetString(), "Packaging");

  const std::pair<const char*, const char*> bad[] = {
      {R"({"state": "maybe"})", "state"},
      {R"({"colour": "red"})", "colour"},
      {R"({"note": 12})", "note"},
      {"not json", "body"},
      {"{}", "triage"},
  };
  for (const auto& [body, parameter] : bad) {
    auto refused =
        client_->Patch("/api/v1/opportunities/connect/o-2/triage", body, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << body << ": " << refused->body;
    EXPECT_NE(refused->body.find(std::string("\"parameter\":\"") + parameter + "\""),
              std::string::npos)
        << body << ": " << refused->body;
  }
  auto missing = client_->Patch("/api/v1/opportunities/connect/o-9/triage",
                                R"({"state": "rejected"})", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto owner = client_->Put("/api/v1/campaigns/connect/c-2/owner", R"({"owner": "Ana Núñez"})",
                            "application/json");
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->status, 200) << owner->body;
  auto [c2_status, c2] = get("/api/v1/campaigns/connect/c-2");
  ASSERT_EQ(c2_status, 200);
  EXPECT_TRUE(c2["campaign"]["owner"].IsNull());  // the provider says none
  EXPECT_STREQ(c2["campaign"]["assigned_owner"].GetString(), "Ana Núñez");
}

TEST_P(ApiTest, AFailureOfTheHubsOwnSaysNoSql) {
  seed();
  Database admin(backend_.admin_url());
  admin.session() << "DROP TABLE metrics_snapshots";
  auto [status, body] = get("/api/v1/campaigns");
  EXPECT_EQ(status, 500);
  EXPECT_EQ(last_body_.find("metrics_snapshots"), std::string::npos) << last_body_;
  EXPECT_EQ(last_body_.find("SELECT"), std::string::npos) << last_body_;
  EXPECT_STREQ(body["error"].GetString(), "the hub could not answer; its log says why");
}

// Roles, each against each kind of endpoint: reads, triage, owners, and starting a sync.
class ApiRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    migrate(database_);
    ASSERT_TRUE(Leases(database_).acquire(kInstance, 1, kFuture).acquired);
    Batch batch;
    batch.records = {campaign("c-1", "active", "On-going"), opportunity("o-1", "c-1", "active")};
    RecordStore(database_, kInstance).write(batch, 1, kFuture);
    // The replay a manager may start: here, one that says what it was asked.
    api_.set_replay([](std::optional<std::int64_t> run) {
      return std::vector<ReplayResult>{{kInstance, 7, run.value_or(0), 1, 0, ""}};
    });
    listener_ = std::make_unique<HttpListener>(serve_);
    listener_->attach(api_);
    listener_->attach(ops_);
    listener_->attach(sessions_);
    listener_->start();
  }
  void TearDown() override { listener_->stop(); }

  // The status of `method path` with `token` ("" sends none).
  int status(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "{}") {
    httplib::Client client("127.0.0.1", listener_->port());
    httplib::Headers headers;
    if (!token.empty())
      headers.emplace("Authorization", "Bearer " + token);
    httplib::Result result =
        method == "GET"     ? client.Get(path, headers)
        : method == "PATCH" ? client.Patch(path, headers, body, "application/json")
        : method == "PUT"   ? client.Put(path, headers, body, "application/json")
                            : client.Post(path, headers, body, "application/json");
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no answer";
      return 0;
    }
    last_ = result->body;
    return result->status;
  }

  static ServeConfig with_tokens() {
    ServeConfig serve;
    serve.listen = "127.0.0.1:0";
    for (auto [name, role] : {std::pair{"vi", Role::viewer}, std::pair{"cara", Role::contributor},
                              std::pair{"max", Role::manager}}) {
      serve.tokens.push_back({name, role, token_digest(std::string("token-of-") + name)});
    }
    return serve;
  }

  test_support::BackendDatabase backend_{"sqlite3"};
  Database database_{backend_.url()};
  ServeConfig serve_ = with_tokens();
  Access access_{serve_.tokens};
  ApiModule api_{backend_.url(), access_};
  OpsModule ops_{{[] { return std::optional<std::string>(); }, [] { return std::string(); },
                  [](const std::string&) { return OpsModule::Ask::unknown; }},
                 access_};
  SessionModule sessions_{access_, false};
  std::unique_ptr<HttpListener> listener_;
  std::string last_;
};

TEST_F(ApiRolesTest, EachRoleAgainstEachEndpoint) {
  struct Case {
    std::string method, path, body;
    int none, viewer, contributor, manager;
  };
  const Case cases[] = {
      {"GET", "/api/v1/campaigns", "", 401, 200, 200, 200},
      {"GET", "/api/v1/opportunities?triage=new", "", 401, 200, 200, 200},
      {"GET", "/api/v1/runs", "", 401, 200, 200, 200},
      {"PATCH", "/api/v1/opportunities/connect/o-1/triage", R"({"state": "reviewing"})", 401, 403,
       200, 200},
      {"PUT", "/api/v1/campaigns/connect/c-1/owner", R"({"owner": "Ana"})", 401, 403, 200, 200},
      // An unknown instance, but past the check: 404, not 403.
      {"POST", "/instances/nope/sync", "", 401, 403, 403, 404},
      {"GET", "/api/v1/metrics", "", 401, 200, 200, 200},
      {"GET", "/api/v1/export/opportunities", "", 401, 200, 200, 200},
      {"GET", "/api/v1/export/opportunities?raw=true", "", 401, 403, 403, 200},
      {"POST", "/api/v1/quarantine/replay", R"({"run": 3})", 401, 403, 403, 200},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    EXPECT_EQ(status(c.method, c.path, "", c.body), c.none) << last_;
    EXPECT_EQ(status(c.method, c.path, "token-of-somebody", c.body), 401) << last_;
    EXPECT_EQ(status(c.method, c.path, "token-of-vi", c.body), c.viewer) << last_;
    EXPECT_EQ(status(c.method, c.path, "token-of-cara", c.body), c.contributor) << last_;
    EXPECT_EQ(status(c.method, c.path, "token-of-max", c.body), c.manager) << last_;
  }
  // A change is named after the token that made it.
  EXPECT_EQ(status("PATCH", "/api/v1/opportunities/connect/o-1/triage", "token-of-cara",
                   R"({"note": "seen"})"),
            200);
  EXPECT_NE(last_.find(R"("changed_by":"cara")"), std::string::npos) << last_;
  EXPECT_EQ(status("GET", "/api/v1/campaigns", "token-of-vi"), 200);
  EXPECT_NE(last_.find(R"("assigned_by":"max")"), std::string::npos) << last_;
}

// The page's login: a token given once, then an HttpOnly, SameSite=Strict cookie, and the
// session's CSRF token on every write; logging out ends it.
TEST_F(ApiRolesTest, APageLogsInWithACookieAndWritesWithItsCsrfToken) {
  httplib::Client client("127.0.0.1", listener_->port());
  auto refused =
      client.Post("/api/v1/session", R"({"token": "token-of-nobody"})", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_FALSE(refused->has_header("Set-Cookie"));

  auto login = client.Post("/api/v1/session", R"({"token": "token-of-cara"})", "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("token-of-cara"), std::string::npos) << set_cookie;
  rapidjson::Document session;
  session.Parse(login->body.c_str());
  ASSERT_TRUE(session.IsObject()) << login->body;
  EXPECT_STREQ(session["name"].GetString(), "cara");
  EXPECT_STREQ(session["role"].GetString(), "contributor");
  const std::string csrf = session["csrf"].GetString();
  EXPECT_EQ(csrf.size(), 64u);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  const httplib::Headers with_cookie = {{"Cookie", cookie}};
  auto read = client.Get("/api/v1/campaigns", with_cookie);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;
  auto again = client.Get("/api/v1/session", with_cookie);
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find(csrf), std::string::npos) << again->body;

  const std::string triage = "/api/v1/opportunities/connect/o-1/triage";
  auto no_csrf = client.Patch(triage, with_cookie, R"({"state": "reviewing"})", "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403) << no_csrf->body;
  httplib::Headers wrong = with_cookie;
  wrong.emplace("X-CSRF-Token", std::string(64, '0'));
  auto wrong_csrf = client.Patch(triage, wrong, R"({"state": "reviewing"})", "application/json");
  ASSERT_TRUE(wrong_csrf);
  EXPECT_EQ(wrong_csrf->status, 403);
  httplib::Headers right = with_cookie;
  right.emplace("X-CSRF-Token", csrf);
  auto written = client.Patch(triage, right, R"({"state": "reviewing"})", "application/json");
  ASSERT_TRUE(written);
  EXPECT_EQ(written->status, 200) << written->body;
  EXPECT_NE(written->body.find(R"("changed_by":"cara")"), std::string::npos) << written->body;
  // The role still holds: a contributor's session may not replay.
  auto replay = client.Post("/api/v1/quarantine/replay", right, "{}", "application/json");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 403);
  // Another site's page, even with the cookie and the token, is refused.
  httplib::Headers elsewhere = right;
  elsewhere.emplace("Origin", "https://evil.example");
  auto forged = client.Patch(triage, elsewhere, R"({"state": "rejected"})", "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;

  auto logout = client.Delete("/api/v1/session", right);
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 204);
  auto after = client.Get("/api/v1/campaigns", with_cookie);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401) << after->body;
}

TEST_F(ApiRolesTest, AManagerReplaysTheQuarantine) {
  ASSERT_EQ(status("POST", "/api/v1/quarantine/replay", "token-of-max", R"({"run": 3})"), 200)
      << last_;
  rapidjson::Document body;
  body.Parse(last_.c_str());
  ASSERT_TRUE(body.IsObject()) << last_;
  ASSERT_EQ(body["results"].Size(), 1u);
  EXPECT_EQ(body["results"][0]["examined"].GetInt64(), 3);  // the run asked for
  EXPECT_TRUE(body["results"][0]["error"].IsNull());
  EXPECT_EQ(status("POST", "/api/v1/quarantine/replay", "token-of-max", R"({"run": "x"})"), 400);
  EXPECT_NE(last_.find(R"("parameter":"run")"), std::string::npos) << last_;
}

TEST_P(ApiTest, ExportsDownloadEveryRowTyped) {
  seed();
  auto csv = client_->Get("/api/v1/export/opportunities?format=csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Disposition"),
            "attachment; filename=\"campaign-hub-opportunities.csv\"");
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 5) << csv->body;
  EXPECT_EQ(csv->body.rfind("instance,external_id,", 0), 0u) << csv->body;

  auto json = client_->Get("/api/v1/export/metrics?format=json&instance=connect");
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200) << json->body;
  rapidjson::Document rows;
  rows.Parse(json->body.c_str());
  ASSERT_TRUE(rows.IsArray()) << json->body;
  ASSERT_EQ(rows.Size(), 2u);
  EXPECT_EQ(rows[1]["sent"].GetInt64(), 250);  // a number, not text

  auto [bad, said] = get("/api/v1/export/opportunities?format=xml");
  EXPECT_EQ(bad, 400);
  EXPECT_STREQ(said["parameter"].GetString(), "format");
  auto [missing, none] = get("/api/v1/export/deals");
  EXPECT_EQ(missing, 404);
}

// Without tokens: this machine only, under a loopback name (no DNS rebinding), and a browser's
// write carries the process's CSRF token.
TEST_P(ApiTest, WithoutTokensOnlyThisMachineAndItsPageMayWrite) {
  seed();
  auto rebound = client_->Get("/api/v1/campaigns", {{"Host", "evil.example:8080"}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403) << rebound->body;

  const std::string triage = "/api/v1/opportunities/connect/o-1/triage";
  const std::string origin = "http://127.0.0.1:" + std::to_string(listener_->port());
  auto without =
      client_->Patch(triage, {{"Origin", origin}}, R"({"state": "reviewing"})", "application/json");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403) << without->body;
  auto [status, session] = get("/api/v1/session");
  ASSERT_EQ(status, 200) << last_body_;
  EXPECT_STREQ(session["name"].GetString(), "local");
  auto with =
      client_->Patch(triage, {{"Origin", origin}, {"X-CSRF-Token", session["csrf"].GetString()}},
                     R"({"state": "reviewing"})", "application/json");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->status, 200) << with->body;
  // A tool (no browser headers) needs none.
  auto tool = client_->Patch(triage, R"({"state": "shortlisted"})", "application/json");
  ASSERT_TRUE(tool);
  EXPECT_EQ(tool->status, 200) << tool->body;
}

TEST(ApiListener, AnAddressOtherThanLoopbackNeedsTokens) {
  ServeConfig serve;
  serve.listen = "0.0.0.0:0";
  try {
    HttpListener listener(serve);
    ADD_FAILURE() << "listened on every address without tokens";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("serve.tokens is empty"), std::string::npos)
        << error.what();
  }
  serve.tokens.push_back({"max", Role::manager, token_digest("t")});
  EXPECT_NO_THROW(HttpListener listener(serve));
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
