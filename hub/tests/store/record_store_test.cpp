// RecordStore::write: upsert on (instance, external id), unchanged rows untouched, one status
// event per change of status, tombstones that keep what was known, quarantine and cursors in
// the batch's one transaction.
#include "hub/store/record_store.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hub/store/cursors.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/row_values.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

using Row = std::vector<Value>;
using Rows = std::vector<Row>;

constexpr const char* kInstance = "connect-prod";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";
const Value null = std::nullopt;

CanonicalRecord campaign(const std::string& id, Value name, Value status,
                         const std::string& raw_status = "raw") {
  campaign_hub::Campaign r;
  r.external_id = id;
  r.name = std::move(name);
  r.kind = "scouting";
  r.status = raw_status;
  return to_canonical(r, std::move(status));
}

CanonicalRecord campaign_tombstone(const std::string& id) {
  campaign_hub::Campaign r;
  r.external_id = id;
  r.deleted = true;
  return to_canonical(r, std::nullopt);
}

CanonicalRecord opportunity(const std::string& id, Value campaign_id, Value status,
                            Value title = "Pilot") {
  campaign_hub::Opportunity r;
  r.external_id = id;
  r.campaign_id = std::move(campaign_id);
  r.title = std::move(title);
  r.status = "raw";
  return to_canonical(r, std::move(status), "Imported");
}

CanonicalRecord participant(const std::string& id) {
  campaign_hub::Participant r;
  r.external_id = id;
  r.campaign_id = "C-1";
  r.status = "Active";
  return to_canonical(r, Value("active"));
}

CanonicalRecord step(const std::string& id) {
  campaign_hub::Step r;
  r.external_id = id;
  r.participant_id = "P-1";
  r.status = "sent";
  return to_canonical(r, Value("done"));
}

CanonicalRecord metrics(const std::string& campaign_id, std::int64_t sent, Value taken_at = null) {
  campaign_hub::Metrics r;
  r.campaign_id = campaign_id;
  r.taken_at = std::move(taken_at);
  r.sent = sent;
  r.opens = 10;
  return to_canonical(r);
}

Batch batch_of(std::vector<CanonicalRecord> records) {
  Batch batch;
  batch.records = std::move(records);
  return batch;
}

void expect_counts(const WriteCounts& counts, std::int64_t inserted, std::int64_t updated,
                   std::int64_t unchanged, std::int64_t quarantined) {
  EXPECT_EQ(counts.inserted, inserted) << "inserted";
  EXPECT_EQ(counts.updated, updated) << "updated";
  EXPECT_EQ(counts.unchanged, unchanged) << "unchanged";
  EXPECT_EQ(counts.quarantined, quarantined) << "quarantined";
}

class RecordStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    migrate(database_);
    take_lease(1);
    store_ = std::make_unique<RecordStore>(database_, kInstance);
  }

  void take_lease(std::int64_t run_id) {
    ASSERT_TRUE(Leases(database_).acquire(kInstance, run_id, kFuture).acquired);
  }
  // Hands the instance to a new run, as the next sync would.
  void next_run(std::int64_t run_id) {
    database_.session() << "DELETE FROM leases";
    take_lease(run_id);
  }

  Rows query(const std::string& sql) {
    Rows out;
    soci::rowset<soci::row> rows = database_.session().prepare << sql;
    for (const auto& row : rows) {
      Row values;
      for (std::size_t i = 0; i < row.size(); ++i)
        values.push_back(column_text(row, i));
      out.push_back(std::move(values));
    }
    return out;
  }

  // A trigger that fails every update of a cursor, in the backend's own spelling (as a
  // superuser: the hub's user needs no trigger rights).
  void refuse_cursor_updates() {
    Database admin(backend_.admin_url());
    if (admin.dialect() == Dialect::sqlite3) {
      admin.session() << "CREATE TRIGGER refuse_cursor BEFORE UPDATE ON cursors "
                         "BEGIN SELECT RAISE(ABORT, 'cursor refused'); END";
    } else if (admin.dialect() == Dialect::postgresql) {
      admin.session() << "CREATE FUNCTION refuse_cursor() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN RAISE EXCEPTION 'cursor refused'; END $$";
      admin.session() << "CREATE TRIGGER refuse_cursor BEFORE UPDATE ON cursors "
                         "FOR EACH ROW EXECUTE FUNCTION refuse_cursor()";
    } else {
      admin.session() << "CREATE TRIGGER refuse_cursor BEFORE UPDATE ON cursors FOR EACH ROW "
                         "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cursor refused'";
    }
  }

  // Every column of every table the store writes, in a stable order.
  Rows dump() {
    Rows all;
    for (const char* table : {"campaigns", "opportunities", "participants", "steps",
                              "metrics_snapshots", "status_events", "quarantine", "cursors"}) {
      all.push_back({Value(table)});
      Rows rows = query(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
      all.insert(all.end(), rows.begin(), rows.end());
    }
    return all;
  }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
  std::unique_ptr<RecordStore> store_;
};

TEST_P(RecordStoreTest, FirstWriteInsertsEveryRecord) {
  auto counts = store_->write(
      batch_of({campaign("C-1", "Spring", "active"), opportunity("O-1", "C-1", "on_hold"),
                participant("P-1"), step("S-1")}),
      1, kFuture);
  expect_counts(counts, 4, 0, 0, 0);

  EXPECT_EQ(query("SELECT instance, external_id, name, kind, status, raw_status, deleted, "
                  "last_run, first_seen = last_synced FROM campaigns"),
            (Rows{{"connect-prod", "C-1", "Spring", "scouting", "active", "raw", "0", "1", "1"}}));
  EXPECT_EQ(query("SELECT external_id, campaign_external_id, initiative, title, status, "
                  "raw_status FROM opportunities"),
            (Rows{{"O-1", "C-1", "Imported", "Pilot", "on_hold", "raw"}}));
  EXPECT_EQ(query("SELECT external_id, campaign_external_id, status FROM participants"),
            (Rows{{"P-1", "C-1", "active"}}));
  EXPECT_EQ(query("SELECT external_id, participant_external_id, status FROM steps"),
            (Rows{{"S-1", "P-1", "done"}}));
  EXPECT_EQ(query("SELECT COUNT(*) FROM status_events"), (Rows{{"0"}}));
}

TEST_P(RecordStoreTest, SecondWriteOfIdenticalRecordsChangesNoRowAndWritesNoEvent) {
  auto records = std::vector{campaign("C-1", "Spring", "active"),
                             opportunity("O-1", "C-1", "on_hold"), participant("P-1"), step("S-1")};
  store_->write(batch_of(records), 1, kFuture);
  Rows before = dump();

  next_run(2);  // a later run: any rewrite would change last_run
  auto counts = store_->write(batch_of(records), 2, kFuture);

  expect_counts(counts, 0, 0, 4, 0);
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(query("SELECT COUNT(*) FROM status_events"), (Rows{{"0"}}));
}

// A batch of hundreds (through COPY on PostgreSQL, multi-row statements elsewhere): its rows are
// inserted, and a second batch updates the changed ones and leaves the others as they were.
TEST_P(RecordStoreTest, ABatchOfHundredsIsInsertedThenUpdatedWhereItChanged) {
  std::vector<CanonicalRecord> records;
  records.reserve(250);
  for (int i = 0; i < 250; ++i)
    records.push_back(campaign("C-" + std::to_string(i), "Name\t" + std::to_string(i), "active"));
  expect_counts(store_->write(batch_of(records), 1, kFuture), 250, 0, 0, 0);

  next_run(2);
  for (int i = 0; i < 250; i += 5)
    records[static_cast<std::size_t>(i)] =
        campaign("C-" + std::to_string(i), "Renamed " + std::to_string(i), "active");
  expect_counts(store_->write(batch_of(records), 2, kFuture), 0, 50, 200, 0);

  EXPECT_EQ(query("SELECT COUNT(*), SUM(CASE WHEN last_run = 2 THEN 1 ELSE 0 END) FROM campaigns"),
            (Rows{{"250", "50"}}));
  EXPECT_EQ(query("SELECT name FROM campaigns WHERE external_id IN ('C-5', 'C-6') ORDER BY "
                  "external_id"),
            (Rows{{"Renamed 5"}, {"Name\t6"}}));
}

TEST_P(RecordStoreTest, StatusChangeWritesExactlyOneStatusEvent) {
  store_->write(batch_of({campaign("C-1", "Spring", "draft", "Draft")}), 1, kFuture);
  next_run(2);
  auto counts =
      store_->write(batch_of({campaign("C-1", "Spring", "active", "On-going")}), 2, kFuture);

  expect_counts(counts, 0, 1, 0, 0);
  EXPECT_EQ(query("SELECT status, raw_status, last_run FROM campaigns"),
            (Rows{{"active", "On-going", "2"}}));
  EXPECT_EQ(query("SELECT instance, entity, external_id, from_status, to_status, run_id, "
                  "changed_at IS NOT NULL FROM status_events"),
            (Rows{{"connect-prod", "campaign", "C-1", "draft", "active", "2", "1"}}));
}

TEST_P(RecordStoreTest, OpportunityStatusChangeIsAnEventToo) {
  store_->write(batch_of({opportunity("O-1", "C-1", "active")}), 1, kFuture);
  store_->write(batch_of({opportunity("O-1", "C-1", "won")}), 1, kFuture);
  EXPECT_EQ(query("SELECT entity, external_id, from_status, to_status, run_id FROM "
                  "status_events"),
            (Rows{{"opportunity", "O-1", "active", "won", "1"}}));
}

TEST_P(RecordStoreTest, ChangedNonStatusFieldUpdatesWithoutAnEvent) {
  store_->write(batch_of({campaign("C-1", "Spring", "active")}), 1, kFuture);
  Rows first_seen = query("SELECT first_seen FROM campaigns");
  next_run(2);
  auto counts = store_->write(batch_of({campaign("C-1", "Spring 2026", "active")}), 2, kFuture);

  expect_counts(counts, 0, 1, 0, 0);
  EXPECT_EQ(query("SELECT name, status, last_run FROM campaigns"),
            (Rows{{"Spring 2026", "active", "2"}}));
  EXPECT_EQ(query("SELECT first_seen FROM campaigns"), first_seen);
  EXPECT_EQ(query("SELECT COUNT(*) FROM status_events"), (Rows{{"0"}}));
}

// Events arrive late, twice and out of order (webhooks.md), and a pull may read a state
// older than one a push wrote: a record whose provider time is earlier than the stored one's
// is older news and leaves the newer state, status and history as they are.
TEST_P(RecordStoreTest, AnOlderStateNeverOverwritesANewerOne) {
  auto at = [](const std::string& status, const std::string& updated) {
    campaign_hub::Opportunity r;
    r.external_id = "O-1";
    r.campaign_id = "C-1";
    r.title = "Pilot (" + status + ")";
    r.status = status;
    r.updated_at = updated;
    return to_canonical(r, status == "Won" ? Value("won") : Value("active"), "Imported");
  };
  store_->write(batch_of({at("Won", "2026-03-01T10:00:00.500Z")}), 1, kFuture);
  auto late = store_->write(batch_of({at("Open", "2026-03-01T10:00:00.25Z")}), 1, kFuture);
  expect_counts(late, 0, 0, 1, 0);
  EXPECT_EQ(query("SELECT status, title, provider_updated_at FROM opportunities"),
            (Rows{{Value("won"), Value("Pilot (Won)"), Value("2026-03-01T10:00:00.500Z")}}));
  EXPECT_EQ(query("SELECT COUNT(*) FROM status_events")[0][0], Value("0"));

  // The same time, or a later one, is written as usual.
  auto newer = store_->write(batch_of({at("Open", "2026-03-01T10:00:01Z")}), 1, kFuture);
  expect_counts(newer, 0, 1, 0, 0);
  EXPECT_EQ(query("SELECT status FROM opportunities")[0][0], Value("active"));
}

TEST_P(RecordStoreTest, SameIdInAnotherInstanceIsAnotherRecord) {
  store_->write(batch_of({campaign("C-1", "Spring", "active")}), 1, kFuture);
  ASSERT_TRUE(Leases(database_).acquire("mailchimp", 5, kFuture).acquired);
  RecordStore other(database_, "mailchimp");
  expect_counts(other.write(batch_of({campaign("C-1", "Other", "draft")}), 5, kFuture), 1, 0, 0, 0);
  EXPECT_EQ(query("SELECT instance, external_id, name FROM campaigns ORDER BY instance"),
            (Rows{{"connect-prod", "C-1", "Spring"}, {"mailchimp", "C-1", "Other"}}));
}

TEST_P(RecordStoreTest, CampaignTombstoneKeepsWhatWasKnownAndUnlinksItsOpportunities) {
  store_->write(batch_of({campaign("C-1", "Spring", "active"), campaign("C-2", "Autumn", "draft"),
                          opportunity("O-1", "C-1", "active"), opportunity("O-2", "C-1", "won"),
                          opportunity("O-3", "C-2", "active")}),
                1, kFuture);

  auto counts = store_->write(batch_of({campaign_tombstone("C-1")}), 1, kFuture);

  expect_counts(counts, 0, 1, 0, 0);
  EXPECT_EQ(query("SELECT external_id, name, kind, status, raw_status, deleted FROM campaigns "
                  "ORDER BY external_id"),
            (Rows{{"C-1", "Spring", "scouting", "active", "raw", "1"},
                  {"C-2", "Autumn", "scouting", "draft", "raw", "0"}}));
  EXPECT_EQ(query("SELECT external_id, campaign_external_id, status FROM opportunities "
                  "ORDER BY external_id"),
            (Rows{{"O-1", null, "active"}, {"O-2", null, "won"}, {"O-3", "C-2", "active"}}));
  // The deletion is in the campaign's history, from the status it had.
  EXPECT_EQ(query("SELECT external_id, from_status, to_status, from_raw_status, to_raw_status "
                  "FROM status_events"),
            (Rows{{"C-1", "active", "deleted", "raw", null}}));
}

TEST_P(RecordStoreTest, QuarantinedRecordsAreStoredWithEntityFieldReasonAndRecord) {
  Batch batch;
  batch.quarantined.push_back({Entity::opportunity, "O-5", "currency",
                               "currency: 'EURO' is not an ISO 4217 code",
                               R"({"external_id":"O-5","currency":"euro"})"});
  batch.quarantined.push_back(
      {Entity::campaign, "", "external_id", "external_id is missing", R"({"name":"x"})"});

  auto counts = store_->write(batch, 1, kFuture);

  expect_counts(counts, 0, 0, 0, 2);
  EXPECT_EQ(query("SELECT instance, run_id, entity, external_id, field, reason, record, "
                  "replayed_run_id, created_at IS NOT NULL FROM quarantine ORDER BY id"),
            (Rows{{"connect-prod", "1", "opportunity", "O-5", "currency",
                   "currency: 'EURO' is not an ISO 4217 code",
                   R"({"external_id":"O-5","currency":"euro"})", null, "1"},
                  {"connect-prod", "1", "campaign", null, "external_id", "external_id is missing",
                   R"({"name":"x"})", null, "1"}}));
}

// A record that keeps failing the same way is one open row, seen again: not a row per sync.
TEST_P(RecordStoreTest, ARecordFailingAgainUpdatesItsOneOpenQuarantineRow) {
  const std::string reason = "currency: 'EURO' is not an ISO 4217 code";
  Batch first;
  first.quarantined.push_back({Entity::opportunity, "O-5", "currency", reason, R"({"v":1})"});
  first.quarantined.push_back({Entity::opportunity, "O-5", "currency", reason, R"({"v":2})"});
  first.quarantined.push_back({Entity::campaign, "", "external_id", "missing", "{}"});
  expect_counts(store_->write(first, 1, kFuture), 0, 0, 0, 3);

  next_run(2);
  Batch second;
  second.quarantined.push_back({Entity::opportunity, "O-5", "currency", reason, R"({"v":3})"});
  second.quarantined.push_back({Entity::opportunity, "O-5", "amount", "amount: 'abc'", "{}"});
  second.quarantined.push_back({Entity::campaign, "", "external_id", "missing", "{}"});
  store_->write(second, 2, kFuture);
  next_run(3);
  Batch third;
  third.quarantined.push_back({Entity::opportunity, "O-5", "currency", reason, R"({"v":4})"});
  store_->write(third, 3, kFuture);

  EXPECT_EQ(query("SELECT external_id, field, record, run_id, last_run_id, times_seen, "
                  "created_at IS NOT NULL, last_seen IS NOT NULL FROM quarantine ORDER BY id"),
            (Rows{{"O-5", "currency", R"({"v":4})", "1", "3", "3", "1", "1"},
                  {null, "external_id", "{}", "1", "1", "1", "1", "1"},
                  {"O-5", "amount", "{}", "2", "2", "1", "1", "1"},
                  {null, "external_id", "{}", "2", "2", "1", "1", "1"}}));

  // Once stored, the record's open rows are resolved; failing later opens a new one.
  next_run(4);
  store_->write(batch_of({opportunity("O-5", "C-1", "active")}), 4, kFuture);
  next_run(5);
  Batch again;
  again.quarantined.push_back({Entity::opportunity, "O-5", "currency", reason, R"({"v":5})"});
  store_->write(again, 5, kFuture);
  EXPECT_EQ(query("SELECT record, times_seen FROM quarantine WHERE external_id = 'O-5' AND "
                  "replayed_run_id IS NULL"),
            (Rows{{R"({"v":5})", "1"}}));
}

TEST_P(RecordStoreTest, CursorIsStoredWithItsBatch) {
  Batch batch = batch_of({campaign("C-1", "Spring", "active")});
  batch.cursors["campaigns"] = "page=2";
  store_->write(batch, 1, kFuture);
  EXPECT_EQ(load_cursors(database_, kInstance),
            (std::map<std::string, std::string>{{"campaigns", "page=2"}}));

  Batch next;
  next.cursors["campaigns"] = "page=3";
  store_->write(next, 1, kFuture);
  EXPECT_EQ(load_cursors(database_, kInstance),
            (std::map<std::string, std::string>{{"campaigns", "page=3"}}));
}

TEST_P(RecordStoreTest, LostLeaseStoresNeitherTheBatchNorItsCursor) {
  Batch first = batch_of({campaign("C-1", "Spring", "active")});
  first.cursors["campaigns"] = "page=2";
  store_->write(first, 1, kFuture);

  database_.session() << "DELETE FROM leases";  // another run took the instance over
  Batch second = batch_of({campaign("C-2", "Autumn", "draft")});
  second.quarantined.push_back({Entity::campaign, "C-3", "status", "unknown", "{}"});
  second.cursors["campaigns"] = "page=3";
  EXPECT_THROW(store_->write(second, 1, kFuture), LeaseLost);

  EXPECT_EQ(query("SELECT external_id FROM campaigns"), (Rows{{"C-1"}}));
  EXPECT_EQ(query("SELECT COUNT(*) FROM quarantine"), (Rows{{"0"}}));
  EXPECT_EQ(load_cursors(database_, kInstance),
            (std::map<std::string, std::string>{{"campaigns", "page=2"}}));
}

// A run paused past its lease's deadline (SIGSTOP, a partition) commits nothing when it wakes,
// even before another run took the instance over: whoever comes next may take it any time.
TEST_P(RecordStoreTest, ALeasePastItsDeadlineStoresNothing) {
  store_->write(batch_of({campaign("C-1", "Spring", "active")}), 1, kFuture);
  database_.session() << "UPDATE leases SET expires_at = '2000-01-01T00:00:00Z'";
  EXPECT_THROW(store_->write(batch_of({campaign("C-2", "Autumn", "draft")}), 1, kFuture),
               LeaseLost);
  EXPECT_EQ(query("SELECT external_id FROM campaigns"), (Rows{{"C-1"}}));
}

// The failure comes after the batch's records were written: they must be rolled back with it.
TEST_P(RecordStoreTest, FailureAfterTheRecordsRollsBackTheRecordsWithTheCursor) {
  Batch first = batch_of({campaign("C-1", "Spring", "active")});
  first.cursors["campaigns"] = "page=2";
  store_->write(first, 1, kFuture);

  refuse_cursor_updates();
  Batch second =
      batch_of({campaign("C-1", "Spring", "paused"), campaign("C-2", "Autumn", "draft")});
  second.cursors["campaigns"] = "page=3";
  EXPECT_ANY_THROW(store_->write(second, 1, kFuture));

  EXPECT_EQ(query("SELECT external_id, status FROM campaigns ORDER BY external_id"),
            (Rows{{"C-1", "active"}}));
  EXPECT_EQ(query("SELECT COUNT(*) FROM status_events"), (Rows{{"0"}}));
  EXPECT_EQ(load_cursors(database_, kInstance),
            (std::map<std::string, std::string>{{"campaigns", "page=2"}}));
}

TEST_P(RecordStoreTest, SameMetricsFiguresTwiceMakeOneSnapshot) {
  auto counts = store_->write(batch_of({metrics("C-1", 100)}), 1, kFuture);
  expect_counts(counts, 1, 0, 0, 0);
  next_run(2);
  counts = store_->write(batch_of({metrics("C-1", 100, "2026-03-02T00:00:00Z")}), 2, kFuture);
  expect_counts(counts, 0, 0, 1, 0);

  EXPECT_EQ(query("SELECT instance, campaign_external_id, run_id, sent, opens, "
                  "taken_at IS NOT NULL FROM metrics_snapshots"),
            (Rows{{"connect-prod", "C-1", "1", "100", "10", "1"}}));
}

TEST_P(RecordStoreTest, ChangedMetricsFiguresMakeASecondSnapshot) {
  store_->write(batch_of({metrics("C-1", 100, "2026-03-01T00:00:00Z")}), 1, kFuture);
  next_run(2);
  auto counts = store_->write(batch_of({metrics("C-1", 150, "2026-03-02T00:00:00Z")}), 2, kFuture);

  // The campaign's figures were updated (in a new snapshot row): counted as an update.
  expect_counts(counts, 0, 1, 0, 0);
  EXPECT_EQ(query("SELECT campaign_external_id, run_id, taken_at, sent FROM metrics_snapshots "
                  "ORDER BY id"),
            (Rows{{"C-1", "1", "2026-03-01T00:00:00Z", "100"},
                  {"C-1", "2", "2026-03-02T00:00:00Z", "150"}}));
}

TEST_P(RecordStoreTest, ClassifyCountsWithoutWriting) {
  store_->write(
      batch_of({campaign("C-1", "Spring", "active"), opportunity("O-1", "C-1", "active")}), 1,
      kFuture);
  Rows before = dump();

  Batch batch = batch_of({campaign("C-1", "Spring", "active"),   // unchanged
                          opportunity("O-1", "C-1", "won"),      // updated
                          campaign("C-2", "Autumn", "draft")});  // inserted
  batch.quarantined.push_back({Entity::step, "S-1", "status", "unknown", "{}"});
  batch.cursors["campaigns"] = "page=9";

  expect_counts(store_->classify(batch), 1, 1, 1, 1);
  EXPECT_EQ(dump(), before);
}

TEST_P(RecordStoreTest, DefaultInitiativeIsCreatedOnce) {
  store_->ensure_default_initiative("Imported");
  store_->ensure_default_initiative("Imported");
  EXPECT_EQ(query("SELECT instance, name, is_default FROM initiatives"),
            (Rows{{"connect-prod", "Imported", "1"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordStoreTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
