// RecordSink: what a plugin emits is batched; a record the plugin rejects lands in the batch's
// quarantine as the plugin worded it, and counts as read.
#include "hub/sync/record_sink.h"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace hub {
namespace {

StatusTable statuses() {
  return StatusTable().add("campaign", "Live", "active");
}

class RecordSinkTest : public ::testing::Test {
 protected:
  // Keeps a copy of every batch handed to the writer; answers as a store would.
  RecordSink::Flush keep() {
    return [this](const Batch& batch) {
      batches_.push_back(batch);
      WriteCounts counts;
      counts.inserted = static_cast<std::int64_t>(batch.records.size());
      counts.quarantined = static_cast<std::int64_t>(batch.quarantined.size());
      return counts;
    };
  }

  static campaign_hub::Campaign live(std::string id) {
    campaign_hub::Campaign campaign;
    campaign.external_id = std::move(id);
    campaign.status = "Live";
    campaign.raw = "{}";
    return campaign;
  }

  Normalizer normalizer_{statuses(), "rest-json", "crm", "Default Initiative"};
  std::vector<Batch> batches_;  // written on the sink's writer thread, read after finish()
};

TEST_F(RecordSinkTest, RejectLandsInTheBatchQuarantineAsThePluginWordedIt) {
  RecordSink sink(normalizer_, 10, keep());
  sink.campaign(live("c-1"));
  sink.reject("opportunity", "o-7", "probability", "probability: \"12k\" at /p is not a number",
              R"({"id":"o-7","p":"12k"})");
  sink.finish();

  ASSERT_EQ(batches_.size(), 1u);
  const Batch& batch = batches_[0];
  ASSERT_EQ(batch.records.size(), 1u);
  ASSERT_EQ(batch.quarantined.size(), 1u);
  const QuarantineEntry& entry = batch.quarantined[0];
  EXPECT_EQ(entry.entity, Entity::opportunity);
  EXPECT_EQ(entry.external_id, "o-7");
  EXPECT_EQ(entry.field, "probability");
  EXPECT_EQ(entry.reason, "probability: \"12k\" at /p is not a number");
  EXPECT_EQ(entry.record_json, R"({"id":"o-7","p":"12k"})");  // the provider's record
  EXPECT_EQ(sink.counts().read, 2);
  EXPECT_EQ(sink.counts().written.inserted, 1);
  EXPECT_EQ(sink.counts().written.quarantined, 1);
}

TEST_F(RecordSinkTest, RejectsCountTowardTheBatchSize) {
  RecordSink sink(normalizer_, 2, keep());
  sink.reject("metrics", "c-1", "sent", "sent: \"n/a\" at /s is not an integer", "{}");
  sink.reject("campaign", "c-2", "start", "start: \"31/02/2026\" does not read as DD/MM/YYYY",
              "{}");
  sink.campaign(live("c-3"));
  sink.checkpoint("campaigns", "3");
  sink.finish();

  ASSERT_EQ(batches_.size(), 2u);
  EXPECT_EQ(batches_[0].quarantined.size(), 2u);
  EXPECT_EQ(batches_[0].quarantined[0].entity, Entity::metrics);
  EXPECT_TRUE(batches_[0].records.empty());
  EXPECT_EQ(batches_[1].records.size(), 1u);
  EXPECT_EQ(batches_[1].cursors.at("campaigns"), "3");
  EXPECT_EQ(sink.counts().read, 3);
  EXPECT_EQ(sink.counts().written.quarantined, 2);
}

TEST_F(RecordSinkTest, RejectOfAnUnknownEntityIsAPluginBugThatFailsTheRun) {
  RecordSink sink(normalizer_, 10, keep());
  try {
    sink.reject("deal", "d-1", "amount", "amount: bad", "{}");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("unknown entity 'deal'"), std::string::npos)
        << error.what();
  }
  sink.finish();
  EXPECT_EQ(sink.counts().read, 0);
  EXPECT_TRUE(batches_.empty());
}

TEST_F(RecordSinkTest, ABigTransactionTravelsInPartsAndOnlyItsLastCommitsWithTheCursor) {
  RecordSink sink(normalizer_, 2500, keep());
  for (int i = 1; i <= 2600; ++i) {
    sink.campaign(live("c-" + std::to_string(i)));
    if (i == 1200)
      sink.checkpoint("campaigns", "1200");
  }
  sink.checkpoint("campaigns", "2600");
  sink.finish();

  // 2,500 records in parts of 1,000, 1,000 and 500: the last commits, with the cursor seen by
  // then; the last 100 records form a second transaction with the final cursor.
  ASSERT_EQ(batches_.size(), 4u);
  EXPECT_EQ(batches_[0].records.size(), 1000u);
  EXPECT_FALSE(batches_[0].commit);
  EXPECT_TRUE(batches_[0].cursors.empty());
  EXPECT_FALSE(batches_[1].commit);
  EXPECT_TRUE(batches_[1].cursors.empty());
  EXPECT_EQ(batches_[2].records.size(), 500u);
  EXPECT_TRUE(batches_[2].commit);
  EXPECT_EQ(batches_[2].cursors, (std::map<std::string, std::string>{{"campaigns", "1200"}}));
  EXPECT_EQ(batches_[3].records.size(), 100u);
  EXPECT_TRUE(batches_[3].commit);
  EXPECT_EQ(batches_[3].cursors, (std::map<std::string, std::string>{{"campaigns", "2600"}}));
}

}  // namespace
}  // namespace hub

namespace hub {
namespace {

struct DatabaseDown : std::runtime_error {
  DatabaseDown() : std::runtime_error("database: connection lost") {}
};

// A failed write stops the plugin at its next emit with the hub's own error: the store's
// exception never travels through the plugin's frames. finish() gives the store's error, the
// run's cause.
TEST_F(RecordSinkTest, AFailedWriteStopsThePluginWithTheHubsErrorAndFinishGivesTheStores) {
  RecordSink sink(normalizer_, 1, [](const Batch&) -> WriteCounts { throw DatabaseDown(); });
  sink.campaign(live("c-1"));  // handed over; the writer fails it
  bool stopped = false;
  try {
    for (int i = 2; i < 10'000; ++i)
      sink.campaign(live("c-" + std::to_string(i)));
  } catch (const RecordSink::StoreFailed&) {
    stopped = true;
  }
  EXPECT_TRUE(stopped) << "emits went on after the store failed";
  EXPECT_THROW(sink.finish(), DatabaseDown);
}

}  // namespace
}  // namespace hub
