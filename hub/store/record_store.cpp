#include "hub/store/record_store.h"

#include <array>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "hub/model/time.h"
#include "hub/store/change_plan.h"
#include "hub/store/row_values.h"
#include "hub/store/statements.h"

namespace hub {
namespace {

constexpr std::array kEntities = {Entity::campaign, Entity::opportunity, Entity::participant,
                                  Entity::step, Entity::metrics};

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
              "from_raw_status, to_raw_status, changed_at, run_id) VALUES ",
              9, events.size(), "", [&](Parameters& parameters, std::size_t i) {
                const StatusEvent& event = events[i];
                parameters.text(instance);
                parameters.text(std::string(entity_name(event.entity)));
                parameters.text(event.external_id);
                parameters.text(event.from);
                parameters.text(event.to);
                parameters.text(event.from_raw);
                parameters.text(event.to_raw);
                parameters.text(now);
                parameters.integer(run);
              });
}

// Quarantine keeps one open row per (entity, external id, reason): a record that fails the same
// way again updates its row (the record as now emitted, last seen, and the syncs it failed in)
// rather than adding one per sync. A record without an id cannot be matched and gets a row each.
void store_quarantine(Database& database, const std::string& instance,
                      const std::vector<QuarantineEntry>& entries, const std::string& now,
                      long long run) {
  if (entries.empty())
    return;
  struct Open {
    std::int64_t id = 0;
    long long last_run = 0;
  };
  const auto key_of = [](std::string_view entity, std::string_view id, std::string_view reason) {
    std::string key;
    key.reserve(entity.size() + id.size() + reason.size() + 2);
    key.append(entity).append(1, '\0').append(id).append(1, '\0').append(reason);
    return key;
  };
  std::vector<const std::string*> ids;
  for (const auto& entry : entries) {
    if (!entry.external_id.empty())
      ids.push_back(&entry.external_id);
  }
  std::unordered_map<std::string, Open> open;
  in_chunks(
      database.dialect(), ids, [&](Parameters& parameters) { parameters.text(instance); },
      [](Parameters& parameters, const std::string* id) { parameters.text(*id); },
      [&](const std::string& in, Parameters& parameters) {
        each_row(database.session(),
                 "SELECT id, entity, external_id, reason, last_run_id FROM quarantine WHERE "
                 "instance = " +
                     parameters.placeholder(0) +
                     " AND replayed_run_id IS NULL AND external_id IN (" + in + ")",
                 parameters, [&](const soci::row& row) {
                   open[key_of(column_text(row, 1).value_or(""), column_text(row, 2).value_or(""),
                               column_text(row, 3).value_or(""))] = {column_integer(row, 0),
                                                                     column_integer(row, 4)};
                 });
      });

  auto text_or_null = [](const std::string& text) { return text.empty() ? Value() : Value(text); };
  std::vector<const QuarantineEntry*> fresh;
  std::unordered_map<std::string, std::size_t> fresh_at;  // key -> index in `fresh`
  for (const auto& entry : entries) {
    const std::string key = entry.external_id.empty() ? std::string()
                                                      : key_of(entity_name(entry.entity),
                                                               entry.external_id, entry.reason);
    if (key.empty()) {
      fresh.push_back(&entry);
      continue;
    }
    if (auto found = open.find(key); found != open.end()) {
      Parameters parameters(database.dialect());
      parameters.text(text_or_null(entry.field));
      parameters.text(entry.record_json);
      parameters.text(now);
      parameters.integer(run);
      parameters.integer(found->second.last_run == run ? 0 : 1);
      parameters.integer(found->second.id);
      execute(database.session(),
              "UPDATE quarantine SET field = " + parameters.placeholder(0) + ", record = " +
                  parameters.placeholder(1) + ", last_seen = " + parameters.placeholder(2) +
                  ", last_run_id = " + parameters.placeholder(3) + ", times_seen = times_seen + " +
                  parameters.placeholder(4) + " WHERE id = " + parameters.placeholder(5),
              parameters);
      found->second.last_run = run;
    } else if (auto earlier = fresh_at.find(key); earlier != fresh_at.end()) {
      fresh[earlier->second] = &entry;  // twice in one batch: the last occurrence is kept
    } else {
      fresh_at.emplace(key, fresh.size());
      fresh.push_back(&entry);
    }
  }
  insert_rows(database,
              "INSERT INTO quarantine (instance, run_id, entity, external_id, field, reason, "
              "record, created_at, last_seen, last_run_id, times_seen) VALUES ",
              11, fresh.size(), "", [&](Parameters& parameters, std::size_t i) {
                const QuarantineEntry& entry = *fresh[i];
                parameters.text(instance);
                parameters.integer(run);
                parameters.text(std::string(entity_name(entry.entity)));
                parameters.text(text_or_null(entry.external_id));
                parameters.text(text_or_null(entry.field));
                parameters.text(entry.reason);
                parameters.text(entry.record_json);
                parameters.text(now);
                parameters.text(now);
                parameters.integer(run);
                parameters.integer(1);
              });
}

}  // namespace

RecordStore::RecordStore(Database& database, std::string instance)
    : database_(database), instance_(std::move(instance)) {
  long long open = 0;
  database_.session() << "SELECT COUNT(*) FROM quarantine WHERE instance = :i AND "
                         "replayed_run_id IS NULL",
      soci::use(instance_), soci::into(open);
  open_quarantine_ = open > 0;
  rows_ = make_row_writer(database_, instance_);
}

RecordStore::~RecordStore() = default;

StoredRecords RecordStore::fetch_stored(const Batch& batch) {
  StoredRecords stored;
  for (Entity entity : kEntities) {
    auto& records = stored[static_cast<std::size_t>(entity)];
    std::vector<const std::string*> keys;
    std::unordered_set<std::string_view> seen;
    for (const auto& record : batch.records) {
      if (record.entity == entity && seen.insert(record.external_id).second)
        keys.push_back(&record.external_id);
    }
    rows_->find(entity, keys, records);
  }
  return stored;
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
  const std::string now = utc_now();
  const long long run = run_id;
  if (!open_) {
    // The first part of a transaction opens it and renews the lease inside it, so that a
    // lease taken over meanwhile stops this run before anything is written.
    open_.emplace(sql);
    // A lease past its deadline counts as lost even when no one took it yet: a run that
    // stalled that long (paused, cut off) must not commit, whoever comes next.
    Parameters lease(database_.dialect());
    lease.text(lease_expires);
    lease.text(instance_);
    lease.integer(run);
    lease.text(now);
    std::string update = "UPDATE leases SET expires_at = " + lease.placeholder(0) +
                         " WHERE instance = " + lease.placeholder(1) +
                         " AND run_id = " + lease.placeholder(2) +
                         " AND expires_at >= " + lease.placeholder(3);
    if (execute(sql, update, lease) != 1) {
      throw LeaseLost("lost lease: the lease of instance '" + instance_ +
                      "' ran out or was taken over by another run; this batch was rolled back");
    }
  }

  const ChangePlan plan = plan_changes(batch.records, fetch_stored(batch), now);
  WriteCounts counts = plan.counts;
  for (Entity entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
    const auto& rows = plan.rows[static_cast<std::size_t>(entity)];
    for (bool keep_known : {false, true}) {
      std::vector<const RowWrite*> part;
      for (const RowWrite& row : rows) {
        if (row.keep_known == keep_known)
          part.push_back(&row);
      }
      if (!part.empty())
        rows_->upsert(entity, part, keep_known, now, run);
    }
    if (entity == Entity::campaign) {
      in_chunks(
          database_.dialect(), plan.deleted_campaigns,
          [&](Parameters& parameters) { parameters.text(instance_); },
          [](Parameters& parameters, const std::string& id) { parameters.text(id); },
          [&](const std::string& in, Parameters& parameters) {
            execute(sql,
                    "UPDATE opportunities SET campaign_external_id = NULL WHERE instance = " +
                        parameters.placeholder(0) + " AND campaign_external_id IN (" + in + ")",
                    parameters);
          });
    }
  }
  insert_snapshots(database_, instance_, plan.snapshots, run);
  insert_events(database_, instance_, plan.events, now, run);

  // A record stored now resolves what quarantine kept of it from earlier runs (the provider
  // fixed it, or the operator added a mapping): `quarantine list` shows what is still wrong.
  if (open_quarantine_) {
    for (Entity entity :
         {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
      in_chunks(
          database_.dialect(), plan.rows[static_cast<std::size_t>(entity)],
          [&](Parameters& parameters) {
            parameters.integer(run);
            parameters.text(instance_);
            parameters.text(std::string(entity_name(entity)));
          },
          [](Parameters& parameters, const RowWrite& row) {
            parameters.text(row.record().external_id);
          },
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

  store_quarantine(database_, instance_, batch.quarantined, now, run);
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

  for (const SpoolMark& mark : batch.spooled) {
    Parameters parameters(database_.dialect());
    parameters.text(mark.state);
    parameters.text(now);
    parameters.integer(run);
    parameters.text(mark.error.empty() ? Value() : Value(mark.error));
    parameters.integer(mark.id);
    parameters.text(instance_);
    execute(sql,
            "UPDATE webhook_spool SET state = :p0, processed_at = :p1, run_id = :p2, error = "
            ":p3 WHERE id = :p4 AND instance = :p5",
            parameters);
  }

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

std::vector<std::string> RecordStore::unlisted_ids(
    Entity entity, const std::function<bool(std::string_view)>& listed) {
  // Every id of the instance, read from the (instance, external_id) index alone: filtering on
  // `deleted` here would read the whole table, raw payloads included (0.5 s of a 3.6 s sync
  // of 100,000 opportunities). The few ids not listed are then checked one by one.
  const std::string table(table_name(entity));
  std::vector<std::string> unlisted;
  std::string id;
  soci::statement select = (database_.session().prepare << "SELECT external_id FROM " + table +
                                                               " WHERE instance = :instance",
                            soci::into(id), soci::use(instance_));
  select.execute();
  while (select.fetch()) {
    if (!listed(id))
      unlisted.push_back(id);
  }
  std::vector<std::string> live;
  if (unlisted.empty())
    return live;
  int deleted = 0;
  soci::statement check =
      (database_.session().prepare
           << "SELECT deleted FROM " + table + " WHERE instance = :instance AND external_id = :id",
       soci::into(deleted), soci::use(instance_), soci::use(id));
  for (std::string& candidate : unlisted) {
    id = candidate;
    check.execute(true);
    if (check.got_data() && deleted == 0)
      live.push_back(std::move(candidate));
  }
  return live;
}

WriteCounts RecordStore::classify(const Batch& batch) {
  WriteCounts counts;
  StoredRecords stored = fetch_stored(batch);
  for (const auto& record : batch.records) {
    const auto& state = stored[static_cast<std::size_t>(record.entity)][record.external_id];
    if (!state.found) {
      counts.count_inserted(record.entity);
    } else if (same_content(state.hash, record, content_hash(record))) {
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
