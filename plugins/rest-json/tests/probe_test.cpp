// rest-json-check --probe: records and paging found in the common shapes (the simulator's five
// partner shapes written out, and the real recorded Mailchimp, Salesforce and HubSpot bodies),
// a skeleton that loads, and the command itself against a provider on 127.0.0.1.
#include "plugins/rest-json/probe.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/provider_server.h"
#include "plugins/rest-json/tests/scripted_reading.h"

namespace rest_json {
namespace {

Probe probe_of(const std::string& body, std::string_view url, campaign_hub::Headers headers = {}) {
  rapidjson::Document document;
  document.Parse(body.c_str());
  EXPECT_FALSE(document.HasParseError()) << body.substr(0, 200);
  campaign_hub::HttpResponse response{200, std::move(headers), body};
  return probe_page(document, response, url);
}

// The skeleton is a mapping the plugin loads as it is.
void expect_loads(const Probe& probe, std::string_view url) {
  const std::string skeleton = probe_skeleton(probe, url);
  EXPECT_NO_THROW(parse_mapping(skeleton, "skeleton.json")) << skeleton;
}

std::string field(const Probe& probe, std::string_view name) {
  for (const auto& [each, pointer] : probe.fields) {
    if (each == name)
      return pointer;
  }
  return "";
}

TEST(ProbeTest, CursorTokenInTheBody) {
  const auto probe = probe_of(
      R"({"data": [{"id": "opp_1", "title": "PHA film", "status": "Active",
          "updated_at": "2026-03-01T09:30:00+01:00", "trl": 4}], "next_cursor": "eyJvIjo1MDB9"})",
      "https://api.example/v1/opportunities?limit=50");
  EXPECT_EQ(probe.records, "/data");
  EXPECT_EQ(probe.paging.kind, Paging::Kind::cursor);
  EXPECT_EQ(probe.paging.next, "/next_cursor");
  EXPECT_EQ(probe.paging.param, "cursor");
  EXPECT_EQ(probe.entity, "opportunity");
  EXPECT_EQ(field(probe, "external_id"), "/id");
  EXPECT_EQ(field(probe, "title"), "/title");
  EXPECT_EQ(field(probe, "updated_at"), "/updated_at");
  EXPECT_EQ(probe.status_member, "/status");
  expect_loads(probe, "https://api.example/v1/opportunities?limit=50");
}

TEST(ProbeTest, NextUrlInTheBody) {
  const auto probe = probe_of(R"({"resultats": [{"identifiant": "CAMP-1", "libelle": "Relance",
      "etat": "Terminée", "modifiee_le": "04/03/2026 10:02"}],
      "suivant": "/artis/api/campagnes?page=2"})",
                              "https://crm.example/artis/api/campagnes");
  EXPECT_EQ(probe.paging.kind, Paging::Kind::next_url);
  EXPECT_EQ(probe.paging.next, "/suivant");
  EXPECT_EQ(field(probe, "external_id"), "/identifiant");
  EXPECT_EQ(field(probe, "name"), "/libelle");
  EXPECT_EQ(field(probe, "updated_at"), "");  // a French time is not guessed: no format known
  expect_loads(probe, "https://crm.example/artis/api/campagnes");
}

TEST(ProbeTest, LinkHeaderWinsOverTheBody) {
  const auto probe = probe_of(R"([{"id": 1}, {"id": 2}])", "https://x.example/items?per_page=2",
                              {{"Link", "<https://x.example/items?page=2>; rel=\"next\""}});
  EXPECT_EQ(probe.records, "");
  EXPECT_EQ(probe.record_count, 2u);
  EXPECT_EQ(probe.paging.kind, Paging::Kind::link_header);
  expect_loads(probe, "https://x.example/items?per_page=2");
}

TEST(ProbeTest, PageCountAndTheSizeTheUrlSends) {
  const auto probe = probe_of(R"({"page": 1, "pages": 7, "per_page": 2,
      "campaigns": [{"partner_id": 5521, "campaign_id": 88, "status": "Paused"},
                    {"partner_id": 5522, "campaign_id": 88, "status": "Active"}]})",
                              "https://b.example/api/partners/campaigns?page=1&per_page=2");
  EXPECT_EQ(probe.paging.kind, Paging::Kind::page);
  EXPECT_EQ(probe.paging.pages, "/pages");
  EXPECT_EQ(probe.paging.page_param, "page");
  EXPECT_EQ(probe.paging.size_param, "per_page");
  EXPECT_EQ(probe.paging.size, 2);
  expect_loads(probe, "https://b.example/api/partners/campaigns?page=1&per_page=2");
}

TEST(ProbeTest, TotalAsANumericStringPagesByOffset) {
  const auto probe = probe_of(R"({"items": [{"uuid": "4c1e", "name": "Renewal"}], "total": "263"})",
                              "https://c.example/v2/campaigns?offset=0&limit=1");
  EXPECT_EQ(probe.paging.kind, Paging::Kind::offset);
  EXPECT_EQ(probe.paging.total, "/total");
  EXPECT_EQ(probe.paging.offset_param, "offset");
  EXPECT_EQ(probe.paging.limit_param, "limit");
  expect_loads(probe, "https://c.example/v2/campaigns?offset=0&limit=1");
}

TEST(ProbeTest, RecordedProviderBodies) {
  const std::string mailchimp = recorded("mailchimp/campaigns_count10_offset0.json");
  if (mailchimp.empty())
    GTEST_SKIP() << "../shared/recorded is not beside the project";
  const auto mc =
      probe_of(mailchimp, "https://us3.api.mailchimp.com/3.0/campaigns?count=10&offset=0");
  EXPECT_EQ(mc.records, "/campaigns");
  EXPECT_EQ(mc.paging.kind, Paging::Kind::offset);
  EXPECT_EQ(mc.paging.total, "/total_items");
  EXPECT_EQ(mc.paging.limit_param, "count");  // as the URL sends it
  expect_loads(mc, "https://us3.api.mailchimp.com/3.0/campaigns?count=10&offset=0");

  const auto sf = probe_of(recorded("salesforce/query_account_page1_of2.json"),
                           "https://x.my.salesforce.com/services/data/v59.0/query?q=SELECT");
  EXPECT_EQ(sf.records, "/records");
  EXPECT_EQ(sf.record_count, 2000u);
  EXPECT_EQ(sf.paging.kind, Paging::Kind::next_url);  // nextRecordsUrl, before totalSize
  EXPECT_EQ(sf.paging.next, "/nextRecordsUrl");
  EXPECT_EQ(field(sf, "external_id"), "/Id");
  expect_loads(sf, "https://x.my.salesforce.com/services/data/v59.0/query?q=SELECT");

  const auto listed = probe_of(recorded("hubspot/deals_limit100_last_page.json"),
                               "https://api.hubapi.com/crm/v3/objects/deals?limit=100");
  EXPECT_EQ(listed.paging.kind, Paging::Kind::none);  // a last page: no paging key
  EXPECT_EQ(listed.entity, "opportunity");
  const auto searched = probe_of(recorded("hubspot/deals_search_limit5_page1.json"),
                                 "https://api.hubapi.com/crm/v3/objects/deals/search");
  EXPECT_EQ(searched.paging.kind, Paging::Kind::cursor);
  EXPECT_EQ(searched.paging.next, "/paging/next/after");
  EXPECT_EQ(searched.paging.param, "after");
}

// The command: GET the URL with the given header, report, write a skeleton that
// rest-json-check then accepts.
TEST(ProbeTest, CommandProbesAProviderAndWritesASkeleton) {
  campaign_hub::test_doubles::ProviderServer provider;
  provider.on("GET", "/v2/campaigns", [](const auto& request) {
    bool authorized = false;
    for (const auto& [name, value] : request.headers)
      authorized = authorized || (name == "Authorization" && value == "Bearer t0k");
    if (!authorized)
      return campaign_hub::HttpResponse{401, {}, R"({"error": "unauthorized"})"};
    return campaign_hub::HttpResponse{
        200,
        {{"Content-Type", "application/json"}},
        R"({"items": [{"uuid": "4c1e", "name": "Renewal", "status": "PUBLISHED"}], "total": 3})"};
  });
  const auto dir =
      std::filesystem::temp_directory_path() / ("probe-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string skeleton = (dir / "clover.json").string();
  const std::string out = (dir / "probe.out").string();
  const std::string command = "timeout 30 " + std::string(REST_JSON_CHECK) + " --probe '" +
                              provider.base_url() +
                              "/v2/campaigns?offset=0&limit=1' --header 'Authorization: Bearer "
                              "t0k' --output " +
                              skeleton + " >" + out + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::ifstream said_in(out);
  const std::string said(std::istreambuf_iterator<char>(said_in), {});
  EXPECT_NE(said.find("paging: a total at /total (pages follow by offset)"), std::string::npos)
      << said;
  EXPECT_EQ(std::system(("timeout 30 " + std::string(REST_JSON_CHECK) + " " + skeleton + " >" +
                         out + " 2>&1")
                            .c_str()),
            0);

  const std::string refused = "timeout 30 " + std::string(REST_JSON_CHECK) + " --probe '" +
                              provider.base_url() + "/v2/campaigns' >" + out + " 2>&1";
  EXPECT_NE(std::system(refused.c_str()), 0);  // no token: 401
  std::ifstream refused_in(out);
  const std::string why(std::istreambuf_iterator<char>(refused_in), {});
  EXPECT_NE(why.find("HTTP 401"), std::string::npos) << why;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rest_json
