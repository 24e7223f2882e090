// Normalizer: each record either comes out in canonical form or is kept out with the field at
// fault and a reason an operator can act on.
#include "hub/normalize/normalizer.h"

#include <limits>

#include <gtest/gtest.h>

namespace hub {
namespace {

using namespace campaign_hub;

// A plugin's status map (Connect's seed vocabulary), as the hub builds it.
StatusTable connect_statuses() {
  return StatusTable()
      .add("campaign", "Draft", "draft")
      .add("campaign", "On-going", "active")
      .add("campaign", "Closed", "completed")
      .add("opportunity", "Active", "active")
      .add("opportunity", "On-hold", "on_hold")
      .add("opportunity", "Closed", "closed")
      .add("opportunity", "Declined", "declined")
      .add("participant", "Active", "active")
      .add("participant", "Finished", "completed")
      .add("step", "sent", "done")
      .add("step", "skipped", "skipped");
}

Normalizer connect_normalizer(StatusTable statuses = connect_statuses()) {
  return Normalizer(std::move(statuses), "connect", "connect-prod", "Imported");
}

// The value a passed record carries in `column` (see hub::columns).
Value column(const CanonicalRecord& record, std::string_view name) {
  auto cols = columns(record.entity);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name)
      return record.values.at(i);
  }
  ADD_FAILURE() << "no column " << name << " in " << entity_name(record.entity);
  return std::nullopt;
}

Campaign valid_campaign() {
  Campaign r;
  r.external_id = "C-1";
  r.name = "Spring scouting";
  r.kind = "scouting";
  r.status = "On-going";
  return r;
}

Opportunity valid_opportunity() {
  Opportunity r;
  r.external_id = "O-1";
  r.campaign_id = "C-1";
  r.status = "Active";
  return r;
}

Participant valid_participant() {
  Participant r;
  r.external_id = "P-1";
  r.campaign_id = "C-1";
  r.status = "Active";
  return r;
}

Step valid_step() {
  Step r;
  r.external_id = "S-1";
  r.participant_id = "P-1";
  r.status = "sent";
  return r;
}

CanonicalRecord passed(AnyRecord record) {
  Normalized result = connect_normalizer().normalize(std::move(record));
  if (!result.record) {
    ADD_FAILURE() << "rejected: " << result.rejection.field << ": " << result.rejection.reason;
    return {};
  }
  return *result.record;
}

Rejection rejected(AnyRecord record) {
  Normalized result = connect_normalizer().normalize(std::move(record));
  EXPECT_FALSE(result.record.has_value()) << "the record passed";
  return result.rejection;
}

#define EXPECT_REJECTION(rejection, expected_field, expected_reason) \
  do {                                                               \
    Rejection r_ = (rejection);                                      \
    EXPECT_EQ(r_.field, expected_field);                             \
    EXPECT_EQ(r_.reason, expected_reason);                           \
  } while (0)

TEST(Normalizer, ValidCampaignMapsItsStatusAndKeepsTheRawOne) {
  CanonicalRecord record = passed(valid_campaign());
  EXPECT_EQ(record.entity, Entity::campaign);
  EXPECT_EQ(record.external_id, "C-1");
  EXPECT_EQ(record.status, Value("active"));
  EXPECT_EQ(column(record, "status"), Value("active"));
  EXPECT_EQ(column(record, "raw_status"), Value("On-going"));
  EXPECT_EQ(column(record, "name"), Value("Spring scouting"));
  EXPECT_EQ(column(record, "deleted"), Value("0"));
  EXPECT_EQ(column(record, "raw"), std::nullopt);
  EXPECT_EQ(record.values.size(), columns(Entity::campaign).size());
}

TEST(Normalizer, MissingExternalIdIsRejected) {
  Campaign campaign = valid_campaign();
  campaign.external_id = "";
  EXPECT_REJECTION(rejected(campaign), "external_id", "external_id is missing");

  Opportunity blank = valid_opportunity();
  blank.external_id = "   ";
  EXPECT_REJECTION(rejected(blank), "external_id", "external_id is missing");
}

TEST(Normalizer, OverlongExternalIdIsRejected) {
  Step step = valid_step();
  step.external_id = std::string(256, 'x');
  EXPECT_REJECTION(rejected(step), "external_id", "external_id is longer than 255 characters");
}

TEST(Normalizer, UnknownStatusNamesTheStatusTheProviderAndTheInstance) {
  Campaign campaign = valid_campaign();
  campaign.status = "Archived";
  EXPECT_REJECTION(rejected(campaign), "status",
                   "unknown campaign status 'Archived' from connect: map it in "
                   "status_overrides.campaign of instance 'connect-prod'");
}

TEST(Normalizer, StatusOfAnotherEntityIsNotBorrowed) {
  Step step = valid_step();
  step.status = "Active";  // known for participants, not for steps
  EXPECT_REJECTION(rejected(step), "status",
                   "unknown step status 'Active' from connect: map it in "
                   "status_overrides.step of instance 'connect-prod'");
}

TEST(Normalizer, MissingStatusOnALiveRecordIsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.status = std::nullopt;
  EXPECT_REJECTION(rejected(opportunity), "status",
                   "opportunity has no status; instance 'connect-prod' has no when_missing for it: "
                   "set status_when_missing.opportunity");

  Participant blank = valid_participant();
  blank.status = "  ";
  EXPECT_REJECTION(rejected(blank), "status",
                   "participant has no status; instance 'connect-prod' has no when_missing for it: "
                   "set status_when_missing.participant");
}

TEST(Normalizer, StatusIsTrimmedBeforeLookup) {
  Campaign campaign = valid_campaign();
  campaign.status = "  Closed\t";
  CanonicalRecord record = passed(campaign);
  EXPECT_EQ(record.status, Value("completed"));
  EXPECT_EQ(column(record, "raw_status"), Value("Closed"));
}

TEST(Normalizer, MalformedEmailIsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.contact_email = "not-an-email";
  EXPECT_REJECTION(rejected(opportunity), "contact_email",
                   "contact_email: 'not-an-email' is not an e-mail address");

  Campaign campaign = valid_campaign();
  campaign.manager_email = "a@b@c";
  EXPECT_REJECTION(rejected(campaign), "manager_email",
                   "manager_email: 'a@b@c' is not an e-mail address");
}

TEST(Normalizer, EmailIsLowerCasedAndTrimmed) {
  Opportunity opportunity = valid_opportunity();
  opportunity.contact_email = "  Ann.Lee@Example.COM \n";
  EXPECT_EQ(column(passed(opportunity), "contact_email"), Value("ann.lee@example.com"));
}

TEST(Normalizer, ProbabilityAbove100IsOutOfRange) {
  Opportunity opportunity = valid_opportunity();
  opportunity.probability = 101;
  EXPECT_REJECTION(rejected(opportunity), "probability", "probability: 101 is outside 0 to 100");
}

TEST(Normalizer, ProbabilityAtTheBoundsPasses) {
  Opportunity opportunity = valid_opportunity();
  opportunity.probability = 100;
  EXPECT_EQ(column(passed(opportunity), "probability"), Value("100"));
  opportunity.probability = 0;
  EXPECT_EQ(column(passed(opportunity), "probability"), Value("0"));
}

TEST(Normalizer, NegativeCountIsRejected) {
  Campaign campaign = valid_campaign();
  campaign.target_count = -3;
  EXPECT_REJECTION(rejected(campaign), "target_count", "target_count: -3 is negative");

  Metrics metrics;
  metrics.campaign_id = "C-1";
  metrics.sent = 10;
  metrics.bounces = -1;
  EXPECT_REJECTION(rejected(metrics), "bounces", "bounces: -1 is negative");
}

TEST(Normalizer, NotANumberAmountIsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.amount = std::numeric_limits<double>::quiet_NaN();
  EXPECT_REJECTION(rejected(opportunity), "amount", "amount is not a finite number");

  Campaign campaign = valid_campaign();
  campaign.budget = std::numeric_limits<double>::infinity();
  EXPECT_REJECTION(rejected(campaign), "budget", "budget is not a finite number");
}

TEST(Normalizer, CurrencyThatIsNotAnIsoCodeIsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.currency = "euro";
  EXPECT_REJECTION(rejected(opportunity), "currency", "currency: 'EURO' is not an ISO 4217 code");

  opportunity.currency = "E1R";
  EXPECT_REJECTION(rejected(opportunity), "currency", "currency: 'E1R' is not an ISO 4217 code");
}

TEST(Normalizer, LowerCaseCurrencyIsUpperCased) {
  Opportunity opportunity = valid_opportunity();
  opportunity.currency = " eur ";
  opportunity.amount = 1250.5;
  CanonicalRecord record = passed(opportunity);
  EXPECT_EQ(column(record, "currency"), Value("EUR"));
  EXPECT_EQ(column(record, "amount"), Value("1250.5"));
}

TEST(Normalizer, CampaignCurrencyIsCheckedAsAnOpportunityOne) {
  Campaign campaign = valid_campaign();
  campaign.currency = "eur";
  EXPECT_EQ(column(passed(campaign), "currency"), Value("EUR"));
  campaign.currency = "€";
  EXPECT_REJECTION(rejected(campaign), "currency", "currency: '€' is not an ISO 4217 code");
}

TEST(Normalizer, ConnectSeedFieldsPassTrimmedAndChecked) {
  Opportunity opportunity = valid_opportunity();
  opportunity.summary = "  Lab-scale film, 40 µm \n";
  opportunity.country = "fr";
  opportunity.readiness_level = 9;
  opportunity.attachment_count = 0;
  opportunity.owner = " Dana Roe ";
  CanonicalRecord record = passed(opportunity);
  EXPECT_EQ(column(record, "summary"), Value("Lab-scale film, 40 µm"));
  EXPECT_EQ(column(record, "country"), Value("FR"));
  EXPECT_EQ(column(record, "readiness_level"), Value("9"));
  EXPECT_EQ(column(record, "attachment_count"), Value("0"));
  EXPECT_EQ(column(record, "owner"), Value("Dana Roe"));
}

TEST(Normalizer, CountryThatIsNotAnIsoCodeIsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.country = "France";
  EXPECT_REJECTION(rejected(opportunity), "country",
                   "country: 'FRANCE' is not an ISO 3166-1 alpha-2 code");
}

TEST(Normalizer, ReadinessLevelOutside1To9IsRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.readiness_level = 0;
  EXPECT_REJECTION(rejected(opportunity), "readiness_level",
                   "readiness_level: 0 is outside 1 to 9");
  opportunity.readiness_level = 10;
  EXPECT_REJECTION(rejected(opportunity), "readiness_level",
                   "readiness_level: 10 is outside 1 to 9");
  opportunity.readiness_level = 1;
  EXPECT_EQ(column(passed(opportunity), "readiness_level"), Value("1"));
}

TEST(Normalizer, NegativeAttachmentCountAndDealsWonAreRejected) {
  Opportunity opportunity = valid_opportunity();
  opportunity.attachment_count = -1;
  EXPECT_REJECTION(rejected(opportunity), "attachment_count", "attachment_count: -1 is negative");
  Metrics metrics;
  metrics.campaign_id = "C-1";
  metrics.deals_won = -2;
  EXPECT_REJECTION(rejected(metrics), "deals_won", "deals_won: -2 is negative");
}

TEST(Normalizer, AttributesMustBeOneJsonObject) {
  Opportunity opportunity = valid_opportunity();
  opportunity.attributes = R"( {"pipeline": "default", "stage": {"order": 2}} )";
  EXPECT_EQ(column(passed(opportunity), "attributes"),
            Value(R"({"pipeline": "default", "stage": {"order": 2}})"));
  for (const char* bad : {"[1, 2]", "\"default\"", "42", "{\"a\": 1", "{\"a\": 1} {}", "nul"}) {
    SCOPED_TRACE(bad);
    opportunity.attributes = bad;
    EXPECT_REJECTION(rejected(opportunity), "attributes", "attributes: not a JSON object");
  }
  opportunity.attributes = R"({"note": "a\u0000b"})";
  EXPECT_REJECTION(rejected(opportunity), "attributes",
                   "attributes: a text in it holds U+0000, which cannot be stored");
  opportunity.attributes = std::string(300, '[') + std::string(300, ']');
  Rejection deep = rejected(opportunity);
  EXPECT_EQ(deep.field, "attributes");
  EXPECT_NE(deep.reason.find("nested deeper than 256 levels"), std::string::npos) << deep.reason;
}

TEST(Normalizer, EmptyAttributesAreStoredAsNull) {
  Step step = valid_step();
  step.attributes = "{ }";
  EXPECT_EQ(column(passed(step), "attributes"), std::nullopt);
  Participant participant = valid_participant();
  participant.attributes = R"({"reminders_sent": 2})";
  EXPECT_EQ(column(passed(participant), "attributes"), Value(R"({"reminders_sent": 2})"));
}

TEST(Normalizer, TimeWithoutOffsetIsRejectedNamingTheField) {
  Campaign campaign = valid_campaign();
  campaign.start = "2026-03-01T09:30:00";
  EXPECT_REJECTION(rejected(campaign), "start",
                   "start: '2026-03-01T09:30:00' has no offset or Z, so its time zone is unknown");

  Step step = valid_step();
  step.due_at = "2026-02-30";
  EXPECT_REJECTION(rejected(step), "due_at", "due_at: '2026-02-30' is not a calendar date");
}

TEST(Normalizer, TimesAreConvertedToUtc) {
  Opportunity opportunity = valid_opportunity();
  opportunity.submitted_at = "2026-03-01T09:30:00+01:00";
  opportunity.updated_at = "1767225600";
  CanonicalRecord record = passed(opportunity);
  EXPECT_EQ(column(record, "submitted_at"), Value("2026-03-01T08:30:00Z"));
  EXPECT_EQ(column(record, "provider_updated_at"), Value("2026-01-01T00:00:00Z"));
}

TEST(Normalizer, UnknownCampaignKindIsRejected) {
  Campaign campaign = valid_campaign();
  campaign.kind = "newsletter";
  EXPECT_REJECTION(rejected(campaign), "kind",
                   "kind: 'newsletter' is not one of scouting, email, partner, task, multichannel");
}

TEST(Normalizer, CampaignKindIsLowerCased) {
  Campaign campaign = valid_campaign();
  campaign.kind = " Email ";
  EXPECT_EQ(column(passed(campaign), "kind"), Value("email"));
}

TEST(Normalizer, ParticipantWithoutCampaignIdIsRejected) {
  Participant participant = valid_participant();
  participant.campaign_id = " ";
  EXPECT_REJECTION(rejected(participant), "campaign_id", "campaign_id is missing");
}

TEST(Normalizer, StepWithoutParticipantIdIsRejected) {
  Step step = valid_step();
  step.participant_id = "";
  EXPECT_REJECTION(rejected(step), "participant_id", "participant_id is missing");
}

TEST(Normalizer, ParticipantStartedByMustBeAutomaticOrManual) {
  Participant participant = valid_participant();
  participant.started_by = "Manual";
  EXPECT_EQ(column(passed(participant), "started_by"), Value("manual"));
  participant.started_by = "robot";
  EXPECT_REJECTION(rejected(participant), "started_by",
                   "started_by: 'robot' is not 'automatic' or 'manual'");
}

TEST(Normalizer, CompletionOutside0To100IsRejected) {
  Participant participant = valid_participant();
  participant.completion = -0.5;
  EXPECT_REJECTION(rejected(participant), "completion", "completion: -0.5 is outside 0 to 100");
}

TEST(Normalizer, MetricsWithoutCampaignIdIsRejected) {
  Metrics metrics;
  metrics.sent = 1;
  EXPECT_REJECTION(rejected(metrics), "campaign_id", "campaign_id is missing");
}

TEST(Normalizer, StringsAreTrimmedAndBlankBecomesNull) {
  Campaign campaign = valid_campaign();
  campaign.external_id = "  C-1 ";
  campaign.name = "  Spring scouting\t";
  campaign.owner = "   ";
  campaign.department = "";
  campaign.description = "\n Two words \n";
  CanonicalRecord record = passed(campaign);
  EXPECT_EQ(record.external_id, "C-1");
  EXPECT_EQ(column(record, "name"), Value("Spring scouting"));
  EXPECT_EQ(column(record, "owner"), std::nullopt);
  EXPECT_EQ(column(record, "department"), std::nullopt);
  EXPECT_EQ(column(record, "description"), Value("Two words"));
}

TEST(Normalizer, StatusOverrideWinsOverThePluginMap) {
  StatusTable statuses = connect_statuses();
  // The operator's status_overrides.campaign entry laid over the plugin's "Closed" -> completed.
  statuses.add("campaign", "Closed", "cancelled");
  Campaign campaign = valid_campaign();
  campaign.status = "Closed";
  Normalized result = connect_normalizer(std::move(statuses)).normalize(campaign);
  ASSERT_TRUE(result.record) << result.rejection.reason;
  EXPECT_EQ(result.record->status, Value("cancelled"));
  EXPECT_EQ(column(*result.record, "raw_status"), Value("Closed"));
}

TEST(Normalizer, OverrideCanMapAStatusThePluginDoesNotKnow) {
  StatusTable statuses = connect_statuses();
  statuses.add("campaign", "Archived", "completed");
  Campaign campaign = valid_campaign();
  campaign.status = "Archived";
  Normalized result = connect_normalizer(std::move(statuses)).normalize(campaign);
  ASSERT_TRUE(result.record) << result.rejection.reason;
  EXPECT_EQ(result.record->status, Value("completed"));
}

TEST(Normalizer, LooseMatchMapsTheWordAndRawStatusKeepsItAsSent) {
  StatusTable statuses = connect_statuses();
  statuses.add("campaign", "Prêt à tester", "testing", StatusTable::Match::accent_insensitive);
  Campaign campaign = valid_campaign();
  campaign.status = " PRET A TESTER ";
  Normalized result = connect_normalizer(std::move(statuses)).normalize(campaign);
  ASSERT_TRUE(result.record) << result.rejection.reason;
  EXPECT_EQ(result.record->status, Value("testing"));
  EXPECT_EQ(column(*result.record, "raw_status"), Value("PRET A TESTER"));
}

TEST(Normalizer, WhenMissingMapsARecordWithoutStatusAndRawStatusStaysNull) {
  StatusTable statuses = connect_statuses();
  statuses.when_missing("opportunity", "active");
  Opportunity opportunity = valid_opportunity();
  opportunity.status = std::nullopt;
  Normalized result = connect_normalizer(std::move(statuses)).normalize(opportunity);
  ASSERT_TRUE(result.record) << result.rejection.reason;
  EXPECT_EQ(result.record->status, Value("active"));
  EXPECT_EQ(column(*result.record, "raw_status"), std::nullopt);
}

TEST(Normalizer, OpportunityWithoutInitiativeGetsTheDefaultInitiative) {
  EXPECT_EQ(column(passed(valid_opportunity()), "initiative"), Value("Imported"));

  Opportunity blank = valid_opportunity();
  blank.initiative = "  ";
  EXPECT_EQ(column(passed(blank), "initiative"), Value("Imported"));

  Opportunity own = valid_opportunity();
  own.initiative = " Pilots ";
  EXPECT_EQ(column(passed(own), "initiative"), Value("Pilots"));
}

TEST(Normalizer, DeletedCampaignTombstoneWithOnlyItsIdPassesWithoutStatus) {
  Campaign tombstone;
  tombstone.external_id = "C-9";
  tombstone.deleted = true;
  CanonicalRecord record = passed(tombstone);
  EXPECT_EQ(record.external_id, "C-9");
  EXPECT_EQ(record.status, std::nullopt);
  EXPECT_EQ(column(record, "status"), std::nullopt);
  EXPECT_EQ(column(record, "name"), std::nullopt);
  EXPECT_EQ(column(record, "deleted"), Value("1"));
}

TEST(Normalizer, DeletedOpportunityWithoutStatusPasses) {
  Opportunity tombstone;
  tombstone.external_id = "O-9";
  tombstone.deleted = true;
  CanonicalRecord record = passed(tombstone);
  EXPECT_EQ(record.status, std::nullopt);
  EXPECT_EQ(column(record, "deleted"), Value("1"));
}

TEST(Normalizer, MetricsPassWithTheirFigures) {
  Metrics metrics;
  metrics.campaign_id = "C-1";
  metrics.taken_at = "2026-03-01T10:00:00+02:00";
  metrics.sent = 1000;
  metrics.spend = 12.5;
  CanonicalRecord record = passed(metrics);
  EXPECT_EQ(record.entity, Entity::metrics);
  EXPECT_EQ(record.external_id, "C-1");
  EXPECT_EQ(record.status, std::nullopt);
  EXPECT_EQ(column(record, "taken_at"), Value("2026-03-01T08:00:00Z"));
  EXPECT_EQ(column(record, "sent"), Value("1000"));
  EXPECT_EQ(column(record, "delivered"), std::nullopt);
  EXPECT_EQ(column(record, "spend"), Value("12.5"));
}

}  // namespace
}  // namespace hub
