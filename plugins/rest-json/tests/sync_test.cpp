// Each preset of config/providers/ synced end to end: the hub, the provider simulator and the
// real librest-json.so, checking what lands in SQLite.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <iterator>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/provider_server.h"
#include "tests/support/sync_fixture.h"

namespace {

using hub::Outcome;

const std::string kPresets = std::string(CAMPAIGN_HUB_SOURCE_DIR) + "/config/providers/";

std::string instance(const std::string& name, const std::string& mapping, const std::string& auth) {
  return R"({"name": ")" + name + R"(", "plugin": "rest-json", "settings": {"mapping": ")" +
         mapping + R"("}, "http": {"base_url": "${SIM}", "auth": )" + auth + "}}";
}

const std::string kBntouchAuth =
    R"({"type": "api_key", "in": "header", "name": "X-Api-Key", "key": "sim-bntouch-key"})";
const std::string kCloverAuth = R"({"type": "bearer", "token": "sim-clover-token"})";
const std::string kArtisAuth =
    R"({"type": "basic", "username": "artis", "password": "sim-artis-password"})";
const std::string kMedicaAuth = R"({"type": "bearer", "token": "sim-medica-token"})";

class RestJsonSync : public test_support::SyncFixture {
 protected:
  // Every stored row's canonical status is what `expected` says for the provider's word, read
  // back from the raw record at `raw_path` (SQLite's JSON functions), and raw_status is that
  // word: the hub mapped it, the plugin did not.
  void expect_statuses(const std::string& table, const std::string& raw_path,
                       const std::map<std::string, std::string>& expected) {
    soci::rowset<soci::row> rows =
        (database().session().prepare
         << "SELECT json_extract(raw, '" + raw_path + "'), status, raw_status FROM " + table);
    int seen = 0;
    for (const auto& row : rows) {
      auto provider = row.get<std::string>(0);
      auto status = row.get<std::string>(1);
      ASSERT_TRUE(expected.count(provider)) << table << ": unexpected provider word " << provider;
      EXPECT_EQ(status, expected.at(provider)) << table << ": " << provider;
      EXPECT_EQ(row.get<std::string>(2), provider) << table;
      ++seen;
    }
    EXPECT_GT(seen, 0) << table;
  }

  void write_file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  long long quarantined() { return count("SELECT COUNT(*) FROM quarantine"); }
};

TEST_F(RestJsonSync, BntouchEnrolmentsAndStepsWithTheirStatuses) {
  configure("[" + instance("bntouch", kPresets + "bntouch.json", kBntouchAuth) + "]");
  auto result = sync_one("bntouch");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants"), 12);
  EXPECT_GE(count("SELECT COUNT(*) FROM steps"), 12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps"),
            count("SELECT SUM(json_array_length(raw, '$.steps')) FROM participants"));
  EXPECT_EQ(quarantined(), 0);
  expect_statuses("participants", "$.status",
                  {{"Active", "active"}, {"Paused", "paused"}, {"Finished", "completed"}});
  expect_statuses("steps", "$.status",
                  {{"Done", "done"}, {"Pending", "pending"}, {"Skipped", "skipped"}});
  // US dates become ISO dates; the id joins partner and campaign.
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE started_at = "
                  "substr(json_extract(raw, '$.start_date'), 7, 4) || '-' || "
                  "substr(json_extract(raw, '$.start_date'), 1, 2) || '-' || "
                  "substr(json_extract(raw, '$.start_date'), 4, 2)"),
            12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE external_id = "
                  "json_extract(raw, '$.partner_id') || ':' || json_extract(raw, '$.campaign_id') "
                  "AND started_by IN ('automatic', 'manual')"),
            12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps s JOIN participants p ON p.external_id = "
                  "s.participant_external_id WHERE s.channel IS NOT NULL"),
            count("SELECT COUNT(*) FROM steps"));

  auto again = sync_one("bntouch");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.inserted, 0);
  EXPECT_EQ(again.summary.updated, 0);
}

// BNTouch lists every enrolment on each read (lists_all): a removed one is marked deleted, with
// an event, and only when the instance has not opted out.
TEST_F(RestJsonSync, BntouchEnrolmentNoLongerListedIsMarkedDeleted) {
  const std::string on = instance("bntouch", kPresets + "bntouch.json", kBntouchAuth);
  std::string off = on;
  off.insert(off.size() - 1, R"(, "detect_deletions": false)");
  configure("[" + off + "]");
  ASSERT_EQ(sync_one("bntouch").outcome, Outcome::succeeded);
  const std::string partner_campaign = text("SELECT MIN(external_id) FROM participants");
  // The simulator's enrolment i is partner 5000 + i.
  const std::string index = "#" + text(
                                      "SELECT CAST(json_extract(raw, '$.partner_id') - 5000 AS "
                                      "TEXT) FROM participants WHERE external_id = '" +
                                      partner_campaign + "'");
  ASSERT_TRUE(simulator().remove("bntouch.enrolments", index)) << index;

  auto kept = sync_one("bntouch");
  ASSERT_EQ(kept.outcome, Outcome::succeeded) << kept.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE deleted = 1"), 0) << "opted out";

  configure("[" + on + "]");
  auto result = sync_one("bntouch");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE deleted = 1"), 1);
  EXPECT_EQ(text("SELECT external_id FROM participants WHERE deleted = 1"), partner_campaign);
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE entity = 'participant' AND "
                  "to_status = 'deleted' AND run_id = " +
                  std::to_string(result.summary.id)),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants"), 12);
}

TEST_F(RestJsonSync, CloverCampaignsWithTheirCompanyAssignments) {
  configure("[" + instance("clover", kPresets + "clover.json", kCloverAuth) + "]");
  auto result = sync_one("clover");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE kind = 'task'"), 12);
  // Each campaign's assignments, every page of them: as many as its KPIs say were assigned.
  EXPECT_GE(count("SELECT COUNT(*) FROM participants"), 12 * 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants"),
            count("SELECT SUM(target_count) FROM campaigns"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants p JOIN campaigns c ON c.external_id = "
                  "p.campaign_external_id"),
            count("SELECT COUNT(*) FROM participants"));
  EXPECT_EQ(quarantined(), 0);
  expect_statuses("campaigns", "$.status",
                  {{"DRAFT", "draft"}, {"PUBLISHED", "active"}, {"CLOSED", "completed"}});
  expect_statuses("participants", "$.task_status",
                  {{"Waiting for connection", "pending"},
                   {"Not Started", "pending"},
                   {"In Progress", "active"},
                   {"Completed", "completed"},
                   {"Closed", "removed"}});
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE completion = "
                  "json_extract(raw, '$.percent_complete') AND assignee = "
                  "json_extract(raw, '$.assignee.department') AND json_extract(raw, "
                  "'$.reminders_sent') IS NOT NULL"),
            count("SELECT COUNT(*) FROM participants"));
  // The assignment's own time, its reminders in attributes as Clover typed them.
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE provider_updated_at = "
                  "json_extract(raw, '$.updated_at') AND json_extract(attributes, "
                  "'$.reminders_sent') = json_extract(raw, '$.reminders_sent') AND "
                  "json_type(attributes, '$.reminders_sent') = 'integer' AND "
                  "json_extract(attributes, '$.last_reminder_at') = json_extract(raw, "
                  "'$.last_reminder_at')"),
            count("SELECT COUNT(*) FROM participants"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots WHERE responses = "
                  "json_extract(raw, '$.kpis.completed') AND expected_responses = "
                  "json_extract(raw, '$.kpis.assigned')"),
            12);

  auto again = sync_one("clover");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.inserted, 0);
  EXPECT_EQ(again.summary.updated, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots"), 12);
}

TEST_F(RestJsonSync, ArtisFrenchStatesAndParisTimesThenIncremental) {
  configure("[" + instance("artis", kPresets + "artis.json", kArtisAuth) + "]");
  auto result = sync_one("artis");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 12);
  EXPECT_EQ(quarantined(), 0);
  expect_statuses("campaigns", "$.etat",
                  {{"Nouveau", "draft"},
                   {"Prête à exécuter", "scheduled"},
                   {"Prêt à tester", "testing"},
                   {"BAT en attente de validation", "testing"},
                   {"BAT en cours de génération", "testing"},
                   {"En cours d'exécution", "active"},
                   {"Suspendue", "paused"},
                   {"Terminée", "completed"},
                   {"Annulée", "cancelled"},
                   {"Erreur", "failed"}});
  // The first campagne starts on 04/01/2026 01:00, Paris winter time: midnight UTC.
  EXPECT_EQ(text("SELECT start_at FROM campaigns WHERE external_id = 'CAMP-2026-1'"),
            "2026-01-04T00:00:00Z");
  EXPECT_EQ(text("SELECT json_extract(raw, '$.date_debut') FROM campaigns WHERE external_id = "
                 "'CAMP-2026-1'"),
            "04/01/2026 01:00");
  // Every winter time read back one hour behind its Paris wall clock.
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE provider_updated_at = "
                  "strftime('%Y-%m-%dT%H:%M:%SZ', substr(json_extract(raw, '$.modifiee_le'), 7, 4) "
                  "|| '-' || substr(json_extract(raw, '$.modifiee_le'), 4, 2) || '-' || "
                  "substr(json_extract(raw, '$.modifiee_le'), 1, 2) || ' ' || "
                  "substr(json_extract(raw, '$.modifiee_le'), 12, 5), '-1 hour')"),
            12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE target_count = "
                  "json_extract(raw, '$.synthese.elements_cibles') AND opportunity_count = "
                  "json_extract(raw, '$.synthese.affaires_generees')"),
            12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots WHERE delivered = "
                  "json_extract(raw, '$.synthese.actions_executees') AND deals_won = "
                  "json_extract(raw, '$.synthese.affaires_obtenues')"),
            12);
  // The Actions suivantes: a step each, for a participant per site, with the action's dates.
  const int actions =
      count("SELECT SUM(json_array_length(raw, '$.actions_suivantes')) FROM campaigns");
  ASSERT_GT(actions, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps"), actions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants"), actions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps s JOIN participants p ON p.external_id = "
                  "s.participant_external_id JOIN campaigns c ON c.external_id = "
                  "p.campaign_external_id, json_each(c.raw, '$.actions_suivantes') a WHERE "
                  "json_extract(a.value, '$.numero') = s.external_id AND s.raw_status = "
                  "json_extract(a.value, '$.etat') AND s.name = json_extract(a.value, '$.action') "
                  "AND json_extract(s.attributes, '$.reason') = json_extract(a.value, '$.motif') "
                  "AND (s.executed_at IS NULL) = (json_extract(a.value, '$.executee_le') IS NULL) "
                  "AND (s.cancelled_at IS NULL) = (json_extract(a.value, '$.annulee_le') IS NULL) "
                  "AND s.due_at LIKE '____-__-__T__:__:00Z' AND p.name = "
                  "json_extract(a.value, '$.destinataire.site') AND "
                  "json_extract(p.attributes, '$.city') = "
                  "json_extract(a.value, '$.destinataire.ville')"),
            actions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE raw_status = 'Exécutée' AND (status <> "
                  "'done' OR executed_at IS NULL)"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE raw_status = 'Annulée' AND (status <> "
                  "'cancelled' OR cancelled_at IS NULL)"),
            0);

  // The cursor is the last modifiee_le; the next run asks depuis it and gets nothing new.
  auto again = sync_one("artis");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.read, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM cursors WHERE instance = 'artis'"), 1);

  // Touched campagnes come back, and only they, with an état drawn again.
  std::map<std::string, std::pair<std::string, std::string>> before;
  {
    soci::rowset<soci::row> rows =
        (database().session().prepare << "SELECT external_id, status, raw_status FROM campaigns");
    for (const auto& row : rows)
      before[row.get<std::string>(0)] = {row.get<std::string>(1), row.get<std::string>(2)};
  }
  auto touched = simulator().touch("artis.campagnes", 0.5);
  ASSERT_GT(touched, 0);
  auto third = sync_one("artis");
  ASSERT_EQ(third.outcome, Outcome::succeeded) << third.message;
  // Each campagne, its metrics, and a participant and a step per action.
  const std::string third_run = std::to_string(count("SELECT MAX(id) FROM runs"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE last_run = " + third_run), touched);
  EXPECT_EQ(third.summary.read,
            2 * touched + 2 * count("SELECT COALESCE(SUM(json_array_length(raw, "
                                    "'$.actions_suivantes')), 0) FROM campaigns WHERE last_run = " +
                                    third_run));
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 12);
  // A new état makes one event, with both words, even within one canonical status (Prêt à
  // tester to BAT en attente de validation: both "testing"); the same état makes none.
  soci::rowset<soci::row> now =
      (database().session().prepare << "SELECT external_id, status, raw_status FROM campaigns");
  const auto quoted = [](std::string text) {
    for (std::size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at + 2))
      text.insert(at, 1, '\'');
    return "'" + text + "'";
  };
  int changed = 0;
  for (const auto& row : now) {
    const std::string id = row.get<std::string>(0);
    const auto& [old_status, old_raw] = before.at(id);
    const std::string raw = row.get<std::string>(2);
    const long long events =
        count("SELECT COUNT(*) FROM status_events WHERE external_id = " + quoted(id) +
              " AND run_id = " + std::to_string(third.summary.id) + " AND from_status = " +
              quoted(old_status) + " AND to_status = " + quoted(row.get<std::string>(1)) +
              " AND from_raw_status = " + quoted(old_raw) + " AND to_raw_status = " + quoted(raw));
    EXPECT_EQ(events, raw == old_raw ? 0 : 1) << id << ": " << old_raw << " -> " << raw;
    changed += raw == old_raw ? 0 : 1;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM status_events WHERE run_id = " +
                  std::to_string(third.summary.id)),
            changed);
}

TEST_F(RestJsonSync, MedicaJourneyEventsBecomeStepsWithResponsesAndSpendInMetrics) {
  configure("[" + instance("medica", kPresets + "interactive-medica.json", kMedicaAuth) + "]");
  auto result = sync_one("medica");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE kind = 'multichannel'"), 12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants"), 12);
  EXPECT_GE(count("SELECT COUNT(*) FROM steps"), 12 * 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps"),
            count("SELECT SUM(json_array_length(raw, '$.journey')) FROM campaigns"));
  EXPECT_EQ(quarantined(), 0);
  expect_statuses("campaigns", "$.state",
                  {{"draft", "draft"},
                   {"activated", "active"},
                   {"paused", "paused"},
                   {"completed", "completed"}});
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE channel IS NOT NULL"),
            count("SELECT COUNT(*) FROM steps"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM steps WHERE channel = 'segment'"), 12);
  // Responses against expected (summed over the journey) and spend against budget.
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots m WHERE responses = (SELECT "
                  "SUM(json_extract(j.value, '$.responses')) FROM json_each(m.raw, '$.journey') j) "
                  "AND expected_responses = (SELECT SUM(json_extract(j.value, "
                  "'$.expected_responses')) FROM json_each(m.raw, '$.journey') j) AND spend = "
                  "json_extract(raw, '$.spend.amount') AND budget = json_extract(raw, "
                  "'$.budget.amount')"),
            12);

  auto again = sync_one("medica");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  EXPECT_EQ(again.summary.inserted, 0);
  EXPECT_EQ(again.summary.updated, 0);
}

// The real HubSpot deals of shared/recorded, served as they were recorded: 13 of the 20 have a
// null dealstage. The mapping's when_missing says what they are, so none stays in quarantine;
// raw_status keeps what HubSpot said, null included.
TEST_F(RestJsonSync, RealHubSpotDealsWithoutAStageAreMappedByWhenMissing) {
  std::ifstream in(std::string(CAMPAIGN_HUB_SOURCE_DIR) +
                   "/../shared/recorded/hubspot/deals_limit100_last_page.json");
  const std::string body(std::istreambuf_iterator<char>(in), {});
  ASSERT_FALSE(body.empty()) << "../shared/recorded/hubspot is not beside the project";
  campaign_hub::test_doubles::ProviderServer hubspot;
  hubspot.on("GET", "/crm/v3/objects/deals", [&](const auto&) {
    return campaign_hub::HttpResponse{200, {{"Content-Type", "application/json"}}, body};
  });
  write_file("hubspot.json", R"({"provider": "HubSpot", "streams": [{"name": "deals",
    "entity": "opportunity", "request": {"path": "/crm/v3/objects/deals"}, "records": "/results",
    "fields": {"external_id": "/id", "title": "/properties/dealname",
      "amount": "/properties/amount", "status": "/properties/dealstage",
      "submitted_at": "/properties/createdate"},
    "attributes": {"pipeline": "/properties/pipeline", "archived": "/archived", "url": "/url",
      "closes_at": {"pointer": "/properties/closedate", "format": "rfc3339"}},
    "statuses": {"match": "case-insensitive", "when_missing": "active",
      "map": {"appointmentscheduled": "active", "qualifiedtobuy": "active",
              "presentationscheduled": "active", "decisionmakerboughtin": "active",
              "contractsent": "active", "closedwon": "won", "closedlost": "declined"}}}]})");
  configure(R"([{"name": "hubspot", "plugin": "rest-json", "settings": {"mapping": ")" +
            (dir_ / "hubspot.json").string() + R"("}, "http": {"base_url": ")" +
            hubspot.base_url() + R"(", "auth": {"type": "bearer", "token": "t"}}}])");
  auto result = sync_one("hubspot");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(quarantined(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities"), 20);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE raw_status IS NULL AND status = "
                  "'active' AND json_extract(raw, '$.properties.dealstage') IS NULL"),
            13);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE raw_status = "
                  "json_extract(raw, '$.properties.dealstage')"),
            7);
  // What the canonical model has no column for is in attributes, as HubSpot typed it; a null
  // pipeline or close date leaves its key out.
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE json_extract(attributes, "
                  "'$.pipeline') = 'default'"),
            7);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE json_type(attributes, '$.archived') "
                  "= 'false' AND json_extract(attributes, '$.url') = json_extract(raw, '$.url')"),
            20);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE json_type(attributes, "
                  "'$.pipeline') IS NULL AND json_extract(raw, '$.properties.pipeline') IS NULL"),
            13);
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities WHERE submitted_at = json_extract(raw, "
                  "'$.properties.createdate') AND submitted_at LIKE '%.___Z'"),
            20);
}

// HubSpot's search API through the hub: the recorded first page, paged by the `after` token in
// the POSTed body; the next sync posts the time filter with the cursor the first one saved.
TEST_F(RestJsonSync, RealHubSpotSearchIsPostedPagedAndFilteredBySyncs) {
  const auto read_recorded = [](const std::string& name) {
    std::ifstream in(std::string(CAMPAIGN_HUB_SOURCE_DIR) + "/../shared/recorded/hubspot/" + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string first_page = read_recorded("deals_search_limit5_page1.json");
  ASSERT_FALSE(first_page.empty()) << "../shared/recorded/hubspot is not beside the project";
  rapidjson::Document listed;
  listed.Parse(read_recorded("deals_limit100_last_page.json").c_str());
  std::vector<campaign_hub::test_doubles::ReceivedRequest> bodies;
  campaign_hub::test_doubles::ProviderServer hubspot;
  hubspot.on("POST", "/crm/v3/objects/deals/search", [&](const auto& request) {
    bodies.push_back(request);
    rapidjson::Document body;
    body.Parse(request.body.c_str());
    if (body.HasParseError() || !body.IsObject())
      return campaign_hub::HttpResponse{400, {}, R"({"message": "bad body"})"};
    if (body.HasMember("filterGroups"))
      return campaign_hub::HttpResponse{200, {}, R"({"total": 0, "results": []})"};
    if (!body.HasMember("after"))
      return campaign_hub::HttpResponse{200, {}, first_page};
    // After the recorded page: the other listed deals, as a last page.
    rapidjson::Document page(rapidjson::kObjectType);
    rapidjson::Value results(rapidjson::kArrayType);
    rapidjson::Document first;
    first.Parse(first_page.c_str());
    for (auto& deal : listed["results"].GetArray()) {
      bool on_first = false;
      for (const auto& seen : first["results"].GetArray())
        on_first = on_first || seen["id"] == deal["id"];
      if (!on_first)
        results.PushBack(rapidjson::Value(deal, page.GetAllocator()), page.GetAllocator());
    }
    page.AddMember("results", results, page.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    page.Accept(writer);
    return campaign_hub::HttpResponse{200, {}, out.GetString()};
  });
  write_file("search.json", R"({"provider": "HubSpot", "streams": [{"name": "deals",
    "entity": "opportunity",
    "request": {"method": "POST", "path": "/crm/v3/objects/deals/search",
      "body": {"limit": 5, "properties": ["dealname", "dealstage", "hs_lastmodifieddate"]}},
    "records": "/results",
    "paging": {"kind": "cursor", "next": "/paging/next/after", "param": "after", "in": "body"},
    "incremental": {"field": "updated_at", "format": "epoch_milliseconds",
      "body": {"filterGroups": [{"filters": [{"propertyName": "hs_lastmodifieddate",
        "operator": "GTE", "value": "{cursor}"}]}]}},
    "fields": {"external_id": "/id", "title": "/properties/dealname",
      "status": "/properties/dealstage", "updated_at": "/properties/hs_lastmodifieddate"},
    "statuses": {"map": {"appointmentscheduled": "active"}, "when_missing": "active"}}]})");
  configure(R"([{"name": "hubspot", "plugin": "rest-json", "settings": {"mapping": ")" +
            (dir_ / "search.json").string() + R"("}, "http": {"base_url": ")" + hubspot.base_url() +
            R"(", "auth": {"type": "bearer", "token": "t"}}}])");
  auto result = sync_one("hubspot");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM opportunities"), 20);  // 5 recorded, 15 after, no repeat
  EXPECT_EQ(quarantined(), 0);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_NE(bodies[1].body.find(R"("after":"5")"), std::string::npos) << bodies[1].body;

  auto again = sync_one("hubspot");
  ASSERT_EQ(again.outcome, Outcome::succeeded) << again.message;
  ASSERT_EQ(bodies.size(), 3u);
  // 2026-03-12T07:34:04.426Z, the latest hs_lastmodifieddate, in epoch milliseconds.
  EXPECT_NE(bodies[2].body.find(R"("value":"1773300844426")"), std::string::npos) << bodies[2].body;
}

TEST_F(RestJsonSync, BrokenMappingFailsTheSyncAtStartAndWritesNothing) {
  write_file("broken.json",
             R"({"provider": "Broken", "streams": [{"name": "c", "entity": "campaign",
    "request": {"path": "/v2/campaigns"}, "records": "/items",
    "paging": {"kind": "offset", "limit_param": 200, "total": "/total"},
    "fields": {"external_id": "/uuid"}}]})");
  const std::string file = (dir_ / "broken.json").string();
  configure("[" + instance("broken", file, kCloverAuth) + "]");
  auto result = sync_one("broken");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "plugin rest-json: " + file +
                                ": /streams/0/paging/limit_param: must be a string, not an "
                                "integer (type)");
  EXPECT_EQ(result.summary.http_requests, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 0);
  EXPECT_EQ(quarantined(), 0);
}

TEST_F(RestJsonSync, RecordNotFittingTheMappingIsQuarantinedWithTheReason) {
  // ARTIS dates read with a US date-only format: no campagne fits.
  std::ifstream in(kPresets + "artis.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto at = json.find(R"("pointer": "/date_debut", "format": "DD/MM/YYYY HH:MM")");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 54, R"("pointer": "/date_debut", "format": "MM/DD/YYYY")");
  write_file("artis-wrong-dates.json", json);
  configure("[" + instance("artis", (dir_ / "artis-wrong-dates.json").string(), kArtisAuth) + "]");
  auto result = sync_one("artis");
  EXPECT_EQ(result.outcome, Outcome::partial) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM quarantine WHERE entity = 'campaign' AND field = 'start'"),
            12);
  EXPECT_EQ(text("SELECT reason FROM quarantine WHERE external_id = 'CAMP-2026-1'"),
            "start: \"04/01/2026 01:00\" at /date_debut does not read as MM/DD/YYYY");
  // The provider's record is kept, as it came.
  EXPECT_NE(text("SELECT record FROM quarantine WHERE external_id = 'CAMP-2026-1'")
                .find("\"date_debut\":\"04/01/2026 01:00\""),
            std::string::npos);
  EXPECT_EQ(result.summary.quarantined, 12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM metrics_snapshots"), 12);  // the metrics did fit
}

TEST_F(RestJsonSync, BuiltInPresetNeedsNoFile) {
  configure(
      R"([{"name": "medica", "plugin": "rest-json", "settings": {"preset": "interactive-medica"},
    "http": {"base_url": "${SIM}", "auth": )" +
      kMedicaAuth + "}}]");
  auto result = sync_one("medica");
  ASSERT_EQ(result.outcome, Outcome::succeeded) << result.message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 12);
}

TEST_F(RestJsonSync, WrongCredentialsNameTheAuthTheMappingExpects) {
  configure("[" + instance("clover", kPresets + "clover.json", kBntouchAuth) + "]");
  auto result = sync_one("clover");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.message.find("401"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("expects the instance's http.auth of type bearer"),
            std::string::npos)
      << result.message;
}

}  // namespace
