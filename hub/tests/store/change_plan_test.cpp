// The change plan, decided without a database: what a batch writes given what is stored.
#include "hub/store/change_plan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "connectors/text/fnv1a.h"

namespace hub {
namespace {

constexpr auto kOpportunity = static_cast<std::size_t>(Entity::opportunity);
constexpr auto kCampaign = static_cast<std::size_t>(Entity::campaign);
constexpr std::size_t kLinkedCampaign = column_index(Entity::opportunity, "campaign_external_id");
constexpr std::size_t kTitle = column_index(Entity::opportunity, "title");
constexpr std::size_t kTakenAt = column_index(Entity::metrics, "taken_at");

CanonicalRecord opportunity(const std::string& id, const std::string& status,
                            const std::string& campaign = "c-1", const std::string& title = "T") {
  campaign_hub::Opportunity record;
  record.external_id = id;
  record.campaign_id = campaign;
  record.title = title;
  record.status = status;
  return to_canonical(record, status, "Default");
}

// An opportunity the provider calls `word`, which the hub mapped to `status`.
CanonicalRecord opportunity_said(const std::string& id, const std::string& word,
                                 const std::string& status) {
  campaign_hub::Opportunity record;
  record.external_id = id;
  record.status = word;
  return to_canonical(record, status, "Default");
}

CanonicalRecord opportunity_deleted(const std::string& id) {
  campaign_hub::Opportunity record;
  record.external_id = id;
  record.deleted = true;
  return to_canonical(record, std::nullopt, "Default");
}

CanonicalRecord campaign_deleted(const std::string& id) {
  campaign_hub::Campaign record;
  record.external_id = id;
  record.deleted = true;
  return to_canonical(record, std::nullopt);
}

CanonicalRecord metrics(const std::string& campaign, long long sent) {
  campaign_hub::Metrics record;
  record.campaign_id = campaign;
  record.sent = sent;
  return to_canonical(record);
}

// A plan with the records it refers to, which live as long as it does.
struct Records {
  std::vector<CanonicalRecord> records;
};
struct Planned : Records, ChangePlan {
  Planned(std::vector<CanonicalRecord> batch, StoredRecords stored, const std::string& now = "now")
      : Records{std::move(batch)}, ChangePlan(plan_changes(records, std::move(stored), now)) {}
  Planned(const Planned&) = delete;
  Planned& operator=(const Planned&) = delete;
};

TEST(ChangePlan, NewRecordsAreInsertedInTheOrderTheyFirstAppear) {
  const Planned plan({opportunity("b", "active"), opportunity("a", "active")}, {}, "now");
  EXPECT_EQ(plan.counts.inserted, 2);
  ASSERT_EQ(plan.rows[kOpportunity].size(), 2u);
  EXPECT_EQ(plan.rows[kOpportunity][0].record().external_id, "b");
  EXPECT_EQ(plan.rows[kOpportunity][1].record().external_id, "a");
  EXPECT_FALSE(plan.rows[kOpportunity][0].keep_known);
  EXPECT_TRUE(plan.events.empty());  // nothing was stored: no change of status
}

TEST(ChangePlan, AStoredRecordWithTheSameHashIsUnchangedAndNotWritten) {
  const CanonicalRecord same = opportunity("a", "active");
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true, content_hash(same), Value("active"), Value("active")};
  const Planned plan({same}, stored, "now");
  EXPECT_EQ(plan.counts.unchanged, 1);
  EXPECT_EQ(plan.counts.by_entity[kOpportunity].unchanged, 1);
  EXPECT_TRUE(plan.rows[kOpportunity].empty());
}

// The digest is XXH3's, tagged; a null and an empty text, or values shifted between columns,
// differ.
TEST(ChangePlan, TheContentHashTellsValuesAndTheirPlacesApart) {
  CanonicalRecord record = opportunity("a", "active");
  const std::string hash = content_hash(record);
  EXPECT_EQ(hash.size(), 18u);
  EXPECT_EQ(hash.substr(0, 2), "x3");
  EXPECT_EQ(content_hash(record), hash);
  const std::size_t title = column_index(Entity::opportunity, "title");
  const std::size_t organisation = column_index(Entity::opportunity, "organisation");
  record.values[title] = std::nullopt;
  const std::string null_title = content_hash(record);
  record.values[title] = "";
  EXPECT_NE(content_hash(record), null_title);
  record.values[title] = "ab";
  record.values[organisation] = std::nullopt;
  const std::string ab_in_title = content_hash(record);
  record.values[title] = std::nullopt;
  record.values[organisation] = "ab";
  EXPECT_NE(content_hash(record), ab_in_title);
}

// A row written before issue 14 holds the FNV-1a digest (16 hex digits, the hub's Fnv1a64
// over the same bytes): the same values are still unchanged, so an upgrade rewrites nothing,
// and an edit is still noticed.
TEST(ChangePlan, ARowHoldingTheOlderDigestIsComparedWithThatDigest) {
  const CanonicalRecord record = opportunity("a", "active");
  connectors::text::Fnv1a64 fnv;
  for (const auto& value : record.values) {
    fnv.add(value ? std::string_view("\x01", 1) : std::string_view("\x00", 1));
    if (value)
      fnv.add(*value);
  }
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true, fnv.hex(), Value("active"), Value("active")};
  EXPECT_EQ(Planned({record}, stored).counts.unchanged, 1);

  CanonicalRecord edited = record;
  edited.values[column_index(Entity::opportunity, "title")] = "Another title";
  const Planned plan({edited}, stored, "now");
  EXPECT_EQ(plan.counts.updated, 1);
  ASSERT_EQ(plan.rows[kOpportunity].size(), 1u);
  EXPECT_EQ(plan.rows[kOpportunity][0].hash, content_hash(edited));  // written with the new digest
}

// Older news (a provider time earlier than the stored one's) is neither written nor an event,
// a tombstone included; a record that says no time, or an equal one, is written.
TEST(ChangePlan, ARecordOlderThanTheStoredStateIsLeftOut) {
  const std::size_t updated = column_index(Entity::opportunity, "provider_updated_at");
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true,         "x3-stored", Value("won"),
                               Value("Won"), false,       Value("2026-03-01T10:00:00Z")};
  CanonicalRecord older = opportunity("a", "active");
  older.values[updated] = "2026-03-01T09:59:59.999Z";
  CanonicalRecord gone = opportunity_deleted("a");
  gone.values[updated] = "2026-02-28";
  const Planned late({older, gone}, stored);
  EXPECT_EQ(late.counts.unchanged, 2);
  EXPECT_TRUE(late.rows[kOpportunity].empty());
  EXPECT_TRUE(late.events.empty());

  CanonicalRecord same_time = opportunity("a", "active");
  same_time.values[updated] = "2026-03-01T10:00:00Z";
  const CanonicalRecord no_time = opportunity("a", "closed");
  const Planned written({same_time, no_time}, stored);
  EXPECT_EQ(written.counts.updated, 2);
  ASSERT_EQ(written.rows[kOpportunity].size(), 1u);
  EXPECT_EQ(written.events.size(), 2u);
}

TEST(ChangePlan, EachStatusChangeIsAnEventAndTheLastOccurrenceIsWritten) {
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true, "old", Value("active"), Value("active")};
  const Planned plan(
      {opportunity("a", "on_hold", "c-1", "first"), opportunity("a", "closed", "c-1", "second")},
      stored, "now");
  EXPECT_EQ(plan.counts.updated, 2);
  ASSERT_EQ(plan.events.size(), 2u);
  EXPECT_EQ(plan.events[0].from, Value("active"));
  EXPECT_EQ(plan.events[0].to, "on_hold");
  EXPECT_EQ(plan.events[1].from, Value("on_hold"));
  EXPECT_EQ(plan.events[1].to, "closed");
  ASSERT_EQ(plan.rows[kOpportunity].size(), 1u);
  EXPECT_EQ(plan.rows[kOpportunity][0].record().values[kTitle], Value("second"));
  EXPECT_EQ(plan.rows[kOpportunity][0].position, 1u);
}

// A stage move within one canonical status ("Qualified" to "Proposal", both active) is an event
// too, with the provider's words; the same word again is none.
TEST(ChangePlan, AChangeOfTheProvidersWordWithinOneStatusIsAnEvent) {
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true, "old", Value("active"), Value("Qualified")};
  stored[kOpportunity]["b"] = {true, "old", Value("active"), Value("Qualified")};
  const Planned plan(
      {opportunity_said("a", "Proposal", "active"), opportunity_said("b", "Qualified", "active")},
      stored, "now");
  EXPECT_EQ(plan.counts.updated, 2);
  ASSERT_EQ(plan.events.size(), 1u);
  EXPECT_EQ(plan.events[0].external_id, "a");
  EXPECT_EQ(plan.events[0].from, Value("active"));
  EXPECT_EQ(plan.events[0].to, "active");
  EXPECT_EQ(plan.events[0].from_raw, Value("Qualified"));
  EXPECT_EQ(plan.events[0].to_raw, Value("Proposal"));
}

// Deleting a live record is an event to "deleted"; a deleted record listed again is one back.
TEST(ChangePlan, DeletionAndReturnAreEventsInTheHistory) {
  StoredRecords stored;
  stored[kOpportunity]["a"] = {true, "old", Value("active"), Value("Open"), false};
  stored[kOpportunity]["b"] = {true, "old", Value("won"), Value("Won"), true};
  const Planned plan({opportunity_deleted("a"), opportunity_said("b", "Won", "won")}, stored,
                     "now");
  ASSERT_EQ(plan.events.size(), 2u);
  EXPECT_EQ(plan.events[0].from, Value("active"));
  EXPECT_EQ(plan.events[0].to, kDeletedStatus);
  EXPECT_EQ(plan.events[0].from_raw, Value("Open"));
  EXPECT_EQ(plan.events[0].to_raw, std::nullopt);
  EXPECT_EQ(plan.events[1].from, Value(kDeletedStatus));
  EXPECT_EQ(plan.events[1].to, "won");

  // A tombstone for a record already deleted says nothing new.
  stored[kOpportunity]["a"].deleted = true;
  EXPECT_TRUE(Planned({opportunity_deleted("a")}, stored).events.empty());
}

TEST(ChangePlan, ATombstoneAloneKeepsWhatIsStoredAndOneAfterARecordOverlaysIt) {
  const Planned alone({opportunity_deleted("a")}, {}, "now");
  ASSERT_EQ(alone.rows[kOpportunity].size(), 1u);
  EXPECT_TRUE(alone.rows[kOpportunity][0].keep_known);
  EXPECT_TRUE(is_tombstone(alone.rows[kOpportunity][0].record()));

  const Planned after({opportunity("a", "active", "c-1", "kept"), opportunity_deleted("a")}, {},
                      "now");
  ASSERT_EQ(after.rows[kOpportunity].size(), 1u);
  const RowWrite& row = after.rows[kOpportunity][0];
  EXPECT_FALSE(row.keep_known);  // the batch wrote the whole row first
  EXPECT_TRUE(is_tombstone(row.record()));
  EXPECT_EQ(row.record().values[kTitle], Value("kept"));
}

TEST(ChangePlan, ADeletedCampaignUnlinksTheOpportunitiesWrittenBeforeItOnly) {
  const Planned plan({opportunity("before", "active", "c-1"), campaign_deleted("c-1"),
                      opportunity("after", "active", "c-1")},
                     {}, "now");
  ASSERT_EQ(plan.rows[kOpportunity].size(), 2u);
  EXPECT_EQ(plan.rows[kOpportunity][0].record().values[kLinkedCampaign], std::nullopt);
  EXPECT_EQ(plan.rows[kOpportunity][1].record().values[kLinkedCampaign], Value("c-1"));
  EXPECT_EQ(plan.deleted_campaigns, std::vector<std::string>{"c-1"});
  EXPECT_TRUE(plan.rows[kCampaign][0].keep_known);
}

TEST(ChangePlan, ASnapshotGetsTheSyncTimeAndTheSameFiguresAreUnchanged) {
  const Planned first({metrics("c-1", 10)}, {}, "2026-12-05T10:00:00Z");
  ASSERT_EQ(first.snapshots.size(), 1u);
  EXPECT_EQ(first.snapshots[0].values[kTakenAt], Value("2026-12-05T10:00:00Z"));

  StoredRecords stored;
  stored[static_cast<std::size_t>(Entity::metrics)]["c-1"] = {
      true, content_hash(first.snapshots[0]), {}, {}};
  const Planned again({metrics("c-1", 10), metrics("c-1", 11)}, stored, "2026-12-05T11:00:00Z");
  EXPECT_EQ(again.counts.unchanged, 1);
  EXPECT_EQ(again.counts.inserted + again.counts.updated, 1);
  ASSERT_EQ(again.snapshots.size(), 1u);
}

}  // namespace
}  // namespace hub
