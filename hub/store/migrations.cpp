#include "hub/store/migrations.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/model/time.h"

namespace hub {
namespace {

// Written once for all dialects; the placeholders below are spelled per dialect.
//   {id}    an auto-increment primary key       {key}   a short indexed text
//   {text}  long text                          {time}  ISO 8601 UTC text
//   {real}  a double                            {int}   a 64-bit integer
//   {json}  a JSON document
constexpr std::string_view kMigration1[] = {
    R"(CREATE TABLE runs (
  id {id},
  instance {key} NOT NULL,
  state {key} NOT NULL,
  started_at {time} NOT NULL,
  finished_at {time},
  full_refresh {int} NOT NULL DEFAULT 0,
  dry_run {int} NOT NULL DEFAULT 0,
  records_read {int} NOT NULL DEFAULT 0,
  inserted {int} NOT NULL DEFAULT 0,
  updated {int} NOT NULL DEFAULT 0,
  unchanged {int} NOT NULL DEFAULT 0,
  quarantined {int} NOT NULL DEFAULT 0,
  http_requests {int} NOT NULL DEFAULT 0,
  http_retries {int} NOT NULL DEFAULT 0,
  http_bytes {int} NOT NULL DEFAULT 0,
  rate_limit_wait_ms {int} NOT NULL DEFAULT 0,
  error {text},
  details {text}))",
    "CREATE INDEX runs_instance ON runs (instance, id)",

    R"(CREATE TABLE cursors (
  instance {key} NOT NULL,
  stream {key} NOT NULL,
  cursor_value {text} NOT NULL,
  updated_at {time} NOT NULL,
  run_id {int},
  PRIMARY KEY (instance, stream)))",

    R"(CREATE TABLE leases (
  instance {key} NOT NULL PRIMARY KEY,
  run_id {int} NOT NULL,
  holder {key} NOT NULL,
  acquired_at {time} NOT NULL,
  expires_at {time} NOT NULL))",

    R"(CREATE TABLE quarantine (
  id {id},
  instance {key} NOT NULL,
  run_id {int} NOT NULL,
  entity {key} NOT NULL,
  external_id {key},
  field {key},
  reason {text} NOT NULL,
  record {text} NOT NULL,
  created_at {time} NOT NULL,
  replayed_run_id {int}))",
    "CREATE INDEX quarantine_run ON quarantine (run_id)",

    R"(CREATE TABLE status_events (
  id {id},
  instance {key} NOT NULL,
  entity {key} NOT NULL,
  external_id {key} NOT NULL,
  from_status {key},
  to_status {key} NOT NULL,
  changed_at {time} NOT NULL,
  run_id {int} NOT NULL))",
    "CREATE INDEX status_events_record ON status_events (instance, entity, external_id)",

    R"(CREATE TABLE initiatives (
  instance {key} NOT NULL,
  name {key} NOT NULL,
  is_default {int} NOT NULL DEFAULT 0,
  created_at {time} NOT NULL,
  PRIMARY KEY (instance, name)))",

    R"(CREATE TABLE campaigns (
  id {id},
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  name {text},
  kind {key},
  status {key},
  raw_status {text},
  owner {text},
  department {text},
  manager_email {text},
  start_at {time},
  end_at {time},
  review_by {time},
  description {text},
  budget {real},
  spend {real},
  expected_responses {int},
  opportunity_count {int},
  connection_count {int},
  target_count {int},
  provider_created_at {time},
  provider_updated_at {time},
  deleted {int} NOT NULL DEFAULT 0,
  raw {text},
  content_hash {key} NOT NULL,
  first_seen {time} NOT NULL,
  last_synced {time} NOT NULL,
  last_run {int},
  UNIQUE (instance, external_id)))",
    "CREATE INDEX campaigns_status ON campaigns (instance, status)",

    R"(CREATE TABLE opportunities (
  id {id},
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  campaign_external_id {key},
  initiative {key},
  title {text},
  organisation {text},
  contact_name {text},
  contact_email {text},
  status {key},
  raw_status {text},
  amount {real},
  currency {key},
  probability {real},
  submitted_at {time},
  provider_updated_at {time},
  deleted {int} NOT NULL DEFAULT 0,
  raw {text},
  content_hash {key} NOT NULL,
  first_seen {time} NOT NULL,
  last_synced {time} NOT NULL,
  last_run {int},
  UNIQUE (instance, external_id)))",
    "CREATE INDEX opportunities_campaign ON opportunities (instance, campaign_external_id)",

    R"(CREATE TABLE participants (
  id {id},
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  campaign_external_id {key},
  name {text},
  status {key},
  raw_status {text},
  started_by {key},
  started_at {time},
  finished_at {time},
  completion {real},
  assignee {text},
  deleted {int} NOT NULL DEFAULT 0,
  raw {text},
  content_hash {key} NOT NULL,
  first_seen {time} NOT NULL,
  last_synced {time} NOT NULL,
  last_run {int},
  UNIQUE (instance, external_id)))",
    "CREATE INDEX participants_campaign ON participants (instance, campaign_external_id)",

    R"(CREATE TABLE steps (
  id {id},
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  participant_external_id {key},
  name {text},
  channel {key},
  status {key},
  raw_status {text},
  due_at {time},
  executed_at {time},
  cancelled_at {time},
  deleted {int} NOT NULL DEFAULT 0,
  raw {text},
  content_hash {key} NOT NULL,
  first_seen {time} NOT NULL,
  last_synced {time} NOT NULL,
  last_run {int},
  UNIQUE (instance, external_id)))",
    "CREATE INDEX steps_participant ON steps (instance, participant_external_id)",

    R"(CREATE TABLE metrics_snapshots (
  id {id},
  instance {key} NOT NULL,
  campaign_external_id {key} NOT NULL,
  run_id {int} NOT NULL,
  taken_at {time} NOT NULL,
  sent {int},
  delivered {int},
  opens {int},
  unique_opens {int},
  clicks {int},
  bounces {int},
  unsubscribes {int},
  abuse_reports {int},
  responses {int},
  expected_responses {int},
  spend {real},
  budget {real},
  raw {text},
  content_hash {key} NOT NULL))",
    "CREATE INDEX metrics_campaign ON metrics_snapshots (instance, campaign_external_id, id)",
};

// Finding a record's quarantine rows, to resolve them when the record is stored.
constexpr std::string_view kMigration2[] = {
    "CREATE INDEX quarantine_record ON quarantine (instance, entity, external_id)",
};

// One open quarantine row per (instance, entity, external id, reason): a record that keeps
// failing the same way updates its row (last seen, the syncs it failed in) instead of adding one
// per sync. created_at is when it was first seen. Rows from before stay as they were.
constexpr std::string_view kMigration3[] = {
    "ALTER TABLE quarantine ADD last_seen {time}",
    "ALTER TABLE quarantine ADD last_run_id {int}",
    "ALTER TABLE quarantine ADD times_seen {int} NOT NULL DEFAULT 1",
    "UPDATE quarantine SET last_seen = created_at, last_run_id = run_id",
};

// A status event also records the provider's own words: a move between two of the provider's
// statuses that map to one canonical status (a stage within "active") is an event too.
constexpr std::string_view kMigration4[] = {
    "ALTER TABLE status_events ADD from_raw_status {text}",
    "ALTER TABLE status_events ADD to_raw_status {text}",
};

// The canonical model's fields from the seeds (issue 15): what Connect users read on an
// opportunity, a campaign's currency, deals won, and a JSON column per record table for the
// provider's other fields. JSON is JSONB on PostgreSQL and JSON on MySQL/MariaDB, so that SQL
// reaches into it (`attributes->>'pipeline'`); SQLite keeps the text for json_extract().
constexpr std::string_view kMigration5[] = {
    "ALTER TABLE campaigns ADD currency {key}",
    "ALTER TABLE campaigns ADD attributes {json}",
    "ALTER TABLE opportunities ADD summary {text}",
    "ALTER TABLE opportunities ADD country {key}",
    "ALTER TABLE opportunities ADD readiness_level {int}",
    "ALTER TABLE opportunities ADD attachment_count {int}",
    "ALTER TABLE opportunities ADD owner {text}",
    "ALTER TABLE opportunities ADD attributes {json}",
    "ALTER TABLE participants ADD attributes {json}",
    "ALTER TABLE steps ADD attributes {json}",
    "ALTER TABLE metrics_snapshots ADD deals_won {int}",
};

// When the provider last changed an enrolment or a step: a child stream of participants (Clover's
// assignments) can then be read incrementally.
constexpr std::string_view kMigration6[] = {
    "ALTER TABLE participants ADD provider_updated_at {time}",
    "ALTER TABLE steps ADD provider_updated_at {time}",
};

// The hub's own fields, kept apart from the provider's so that no sync overwrites them (issue
// 12): an opportunity's triage (the initiative a person moved it to, its triage state, a note)
// and a campaign's owner when the provider has none, each with who changed it and when, and a
// log of every change.
constexpr std::string_view kMigration7[] = {
    R"(CREATE TABLE opportunity_triage (
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  initiative {key},
  state {key} NOT NULL,
  note {text},
  changed_by {key} NOT NULL,
  changed_at {time} NOT NULL,
  PRIMARY KEY (instance, external_id)))",
    "CREATE INDEX opportunity_triage_state ON opportunity_triage (instance, state)",
    R"(CREATE TABLE campaign_assignments (
  instance {key} NOT NULL,
  external_id {key} NOT NULL,
  owner {text},
  changed_by {key} NOT NULL,
  changed_at {time} NOT NULL,
  PRIMARY KEY (instance, external_id)))",
    R"(CREATE TABLE hub_field_events (
  id {id},
  instance {key} NOT NULL,
  entity {key} NOT NULL,
  external_id {key} NOT NULL,
  field {key} NOT NULL,
  from_value {text},
  to_value {text},
  changed_by {key} NOT NULL,
  changed_at {time} NOT NULL))",
    "CREATE INDEX hub_field_events_record ON hub_field_events (instance, entity, external_id)",
};

// The campaign list and a campaign's detail count each campaign's opportunities and
// participants per status (issue 12). With the deleted flag and the status in the index the
// count reads the index alone; through the campaign index it read every row of the campaign:
// the detail of a campaign of 77,568 opportunities took 482 ms at p95, 19 to 29 ms with these
// (bench/views). Three {key} columns and an {int} stay within MySQL's 3,072-byte key
// (3 x 1,020 + 8).
constexpr std::string_view kMigration8[] = {
    "CREATE INDEX opportunities_funnel ON opportunities (instance, campaign_external_id, "
    "deleted, status)",
    "CREATE INDEX participants_funnel ON participants (instance, campaign_external_id, deleted, "
    "status)",
};

// Migration 8's funnel indexes begin with (instance, campaign_external_id): the campaign
// indexes of migration 1 only cost every insert a page of their own, in campaign order
// (issue 14's profile: SQLite's page reads and writes are two thirds of a first sync).
constexpr std::string_view kMigration9[] = {
    "DROP INDEX opportunities_campaign{on opportunities}",
    "DROP INDEX participants_campaign{on participants}",
};

// Requests providers push (issue 13): kept here, verified, before the hub answers 2xx, and
// ingested later through the store path of a pull sync (hub/webhooks/spool.h says why a
// table). (instance, delivery_id) is the de-duplication window; state is pending until the
// ingestion takes the request (taken, ignored, or quarantined with its error).
constexpr std::string_view kMigration10[] = {
    R"(CREATE TABLE webhook_spool (
  id {id},
  instance {key} NOT NULL,
  delivery_id {key} NOT NULL,
  received_at {time} NOT NULL,
  method {key} NOT NULL,
  path {text},
  query_text {text},
  headers {text},
  body {text},
  body_encoding {key} NOT NULL,
  state {key} NOT NULL,
  processed_at {time},
  run_id {int},
  error {text},
  UNIQUE (instance, delivery_id)))",
    "CREATE INDEX webhook_spool_pending ON webhook_spool (instance, state, id)",
};

// Several serve workers on one database (issue 17): each registers itself and beats while it
// runs; a run records which worker ran it.
constexpr std::string_view kMigration11[] = {
    R"(CREATE TABLE workers (
  id {key} NOT NULL PRIMARY KEY,
  host {key} NOT NULL,
  pid {int} NOT NULL,
  started_at {time} NOT NULL,
  heartbeat_at {time} NOT NULL,
  stopped_at {time}))",
    "ALTER TABLE runs ADD worker {key}",
};

// Claiming among several workers (issue 17). A lease row now stays once made: run_id 0 is a
// free lease. epoch grows with every claim and is the fencing token a run carries (runs.epoch);
// next_at is when the instance is next due, shared by every worker so that a schedule is met
// once, not once per worker; asked marks a run someone asked for; failures counts failed runs
// in a row, for the backoff whichever worker runs it next.
constexpr std::string_view kMigration12[] = {
    "ALTER TABLE leases ADD epoch {int} NOT NULL DEFAULT 0",
    "ALTER TABLE leases ADD next_at {time}",
    "ALTER TABLE leases ADD asked {int} NOT NULL DEFAULT 0",
    "ALTER TABLE leases ADD failures {int} NOT NULL DEFAULT 0",
    "ALTER TABLE runs ADD epoch {int}",
};

struct Migration {
  int version;
  std::vector<std::string_view> statements;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, {std::begin(kMigration1), std::end(kMigration1)}},
      {2, {std::begin(kMigration2), std::end(kMigration2)}},
      {3, {std::begin(kMigration3), std::end(kMigration3)}},
      {4, {std::begin(kMigration4), std::end(kMigration4)}},
      {5, {std::begin(kMigration5), std::end(kMigration5)}},
      {6, {std::begin(kMigration6), std::end(kMigration6)}},
      {7, {std::begin(kMigration7), std::end(kMigration7)}},
      {8, {std::begin(kMigration8), std::end(kMigration8)}},
      {9, {std::begin(kMigration9), std::end(kMigration9)}},
      {10, {std::begin(kMigration10), std::end(kMigration10)}},
      {11, {std::begin(kMigration11), std::end(kMigration11)}},
      {12, {std::begin(kMigration12), std::end(kMigration12)}},
  };
  return all;
}

std::string spell(std::string_view sql, Dialect dialect) {
  struct Word {
    std::string_view placeholder, sqlite3, postgresql, mysql;
  };
  static constexpr Word kWords[] = {
      {"{id}", "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY",
       "BIGINT AUTO_INCREMENT PRIMARY KEY"},
      {"{key}", "TEXT", "VARCHAR(255)", "VARCHAR(255)"},
      {"{text}", "TEXT", "TEXT", "LONGTEXT"},
      {"{time}", "TEXT", "VARCHAR(32)", "VARCHAR(32)"},
      {"{real}", "REAL", "DOUBLE PRECISION", "DOUBLE"},
      // SQLite gives INTEGER and BIGINT the same affinity (64-bit); SOCI reads a column
      // declared INTEGER as a 32-bit int, so it is declared BIGINT for values past 2^31.
      {"{int}", "BIGINT", "BIGINT", "BIGINT"},
      {"{json}", "TEXT", "JSONB", "JSON"},
  };
  std::string out(sql);
  for (const auto& word : kWords) {
    std::string_view replacement = dialect == Dialect::sqlite3      ? word.sqlite3
                                   : dialect == Dialect::postgresql ? word.postgresql
                                                                    : word.mysql;
    for (auto pos = out.find(word.placeholder); pos != std::string::npos;
         pos = out.find(word.placeholder, pos + replacement.size())) {
      out.replace(pos, word.placeholder.size(), replacement);
    }
  }
  // "{on TABLE}": MySQL names the table an index is dropped from; the others do not.
  if (auto at = out.find("{on "); at != std::string::npos) {
    const auto end = out.find('}', at);
    const std::string table = out.substr(at + 4, end - at - 4);
    out.replace(at, end - at + 1, dialect == Dialect::mysql ? " ON " + table : std::string());
  }
  if (dialect == Dialect::mysql && out.starts_with("CREATE TABLE")) {
    out += " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }
  return out;
}

}  // namespace

int latest_schema_version() {
  return migrations().back().version;
}

namespace {

// The highest version in schema_migrations, 0 when it is empty; throws when there is no table.
int recorded_version(Database& database) {
  int version = 0;
  soci::indicator indicator = soci::i_null;
  database.session() << "SELECT MAX(version) FROM schema_migrations",
      soci::into(version, indicator);
  return indicator == soci::i_null ? 0 : version;
}

}  // namespace

int schema_version(Database& database) {
  database.session() << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL "
                        "PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)";
  return recorded_version(database);
}

namespace {

// The schema's version read without taking the lock or making the table; 0 when there is
// no table yet (a fresh database).
int unlocked_version(Database& database) {
  try {
    return recorded_version(database);
  } catch (const soci::soci_error&) {
    return 0;
  }
}

// Migrations are applied by one process at a time: three syncs started at once on a fresh
// database raced to create the same tables ("table runs already exists", pg_type's unique
// index). PostgreSQL and MySQL take a session lock, waited for; SQLite takes its write lock
// at once with BEGIN IMMEDIATE (waited for by the busy timeout) and applies everything in
// that one transaction, since SQLite's DDL is transactional.
class MigrationLock {
 public:
  explicit MigrationLock(Database& database) : database_(database) {
    auto& sql = database_.session();
    switch (database_.dialect()) {
      case Dialect::sqlite3:
        sql << "BEGIN IMMEDIATE";
        break;
      case Dialect::postgresql:
        sql << "SELECT pg_advisory_lock(" << kLockKey << ")";
        break;
      case Dialect::mysql: {
        int got = 0;
        sql << "SELECT GET_LOCK('campaign_hub_migrations', 120)", soci::into(got);
        if (got != 1) {
          throw DatabaseError("database " + database_.display_url() +
                              ": another process held the migration lock for 120 s");
        }
        break;
      }
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

  // SQLite's transaction is the lock: committed when the migrations all went through.
  void commit() {
    if (database_.dialect() == Dialect::sqlite3 && !released_) {
      database_.session() << "COMMIT";
      released_ = true;
    }
  }

  ~MigrationLock() {
    if (released_)
      return;
    try {
      auto& sql = database_.session();
      switch (database_.dialect()) {
        case Dialect::sqlite3:
          sql << "ROLLBACK";
          break;
        case Dialect::postgresql:
          sql << "SELECT pg_advisory_unlock(" << kLockKey << ")";
          break;
        case Dialect::mysql:
          sql << "DO RELEASE_LOCK('campaign_hub_migrations')";
          break;
      }
    } catch (const std::exception&) {
      // The session ends with the process; its locks go with it.
    }
  }

 private:
  static constexpr long long kLockKey = 0x4361'6d70'4875'62;  // "CampHub"
  Database& database_;
  bool released_ = false;
};

}  // namespace

int migrate(Database& database) {
  // Almost every call finds the schema current (each run's process checks it): one read says
  // so without the lock, which would make every start wait for every other.
  if (unlocked_version(database) == latest_schema_version())
    return 0;
  MigrationLock lock(database);
  int current = schema_version(database);
  if (current > latest_schema_version()) {
    throw DatabaseError("database " + database.display_url() + " is at schema version " +
                        std::to_string(current) + ", newer than this hub's " +
                        std::to_string(latest_schema_version()) + ": upgrade the hub");
  }
  int applied = 0;
  auto& sql = database.session();
  const bool one_transaction = database.dialect() == Dialect::sqlite3;
  for (const auto& migration : migrations()) {
    if (migration.version <= current)
      continue;
    // MySQL commits DDL implicitly; the version row then marks how far it got.
    std::optional<soci::transaction> transaction;
    if (!one_transaction)
      transaction.emplace(sql);
    for (auto statement : migration.statements)
      sql << spell(statement, database.dialect());
    std::string now = utc_now();
    sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :t)",
        soci::use(migration.version), soci::use(now);
    if (transaction)
      transaction->commit();
    ++applied;
  }
  lock.commit();
  return applied;
}

}  // namespace hub
