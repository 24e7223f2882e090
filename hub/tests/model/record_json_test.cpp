// record_to_json / record_from_json: what quarantine keeps must read back as the very record
// the plugin emitted, so that a replay sees exactly what the provider said.
#include "hub/model/record_json.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

namespace hub {
namespace {

using namespace campaign_hub;

template <class Record>
Record round_trip(const Record& record) {
  AnyRecord any = record;
  std::string json = record_to_json(any);
  AnyRecord back = record_from_json(entity_of(any), json);
  EXPECT_EQ(back.index(), any.index()) << json;
  return std::get<Record>(back);
}

// Every field set; `owner` is "" (empty, which must not come back absent).
Campaign full_campaign() {
  Campaign r;
  r.external_id = "C-1";
  r.name = "Spring scouting";
  r.kind = "scouting";
  r.status = "On-going";
  r.owner = "";  // empty, not absent
  r.department = "Sales";
  r.manager_email = "am@example.com";
  r.start = "2026-03-01T09:30:00+01:00";
  r.end = "2026-03-31";
  r.review_by = "1767225600";
  r.description = "Line one\nline \"two\"";
  r.budget = 1234.5;
  r.spend = 0.1;
  r.currency = "EUR";
  r.expected_responses = 40;
  r.opportunity_count = 0;
  r.connection_count = 9007199254740993;  // beyond a double's exact range
  r.target_count = 12;
  r.created_at = "2026-01-01T00:00:00Z";
  r.updated_at = "2026-02-01T00:00:00Z";
  r.attributes = R"({"provider":"Connect","tags":["a"]})";
  r.deleted = true;
  r.raw = R"({"id":"C-1","état":"En cours"})";
  return r;
}

void expect_same(const Campaign& a, const Campaign& b) {
  EXPECT_EQ(a.external_id, b.external_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.owner, b.owner);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.manager_email, b.manager_email);
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.review_by, b.review_by);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.budget, b.budget);
  EXPECT_EQ(a.spend, b.spend);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.expected_responses, b.expected_responses);
  EXPECT_EQ(a.opportunity_count, b.opportunity_count);
  EXPECT_EQ(a.connection_count, b.connection_count);
  EXPECT_EQ(a.target_count, b.target_count);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.raw, b.raw);
}

TEST(RecordJson, CampaignRoundTripKeepsEveryField) {
  Campaign original = full_campaign();
  Campaign back = round_trip(original);
  expect_same(back, original);
  ASSERT_TRUE(back.owner.has_value()) << "an empty owner must not come back absent";
  EXPECT_EQ(*back.owner, "");
}

TEST(RecordJson, CampaignRoundTripKeepsAbsentFieldsAbsent) {
  Campaign original;
  original.external_id = "C-2";
  original.name = "";  // empty
  // everything else absent, deleted false, raw empty
  Campaign back = round_trip(original);
  expect_same(back, original);
  EXPECT_EQ(back.name, std::optional<std::string>(""));
  EXPECT_EQ(back.kind, std::nullopt);
  EXPECT_EQ(back.budget, std::nullopt);
  EXPECT_EQ(back.expected_responses, std::nullopt);
  EXPECT_FALSE(back.deleted);
}

TEST(RecordJson, OpportunityRoundTripKeepsEveryField) {
  Opportunity r;
  r.external_id = "O-7";
  r.campaign_id = "C-1";
  r.title = "Pilot";
  r.organisation = "";
  r.contact_name = "Zoë Ångström";
  r.contact_email = "Zoe@Example.com";
  r.status = "On-hold";
  r.initiative = std::nullopt;
  r.amount = -250.75;
  r.currency = "eur";
  r.probability = 33.3;
  r.summary = "Lab-scale film";
  r.country = "FR";
  r.readiness_level = 4;
  r.attachment_count = 0;
  r.owner = "Dana Roe";
  r.submitted_at = "2026-03-01";
  r.updated_at = "2026-03-02T10:00:00Z";
  r.attributes = R"({"pipeline":"default"})";
  r.deleted = false;
  r.raw = "{}";

  Opportunity back = round_trip(r);
  EXPECT_EQ(back.external_id, "O-7");
  EXPECT_EQ(back.campaign_id, r.campaign_id);
  EXPECT_EQ(back.title, r.title);
  EXPECT_EQ(back.organisation, std::optional<std::string>(""));
  EXPECT_EQ(back.contact_name, r.contact_name);
  EXPECT_EQ(back.contact_email, r.contact_email);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.initiative, std::nullopt);
  EXPECT_EQ(back.amount, r.amount);
  EXPECT_EQ(back.currency, r.currency);
  EXPECT_EQ(back.probability, r.probability);
  EXPECT_EQ(back.summary, r.summary);
  EXPECT_EQ(back.country, r.country);
  EXPECT_EQ(back.readiness_level, r.readiness_level);
  EXPECT_EQ(back.attachment_count, r.attachment_count);
  EXPECT_EQ(back.owner, r.owner);
  EXPECT_EQ(back.attributes, r.attributes);
  EXPECT_EQ(back.submitted_at, r.submitted_at);
  EXPECT_EQ(back.updated_at, r.updated_at);
  EXPECT_EQ(back.deleted, false);
  EXPECT_EQ(back.raw, "{}");
}

TEST(RecordJson, ParticipantRoundTripKeepsEveryField) {
  Participant r;
  r.external_id = "P-1";
  r.campaign_id = "C-1";
  r.name = "Acme";
  r.status = "Finished";
  r.started_by = "manual";
  r.started_at = "2026-03-01T09:00:00Z";
  r.finished_at = std::nullopt;
  r.completion = 100;
  r.assignee = "";
  r.attributes = R"({"reminders_sent":2})";
  r.deleted = true;
  r.raw = "[1]";

  Participant back = round_trip(r);
  EXPECT_EQ(back.external_id, "P-1");
  EXPECT_EQ(back.campaign_id, "C-1");
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.started_by, r.started_by);
  EXPECT_EQ(back.started_at, r.started_at);
  EXPECT_EQ(back.finished_at, std::nullopt);
  EXPECT_EQ(back.completion, 100.0);
  EXPECT_EQ(back.assignee, std::optional<std::string>(""));
  EXPECT_EQ(back.attributes, r.attributes);
  EXPECT_TRUE(back.deleted);
  EXPECT_EQ(back.raw, "[1]");
}

TEST(RecordJson, StepRoundTripKeepsEveryField) {
  Step r;
  r.external_id = "S-1";
  r.participant_id = "P-1";
  r.name = "Reminder";
  r.channel = "email";
  r.status = "sent";
  r.due_at = "2026-03-05";
  r.executed_at = "";
  r.cancelled_at = std::nullopt;
  r.attributes = R"({"motif":"Relance"})";
  r.deleted = false;
  r.raw = "";

  Step back = round_trip(r);
  EXPECT_EQ(back.external_id, "S-1");
  EXPECT_EQ(back.participant_id, "P-1");
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.channel, r.channel);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.due_at, r.due_at);
  EXPECT_EQ(back.executed_at, std::optional<std::string>(""));
  EXPECT_EQ(back.cancelled_at, std::nullopt);
  EXPECT_EQ(back.attributes, r.attributes);
  EXPECT_FALSE(back.deleted);
  EXPECT_EQ(back.raw, "");
}

TEST(RecordJson, MetricsRoundTripKeepsEveryField) {
  Metrics r;
  r.campaign_id = "C-1";
  r.taken_at = std::nullopt;
  r.sent = 1000;
  r.delivered = 990;
  r.opens = 0;
  r.unique_opens = 300;
  r.clicks = 45;
  r.bounces = 10;
  r.unsubscribes = std::nullopt;
  r.abuse_reports = 1;
  r.responses = 7;
  r.expected_responses = 40;
  r.deals_won = 3;
  r.spend = 99.99;
  r.budget = 1e6;
  r.raw = R"({"k":1})";

  Metrics back = round_trip(r);
  EXPECT_EQ(back.campaign_id, "C-1");
  EXPECT_EQ(back.taken_at, std::nullopt);
  EXPECT_EQ(back.sent, 1000);
  EXPECT_EQ(back.delivered, 990);
  EXPECT_EQ(back.opens, 0);
  EXPECT_EQ(back.unique_opens, 300);
  EXPECT_EQ(back.clicks, 45);
  EXPECT_EQ(back.bounces, 10);
  EXPECT_EQ(back.unsubscribes, std::nullopt);
  EXPECT_EQ(back.abuse_reports, 1);
  EXPECT_EQ(back.responses, 7);
  EXPECT_EQ(back.expected_responses, 40);
  EXPECT_EQ(back.deals_won, 3);
  EXPECT_EQ(back.spend, 99.99);
  EXPECT_EQ(back.budget, 1e6);
  EXPECT_EQ(back.raw, R"({"k":1})");
}

// The normalizer quarantines a NaN amount; quarantine then keeps the record as JSON, so the
// JSON must be valid and must still show the NaN, or the record is lost from quarantine.
TEST(RecordJson, NotANumberAmountStillWritesJsonThatReadsBack) {
  Opportunity r;
  r.external_id = "O-nan";
  r.amount = std::numeric_limits<double>::quiet_NaN();
  r.status = "Active";
  AnyRecord any = r;
  std::string json = record_to_json(any);
  Opportunity back;
  ASSERT_NO_THROW(back = std::get<Opportunity>(record_from_json(Entity::opportunity, json)))
      << json;
  EXPECT_EQ(back.status, std::optional<std::string>("Active")) << json;
  ASSERT_TRUE(back.amount.has_value()) << json;
  EXPECT_TRUE(std::isnan(*back.amount)) << json;
}

TEST(RecordJson, EntityOfNamesTheRecordType) {
  EXPECT_EQ(entity_of(AnyRecord{Campaign{}}), Entity::campaign);
  EXPECT_EQ(entity_of(AnyRecord{Opportunity{}}), Entity::opportunity);
  EXPECT_EQ(entity_of(AnyRecord{Participant{}}), Entity::participant);
  EXPECT_EQ(entity_of(AnyRecord{Step{}}), Entity::step);
  EXPECT_EQ(entity_of(AnyRecord{Metrics{}}), Entity::metrics);
}

TEST(RecordJson, TextThatIsNotJsonThrowsInvalidArgument) {
  EXPECT_THROW(record_from_json(Entity::campaign, "{not json"), std::invalid_argument);
  EXPECT_THROW(record_from_json(Entity::campaign, ""), std::invalid_argument);
}

TEST(RecordJson, JsonThatIsNotAnObjectThrowsInvalidArgument) {
  EXPECT_THROW(record_from_json(Entity::step, "[1, 2]"), std::invalid_argument);
  EXPECT_THROW(record_from_json(Entity::step, "\"S-1\""), std::invalid_argument);
}

TEST(RecordJson, FieldOfTheWrongTypeThrowsNamingTheField) {
  try {
    record_from_json(Entity::campaign, R"({"external_id": "C-1", "budget": "a lot"})");
    FAIL() << "a string budget was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "field 'budget' is not a number");
  }
  EXPECT_THROW(record_from_json(Entity::metrics, R"({"campaign_id": "C", "sent": 1.5})"),
               std::invalid_argument);
  EXPECT_THROW(record_from_json(Entity::opportunity, R"({"external_id": 7})"),
               std::invalid_argument);
  EXPECT_THROW(record_from_json(Entity::step, R"({"external_id": "S", "deleted": "yes"})"),
               std::invalid_argument);
}

TEST(RecordJson, NullFieldReadsAsAbsent) {
  auto back = std::get<Campaign>(
      record_from_json(Entity::campaign, R"({"external_id": "C-1", "name": null})"));
  EXPECT_EQ(back.external_id, "C-1");
  EXPECT_EQ(back.name, std::nullopt);
}

}  // namespace
}  // namespace hub
