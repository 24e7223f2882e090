#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "plugins/connect-scouting/record_mapping.h"

namespace connect_scouting {
namespace {

rapidjson::Document parse(const char* text) {
  rapidjson::Document document;
  document.Parse(text);
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

// The example of ../shared/providers/connect-feed.md.
TEST(RecordMapping, CampaignKeepsWhatTheFeedSays) {
  auto record = parse(R"({"id": "cmp_8f2a", "title": "Biodegradable packaging films",
    "status": "On-going", "department": "Packaging R&D", "provider": "Connect",
    "campaign_manager": {"name": "Dana Roe", "email": "Dana.Roe@provider.example"},
    "owner": null, "start_date": "2026-02-01", "end_date": "2026-04-30",
    "review_by": "2026-05-31", "opportunity_count": 42, "connection_count": 7,
    "created_at": "2026-01-20T10:00:00Z", "updated_at": "2026-03-02T08:15:00Z",
    "deleted": false})");
  auto campaign = map_campaign(record, "scouting");
  EXPECT_EQ(campaign.external_id, "cmp_8f2a");
  EXPECT_EQ(campaign.name, "Biodegradable packaging films");
  EXPECT_EQ(campaign.kind, "scouting");
  EXPECT_EQ(campaign.status, "On-going");  // the hub maps it
  EXPECT_EQ(campaign.department, "Packaging R&D");
  EXPECT_EQ(campaign.manager_email, "Dana.Roe@provider.example");  // the hub lower-cases it
  EXPECT_EQ(campaign.owner, std::nullopt);
  EXPECT_EQ(campaign.start, "2026-02-01");
  EXPECT_EQ(campaign.end, "2026-04-30");
  EXPECT_EQ(campaign.review_by, "2026-05-31");
  EXPECT_EQ(campaign.opportunity_count, 42);
  EXPECT_EQ(campaign.connection_count, 7);
  EXPECT_EQ(campaign.created_at, "2026-01-20T10:00:00Z");
  EXPECT_EQ(campaign.updated_at, "2026-03-02T08:15:00Z");
  EXPECT_FALSE(campaign.deleted);
  EXPECT_EQ(campaign.attributes, R"({"provider":"Connect"})");
  EXPECT_EQ(campaign.raw.substr(0, 39), R"({"id":"cmp_8f2a","title":"Biodegradable)");
}

TEST(RecordMapping, OwnerIsItsName) {
  auto record = parse(R"({"id": "c", "owner": {"name": "Ana Núñez", "email": "a@x.example"}})");
  EXPECT_EQ(map_campaign(record, "scouting").owner, "Ana Núñez");
}

TEST(RecordMapping, DeletedCampaignIsATombstone) {
  auto record =
      parse(R"({"id": "cmp_8f2a", "updated_at": "2026-03-05T00:00:00Z", "deleted": true})");
  auto campaign = map_campaign(record, "scouting");
  EXPECT_TRUE(campaign.deleted);
  EXPECT_EQ(campaign.external_id, "cmp_8f2a");
  EXPECT_EQ(campaign.updated_at, "2026-03-05T00:00:00Z");
  EXPECT_EQ(campaign.name, std::nullopt);
  EXPECT_EQ(campaign.kind, std::nullopt);
  EXPECT_EQ(campaign.raw,
            R"({"id":"cmp_8f2a","updated_at":"2026-03-05T00:00:00Z","deleted":true})");
}

TEST(RecordMapping, OpportunityKeepsAccentsAndLeavesTheInitiativeToTheHub) {
  auto record = parse(R"({"id": "opp_31c9", "campaign_id": "cmp_8f2a",
    "title": "PHA-based film with oxygen barrier", "summary": "40 µm, OTR below 5 cc/m²/day",
    "institution": {"name": "Université de Lyon", "country": "FR"},
    "submitted_by": {"name": "Élodie Marchand", "email": "e.marchand@univ-lyon.example"},
    "status": "On-hold", "trl": 4, "submitted_at": "2026-02-14T16:03:11+01:00",
    "updated_at": "2026-03-01T09:30:00+01:00", "attachments": []})");
  auto opportunity = map_opportunity(record);
  EXPECT_EQ(opportunity.external_id, "opp_31c9");
  EXPECT_EQ(opportunity.campaign_id, "cmp_8f2a");
  EXPECT_EQ(opportunity.title, "PHA-based film with oxygen barrier");
  EXPECT_EQ(opportunity.summary, "40 µm, OTR below 5 cc/m²/day");
  EXPECT_EQ(opportunity.organisation, "Université de Lyon");
  EXPECT_EQ(opportunity.country, "FR");
  EXPECT_EQ(opportunity.readiness_level, 4);
  EXPECT_EQ(opportunity.attachment_count, 0);
  EXPECT_EQ(opportunity.contact_name, "Élodie Marchand");
  EXPECT_EQ(opportunity.contact_email, "e.marchand@univ-lyon.example");
  EXPECT_EQ(opportunity.status, "On-hold");
  EXPECT_EQ(opportunity.initiative, std::nullopt);
  EXPECT_EQ(opportunity.submitted_at, "2026-02-14T16:03:11+01:00");
  EXPECT_EQ(opportunity.updated_at, "2026-03-01T09:30:00+01:00");
  EXPECT_NE(opportunity.raw.find(R"("summary":"40 µm, OTR below 5 cc/m²/day")"), std::string::npos);
  EXPECT_NE(opportunity.raw.find(R"("trl":4)"), std::string::npos);
}

TEST(RecordMapping, AttachmentsAreCountedAndAnAbsentTrlStaysEmpty) {
  auto record = parse(R"({"id": "opp_2", "attachments": [{"name": "deck.pdf",
    "url": "https://files.provider.example/a/91"}, {"name": "specs.xlsx",
    "url": "https://files.provider.example/a/92"}]})");
  auto opportunity = map_opportunity(record);
  EXPECT_EQ(opportunity.attachment_count, 2);
  EXPECT_EQ(opportunity.readiness_level, std::nullopt);
  EXPECT_EQ(opportunity.country, std::nullopt);
}

TEST(RecordMapping, WrongTypesLeaveFieldsEmpty) {
  auto record = parse(R"({"id": "opp_1", "title": 12, "institution": null,
    "submitted_by": "someone", "status": "", "trl": "four", "attachments": {}})");
  auto opportunity = map_opportunity(record);
  EXPECT_EQ(opportunity.title, std::nullopt);
  EXPECT_EQ(opportunity.readiness_level, std::nullopt);
  EXPECT_EQ(opportunity.attachment_count, std::nullopt);
  EXPECT_EQ(opportunity.organisation, std::nullopt);
  EXPECT_EQ(opportunity.contact_name, std::nullopt);
  EXPECT_EQ(opportunity.status, std::nullopt);
}

}  // namespace
}  // namespace connect_scouting
