#include "hub/store/record_store.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <optional>
#include <unordered_map>

#include "connectors/text/fnv1a.h"
#include "hub/model/time.h"
#include "hub/store/row_values.h"

namespace hub {
namespace {

constexpr std::array kEntities = {Entity::campaign, Entity::opportunity, Entity::participant,
                                  Entity::step, Entity::metrics};

// A batch is written with a few multi-row statements rather than one per record: one round
// trip for a thousand rows. SOCI 4.0's own vector binding sends one round trip per row on
// PostgreSQL and MySQL, and can re-send old values when a re-executed statement's vectors
// change size (SOCI issue 1167), so each statement here is built for its rows and bound to
// scalars that live as long as its one execution.
constexpr std::size_t kMaxRowsPerStatement = 1000;
// Below SQLite's 32766 host parameters (PostgreSQL and MySQL allow 65535).
constexpr std::size_t kMaxParametersPerStatement = 30000;

// The values of one statement execution, in placeholder order. Deques: binding is by
// reference, and adding a value must not move the ones already bound.
class Parameters {
 public:
  explicit Parameters(Dialect dialect) : anonymous_(dialect == Dialect::sqlite3) {}

  void text(const std::string& value) { add(value, soci::i_ok); }
  void text(const Value& value) { add(value.value_or(""), value ? soci::i_ok : soci::i_null); }
  void integer(long long value) {
    integers_.push_back(value);
    order_.emplace_back(false, integers_.size() - 1);
  }
  std::size_t size() const { return order_.size(); }

  // The placeholder of the next value, for SQL text built alongside: ":p<n>", or "?" on
  // SQLite, whose lookup of named parameters is linear (quadratic over a 20,000-value
  // statement); SOCI's PostgreSQL and MySQL backends need names.
  std::string next() const { return placeholder(order_.size()); }
  std::string placeholder(std::size_t index) const {
    return anonymous_ ? "?" : ":p" + std::to_string(index);
  }

  void bind(soci::statement& statement) {
    for (auto [is_text, index] : order_) {
      if (is_text)
        statement.exchange(soci::use(texts_[index], indicators_[index]));
      else
        statement.exchange(soci::use(integers_[index]));
    }
  }

 private:
  void add(const std::string& value, soci::indicator indicator) {
    texts_.push_back(value);
    indicators_.push_back(indicator);
    order_.emplace_back(true, texts_.size() - 1);
  }

  std::deque<std::string> texts_;
  std::deque<soci::indicator> indicators_;
  std::deque<long long> integers_;
  std::vector<std::pair<bool, std::size_t>> order_;
  bool anonymous_;
};

// Runs `sql` once with `parameters`; answers the rows it changed. A one-time query: on
// PostgreSQL one PQexecParams, no server-side prepared statement left behind.
long long execute(soci::session& session, const std::string& sql, Parameters& parameters) {
  soci::statement statement(session);
  statement.alloc();
  parameters.bind(statement);
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

// Runs the query `sql` and hands every row to `visit`.
template <typename Visit>
void each_row(soci::session& session, const std::string& sql, Parameters& parameters, Visit visit) {
  soci::row row;
  soci::statement statement(session);
  statement.alloc();
  parameters.bind(statement);
  statement.exchange(soci::into(row));
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
  if (!statement.execute(true))
    return;
  do {
    visit(row);
  } while (statement.fetch());
}

// One statement per chunk of at most kMaxRowsPerStatement of `keys`, for a key list in
// "... IN (<list>)": `head` binds the values before the list, `bind` one key, and `run` gets
// the list's placeholders ("?, ?, ?" or ":p1, :p2, :p3") with the parameters to execute.
template <typename Keys, typename Head, typename Bind, typename Run>
void in_chunks(Dialect dialect, const Keys& keys, Head head, Bind bind, Run run) {
  for (std::size_t first = 0; first < keys.size(); first += kMaxRowsPerStatement) {
    std::size_t last = std::min<std::size_t>(keys.size(), first + kMaxRowsPerStatement);
    Parameters parameters(dialect);
    head(parameters);
    std::string in;
    for (std::size_t i = first; i < last; ++i) {
      in += (i == first ? "" : ", ") + parameters.next();
      bind(parameters, keys[i]);
    }
    run(in, parameters);
  }
}

std::size_t rows_per_statement(std::size_t parameters_per_row) {
  return std::max<std::size_t>(
      1, std::min(kMaxRowsPerStatement, kMaxParametersPerStatement / parameters_per_row));
}

std::optional<std::size_t> status_column(Entity entity) {
  auto cols = columns(entity);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == "status")
      return i;
  }
  return std::nullopt;
}

bool is_tombstone(const CanonicalRecord& record) {
  // The record tables end with (deleted, raw).
  return record.entity != Entity::metrics && record.values[record.values.size() - 2] == Value("1");
}

// What the store will write of one record key: the last of its occurrences in the batch.
struct Pending {
  CanonicalRecord record;
  std::string hash;
  // A tombstone keeps what the database knew of the record (COALESCE with the stored row);
  // false once an earlier occurrence in the batch has rewritten the whole row.
  bool keep_known = false;
  std::size_t position = 0;  // in the batch, of the last occurrence
};

struct StatusEvent {
  Entity entity;
  std::string external_id;
  Value from;
  std::string to;
};

// Inserts `count` rows with one statement per chunk: `head` ("INSERT INTO t (a, b) VALUES "),
// then `fill(parameters, i)` adds the values of row i, then `tail` (an upsert clause).
template <typename Fill>
void insert_rows(Database& database, const std::string& head, std::size_t per_row,
                 std::size_t count, const std::string& tail, Fill fill) {
  std::size_t chunk = rows_per_statement(per_row);
  for (std::size_t first = 0; first < count; first += chunk) {
    std::size_t last = std::min(count, first + chunk);
    Parameters parameters(database.dialect());
    std::string sql = head;
    sql.reserve(head.size() + tail.size() + (last - first) * per_row * 8);
    for (std::size_t i = first; i < last; ++i) {
      std::size_t from = parameters.size();
      fill(parameters, i);
      sql += i == first ? "(" : ", (";
      for (std::size_t p = from; p < parameters.size(); ++p) {
        if (p != from)
          sql += ", ";
        sql += parameters.placeholder(p);
      }
      sql += ')';
    }
    sql += tail;
    execute(database.session(), sql, parameters);
  }
}

// Upserts the rows of one entity table; with `keep_known`, a null keeps the stored value.
void write_rows(Database& database, const std::string& instance, Entity entity,
                const std::vector<const Pending*>& rows, bool keep_known, const std::string& now,
                long long run) {
  if (rows.empty())
    return;
  auto cols = columns(entity);
  std::string head = "INSERT INTO " + std::string(table_name(entity)) + " (instance, external_id";
  std::vector<std::string> updated;
  for (const auto& column : cols) {
    head += ", " + std::string(column.name);
    updated.emplace_back(column.name);
  }
  head += ", content_hash, first_seen, last_synced, last_run) VALUES ";
  updated.insert(updated.end(), {"content_hash", "last_synced", "last_run"});
  insert_rows(
      database, head, cols.size() + 6, rows.size(),
      database.upsert_clause("instance, external_id", updated, keep_known, table_name(entity)),
      [&](Parameters& parameters, std::size_t i) {
        const Pending& row = *rows[i];
        parameters.text(instance);
        parameters.text(row.record.external_id);
        for (const auto& value : row.record.values)
          parameters.text(value);
        parameters.text(row.hash);
        parameters.text(now);
        parameters.text(now);
        parameters.integer(run);
      });
}

void insert_snapshots(Database& database, const std::string& instance,
                      const std::vector<CanonicalRecord>& snapshots, long long run) {
  if (snapshots.empty())
    return;
  auto cols = columns(Entity::metrics);
  std::string head = "INSERT INTO metrics_snapshots (instance, campaign_external_id, run_id";
  for (const auto& column : cols)
    head += ", " + std::string(column.name);
  head += ", content_hash) VALUES ";
  insert_rows(database, head, cols.size() + 4, snapshots.size(), "",
              [&](Parameters& parameters, std::size_t i) {
                const CanonicalRecord& record = snapshots[i];
                parameters.text(instance);
                parameters.text(record.external_id);
                parameters.integer(run);
                for (const auto& value : record.values)
                  parameters.text(value);
                parameters.text(content_hash(record));
              });
}

void insert_events(Database& database, const std::string& instance,
                   const std::vector<StatusEvent>& events, const std::string& now, long long run) {
  insert_rows(database,
              "INSERT INTO status_events (instance, entity, external_id, from_status, to_status, "
              "changed_at, run_id) VALUES ",
              7, events.size(), "", [&](Parameters& parameters, std::size_t i) {
                const StatusEvent& event = events[i];
                parameters.text(instance);
                parameters.text(std::string(entity_name(event.entity)));
                parameters.text(event.external_id);
                parameters.text(event.from);
                parameters.text(event.to);
                parameters.text(now);
                parameters.integer(run);
              });
}

void insert_quarantine(Database& database, const std::string& instance,
                       const std::vector<QuarantineEntry>& entries, const std::string& now,
                       long long run) {
  auto text_or_null = [](const std::string& text) { return text.empty() ? Value() : Value(text); };
  insert_rows(database,
              "INSERT INTO quarantine (instance, run_id, entity, external_id, field, reason, "
              "record, created_at) VALUES ",
              8, entries.size(), "", [&](Parameters& parameters, std::size_t i) {
                const QuarantineEntry& entry = entries[i];
                parameters.text(instance);
                parameters.integer(run);
                parameters.text(std::string(entity_name(entry.entity)));
                parameters.text(text_or_null(entry.external_id));
                parameters.text(text_or_null(entry.field));
                parameters.text(entry.reason);
                parameters.text(entry.record_json);
                parameters.text(now);
              });
}

}  // namespace

WriteCounts& WriteCounts::operator+=(const WriteCounts& other) {
  inserted += other.inserted;
  updated += other.updated;
  unchanged += other.unchanged;
  quarantined += other.quarantined;
  for (std::size_t i = 0; i < by_entity.size(); ++i) {
    by_entity[i].inserted += other.by_entity[i].inserted;
    by_entity[i].updated += other.by_entity[i].updated;
    by_entity[i].unchanged += other.by_entity[i].unchanged;
    by_entity[i].quarantined += other.by_entity[i].quarantined;
  }
  return *this;
}

std::string content_hash(const CanonicalRecord& record) {
  // Every value and its presence, so that a null and an empty text differ.
  connectors::text::Fnv1a64 hash;
  // A metrics snapshot's time is not part of its content: the same figures read again are
  // the same snapshot.
  std::size_t first = record.entity == Entity::metrics ? 1 : 0;
  for (std::size_t i = first; i < record.values.size(); ++i) {
    const auto& value = record.values[i];
    hash.add(value ? std::string_view("\x01", 1) : std::string_view("\x00", 1));
    if (value)
      hash.add(*value);
  }
  return hash.hex();
}

// Per entity, per external id (for metrics: per campaign, its latest snapshot): what the
// database holds.
struct RecordStore::Known {
  struct Record {
    bool found = false;
    std::string hash;
    Value status;
  };
  std::array<std::unordered_map<std::string, Record>, kEntities.size()> of;

  std::unordered_map<std::string, Record>& operator[](Entity entity) {
    return of[static_cast<std::size_t>(entity)];
  }
};

RecordStore::RecordStore(Database& database, std::string instance)
    : database_(database), instance_(std::move(instance)) {
  long long open = 0;
  database_.session() << "SELECT COUNT(*) FROM quarantine WHERE instance = :i AND "
                         "replayed_run_id IS NULL",
      soci::use(instance_), soci::into(open);
  open_quarantine_ = open > 0;
  if (database_.dialect() == Dialect::sqlite3) {
    sqlite_ = std::make_unique<SqliteRows>(database_, instance_);
  } else if (database_.dialect() == Dialect::postgresql) {
    postgresql_ = std::make_unique<PostgresqlRows>(database_, instance_);
  }
}

RecordStore::~RecordStore() = default;

RecordStore::Known RecordStore::fetch_known(const Batch& batch) {
  auto& sql = database_.session();
  Known known;
  for (Entity entity : kEntities) {
    std::vector<const std::string*> keys;
    auto& records = known[entity];
    for (const auto& record : batch.records) {
      if (record.entity == entity && records.try_emplace(record.external_id).second)
        keys.push_back(&record.external_id);
    }
    if (sqlite_) {
      for (const std::string* key : keys) {
        if (auto stored = sqlite_->find(entity, *key)) {
          records[*key] = {true, std::move(stored->hash), std::move(stored->status)};
        }
      }
      continue;
    }
    std::string table(table_name(entity));
    bool has_status = status_column(entity).has_value();
    auto instance = [&](Parameters& parameters) { parameters.text(instance_); };
    auto key = [](Parameters& parameters, const std::string* id) { parameters.text(*id); };
    in_chunks(
        database_.dialect(), keys, instance, key,
        [&](const std::string& in, Parameters& parameters) {
          std::string query =
              entity == Entity::metrics
                  ? "SELECT campaign_external_id, content_hash FROM metrics_snapshots WHERE id "
                    "IN (SELECT MAX(id) FROM metrics_snapshots WHERE instance = :p0 AND "
                    "campaign_external_id IN (" +
                        in + ") GROUP BY campaign_external_id)"
                  : "SELECT external_id, content_hash" + std::string(has_status ? ", status" : "") +
                        " FROM " + table + " WHERE instance = :p0 AND external_id IN (" + in + ")";
          each_row(sql, query, parameters, [&](const soci::row& row) {
            auto& found = records[column_text(row, 0).value_or("")];
            found.found = true;
            found.hash = column_text(row, 1).value_or("");
            if (row.size() > 2)
              found.status = column_text(row, 2);
          });
        });
  }
  return known;
}

WriteCounts RecordStore::write(const Batch& batch, std::int64_t run_id,
                               const std::string& lease_expires) {
  try {
    return write_batch(batch, run_id, lease_expires);
  } catch (const LeaseLost&) {
    open_.reset();
    throw;
  } catch (const soci::soci_error& error) {
    // The transaction is rolled back (or died with the connection): nothing of it is
    // stored, and its cursors did not move.
    open_.reset();
    throw DatabaseError("database " + database_.display_url() +
                        ": the batch was not stored: " + database_message(error.what()));
  }
}

WriteCounts RecordStore::write_batch(const Batch& batch, std::int64_t run_id,
                                     const std::string& lease_expires) {
  auto& sql = database_.session();
  WriteCounts counts;
  const std::string now = utc_now();
  const long long run = run_id;
  if (!open_) {
    // The first part of a transaction opens it and renews the lease inside it, so that a
    // lease taken over meanwhile stops this run before anything is written.
    open_.emplace(sql);
    Parameters lease(database_.dialect());
    lease.text(lease_expires);
    lease.text(instance_);
    lease.integer(run);
    std::string update = "UPDATE leases SET expires_at = " + lease.placeholder(0) +
                         " WHERE instance = " + lease.placeholder(1) +
                         " AND run_id = " + lease.placeholder(2);
    if (execute(sql, update, lease) != 1) {
      throw LeaseLost("the lease of instance '" + instance_ + "' was taken over by another run");
    }
  }

  // Walk the batch in order against what the database holds, as if each record were written
  // in turn: the counts and status events are per record, the rows written are the last
  // occurrence of each key.
  Known known = fetch_known(batch);
  std::array<std::unordered_map<std::string, Pending>, kEntities.size()> pending;
  std::array<std::vector<std::string>, kEntities.size()> order;  // keys, first-seen order
  std::vector<CanonicalRecord> snapshots;                        // metrics: every new one
  std::vector<StatusEvent> events;
  std::vector<std::pair<std::string, std::size_t>> deleted_campaigns;  // id, batch position

  for (std::size_t position = 0; position < batch.records.size(); ++position) {
    const CanonicalRecord& record = batch.records[position];
    auto& state = known[record.entity][record.external_id];
    std::string hash = content_hash(record);
    if (state.found && state.hash == hash) {
      counts.count_unchanged(record.entity);
      continue;
    }
    if (state.found) {
      counts.count_updated(record.entity);
    } else {
      counts.count_inserted(record.entity);
    }

    if (record.entity == Entity::metrics) {
      snapshots.push_back(record);
      if (!record.values[0])
        snapshots.back().values[0] = now;  // taken_at: the time of the sync
      state = {true, std::move(hash), std::nullopt};
      continue;
    }

    auto entity = static_cast<std::size_t>(record.entity);
    bool tombstone = is_tombstone(record);
    auto [slot, fresh] = pending[entity].try_emplace(record.external_id);
    Pending& write = slot->second;
    if (fresh) {
      order[entity].push_back(record.external_id);
      write.record = record;
      write.keep_known = tombstone;
    } else if (tombstone) {
      // Overlaid on what the batch already wrote of this record.
      for (std::size_t i = 0; i < record.values.size(); ++i) {
        if (record.values[i])
          write.record.values[i] = record.values[i];
      }
      write.record.status = record.status ? record.status : write.record.status;
    } else {
      write.record = record;
      write.keep_known = false;
    }
    write.hash = hash;
    write.position = position;

    auto column = status_column(record.entity);
    if (state.found && column && record.status && state.status != record.status) {
      events.push_back({record.entity, record.external_id, state.status, *record.status});
    }
    Value stored_status = column ? record.values[*column] : std::nullopt;
    if (tombstone && !stored_status)
      stored_status = state.status;
    state = {true, std::move(hash), std::move(stored_status)};
    if (tombstone && record.entity == Entity::campaign)
      deleted_campaigns.emplace_back(record.external_id, position);
  }

  // An opportunity written before its campaign's tombstone in the batch is unlinked by it.
  auto& opportunities = pending[static_cast<std::size_t>(Entity::opportunity)];
  for (const auto& [campaign, position] : deleted_campaigns) {
    for (auto& [id, write] : opportunities) {
      if (write.position < position && write.record.values[0] == Value(campaign))
        write.record.values[0] = std::nullopt;
    }
  }

  for (Entity entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
    auto index = static_cast<std::size_t>(entity);
    for (bool keep_known : {false, true}) {
      std::vector<const Pending*> rows;
      for (const auto& key : order[index]) {
        const Pending& write = pending[index].at(key);
        if (write.keep_known == keep_known)
          rows.push_back(&write);
      }
      if (sqlite_) {
        for (const Pending* row : rows)
          sqlite_->upsert(row->record, keep_known, row->hash, now, run);
      } else if (postgresql_) {
        std::vector<PostgresqlRows::Row> copied;
        copied.reserve(rows.size());
        for (const Pending* row : rows)
          copied.push_back({&row->record, &row->hash});
        postgresql_->upsert(entity, copied, keep_known, now, run);
      } else {
        write_rows(database_, instance_, entity, rows, keep_known, now, run);
      }
    }
    if (entity == Entity::campaign) {
      in_chunks(
          database_.dialect(), deleted_campaigns,
          [&](Parameters& parameters) { parameters.text(instance_); },
          [](Parameters& parameters, const auto& deleted) { parameters.text(deleted.first); },
          [&](const std::string& in, Parameters& parameters) {
            execute(sql,
                    "UPDATE opportunities SET campaign_external_id = NULL WHERE instance = " +
                        parameters.placeholder(0) + " AND campaign_external_id IN (" + in + ")",
                    parameters);
          });
    }
  }
  insert_snapshots(database_, instance_, snapshots, run);
  insert_events(database_, instance_, events, now, run);

  // A record stored now resolves what quarantine kept of it from earlier runs (the provider
  // fixed it, or the operator added a mapping): `quarantine list` shows what is still wrong.
  if (open_quarantine_) {
    for (Entity entity :
         {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
      in_chunks(
          database_.dialect(), order[static_cast<std::size_t>(entity)],
          [&](Parameters& parameters) {
            parameters.integer(run);
            parameters.text(instance_);
            parameters.text(std::string(entity_name(entity)));
          },
          [](Parameters& parameters, const std::string& id) { parameters.text(id); },
          [&](const std::string& in, Parameters& parameters) {
            execute(sql,
                    "UPDATE quarantine SET replayed_run_id = " + parameters.placeholder(0) +
                        " WHERE instance = " + parameters.placeholder(1) +
                        " AND entity = " + parameters.placeholder(2) +
                        " AND replayed_run_id IS NULL AND external_id IN (" + in + ")",
                    parameters);
          });
    }
  }

  insert_quarantine(database_, instance_, batch.quarantined, now, run);
  counts.count_quarantined(batch.quarantined);
  if (!batch.quarantined.empty())
    open_quarantine_ = true;

  in_chunks(
      database_.dialect(), batch.resolved_quarantine,
      [&](Parameters& parameters) { parameters.integer(run); },
      [](Parameters& parameters, std::int64_t id) { parameters.integer(id); },
      [&](const std::string& in, Parameters& parameters) {
        execute(sql,
                "UPDATE quarantine SET replayed_run_id = " + parameters.placeholder(0) +
                    " WHERE id IN (" + in + ")",
                parameters);
      });

  for (const auto& [stream, cursor] : batch.cursors) {
    Parameters parameters(database_.dialect());
    parameters.text(instance_);
    parameters.text(stream);
    parameters.text(cursor);
    parameters.text(now);
    parameters.integer(run);
    execute(
        sql,
        "INSERT INTO cursors (instance, stream, cursor_value, updated_at, run_id) "
        "VALUES (:p0, :p1, :p2, :p3, :p4)" +
            database_.upsert_clause("instance, stream", {"cursor_value", "updated_at", "run_id"}),
        parameters);
  }
  if (batch.commit) {
    open_->commit();
    open_.reset();
  }
  return counts;
}

WriteCounts RecordStore::classify(const Batch& batch) {
  WriteCounts counts;
  Known known = fetch_known(batch);
  for (const auto& record : batch.records) {
    const auto& state = known[record.entity][record.external_id];
    if (!state.found) {
      counts.count_inserted(record.entity);
    } else if (state.hash == content_hash(record)) {
      counts.count_unchanged(record.entity);
    } else {
      counts.count_updated(record.entity);
    }
  }
  counts.count_quarantined(batch.quarantined);
  return counts;
}

void RecordStore::ensure_default_initiative(const std::string& name) {
  auto& sql = database_.session();
  int count = 0;
  sql << "SELECT COUNT(*) FROM initiatives WHERE instance = :i AND name = :n", soci::use(instance_),
      soci::use(name), soci::into(count);
  if (count == 0) {
    std::string now = utc_now();
    sql << "INSERT INTO initiatives (instance, name, is_default, created_at) "
           "VALUES (:i, :n, 1, :a)",
        soci::use(instance_), soci::use(name), soci::use(now);
  }
}

}  // namespace hub
