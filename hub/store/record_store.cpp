#include "hub/store/record_store.h"

#include <array>
#include <cstdio>
#include <optional>

#include "hub/model/time.h"

namespace hub {
namespace {

constexpr std::array kEntities = {Entity::campaign, Entity::opportunity, Entity::participant,
                                  Entity::step, Entity::metrics};

std::string placeholders(std::size_t count, std::size_t first = 0) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += (i ? ", :p" : ":p") + std::to_string(first + i);
  }
  return out;
}

// FNV-1a, 64 bits, over every value and its presence.
std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

WriteCounts& WriteCounts::operator+=(const WriteCounts& other) {
  inserted += other.inserted;
  updated += other.updated;
  unchanged += other.unchanged;
  quarantined += other.quarantined;
  return *this;
}

std::string content_hash(const CanonicalRecord& record) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  // A metrics snapshot's time is not part of its content: the same figures read again are
  // the same snapshot.
  std::size_t first = record.entity == Entity::metrics ? 1 : 0;
  for (std::size_t i = first; i < record.values.size(); ++i) {
    const auto& value = record.values[i];
    hash = fnv1a(hash, value ? std::string_view("\x01", 1) : std::string_view("\x00", 1));
    if (value)
      hash = fnv1a(hash, *value);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

// The prepared statements of one entity and the buffers they are bound to. SOCI binds by
// reference, so the buffers are sized once and never reallocated.
struct EntityStatements {
  Entity entity;
  std::optional<std::size_t> status_column;
  std::string instance;
  std::string external_id;
  std::vector<std::string> values;
  std::vector<soci::indicator> indicators;
  std::string hash;
  std::string now;
  long long run = 0;

  std::string found_hash;
  std::string found_status;
  soci::indicator found_hash_indicator = soci::i_null;
  soci::indicator found_status_indicator = soci::i_null;

  std::optional<soci::statement> select;
  std::optional<soci::statement> upsert;
  std::optional<soci::statement> tombstone;  // an upsert that keeps known values

  void load(const CanonicalRecord& record) {
    external_id = record.external_id;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (record.values[i]) {
        values[i] = *record.values[i];
        indicators[i] = soci::i_ok;
      } else {
        values[i].clear();
        indicators[i] = soci::i_null;
      }
    }
  }
};

struct RecordStore::Statements {
  std::vector<std::unique_ptr<EntityStatements>> entities;

  // Status events and quarantine.
  std::string event_entity, event_id, event_from, event_to, event_at;
  soci::indicator event_from_indicator = soci::i_null;
  long long event_run = 0;
  std::optional<soci::statement> insert_event;

  std::string cursor_stream, cursor_value, cursor_at;
  long long cursor_run = 0;
  std::optional<soci::statement> upsert_cursor;

  std::string lease_expires;
  long long lease_run = 0;
  std::optional<soci::statement> renew_lease;

  std::string unlinked_campaign;
  std::optional<soci::statement> unlink_opportunities;

  EntityStatements& of(Entity entity) { return *entities[static_cast<std::size_t>(entity)]; }
};

struct RecordStore::Existing {
  bool found = false;
  std::string hash;
  std::optional<std::string> status;
};

RecordStore::RecordStore(Database& database, std::string instance)
    : database_(database), instance_(std::move(instance)), statements_(new Statements) {
  auto& sql = database_.session();
  auto& s = *statements_;

  for (Entity entity : kEntities) {
    auto e = std::make_unique<EntityStatements>();
    e->entity = entity;
    e->instance = instance_;
    auto cols = columns(entity);
    e->values.resize(cols.size());
    e->indicators.resize(cols.size(), soci::i_null);
    std::string table(table_name(entity));
    std::string column_list;
    std::vector<std::string> updated;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      column_list += ", " + std::string(cols[i].name);
      updated.emplace_back(cols[i].name);
      if (cols[i].name == "status")
        e->status_column = i;
    }

    auto bind_values = [&](soci::details::prepare_temp_type& prepared) {
      for (std::size_t i = 0; i < cols.size(); ++i) {
        prepared, soci::use(e->values[i], e->indicators[i]);
      }
    };

    if (entity == Entity::metrics) {
      e->select.emplace((sql.prepare << "SELECT content_hash FROM metrics_snapshots "
                                        "WHERE instance = :i AND campaign_external_id = :e "
                                        "ORDER BY id DESC LIMIT 1",
                         soci::use(e->instance), soci::use(e->external_id),
                         soci::into(e->found_hash, e->found_hash_indicator)));
      auto prepared = (sql.prepare << "INSERT INTO metrics_snapshots (instance, "
                                      "campaign_external_id, run_id"
                                   << column_list << ", content_hash) VALUES (:i, :e, :r, "
                                   << placeholders(cols.size()) << ", :h)",
                       soci::use(e->instance), soci::use(e->external_id), soci::use(e->run));
      bind_values(prepared);
      prepared, soci::use(e->hash);
      e->upsert.emplace(prepared);
    } else {
      e->select.emplace((sql.prepare << "SELECT content_hash, "
                                     << (e->status_column ? "status" : "NULL") << " FROM " << table
                                     << " WHERE instance = :i AND external_id = :e",
                         soci::use(e->instance), soci::use(e->external_id),
                         soci::into(e->found_hash, e->found_hash_indicator),
                         soci::into(e->found_status, e->found_status_indicator)));
      std::vector<std::string> with_bookkeeping = updated;
      with_bookkeeping.insert(with_bookkeeping.end(), {"content_hash", "last_synced", "last_run"});
      for (bool keep_known : {false, true}) {
        auto prepared =
            (sql.prepare << "INSERT INTO " << table << " (instance, external_id" << column_list
                         << ", content_hash, first_seen, last_synced, last_run) VALUES (:i, :e, "
                         << placeholders(cols.size()) << ", :h, :n1, :n2, :r)"
                         << database_.upsert_clause("instance, external_id", with_bookkeeping,
                                                    keep_known),
             soci::use(e->instance), soci::use(e->external_id));
        bind_values(prepared);
        prepared, soci::use(e->hash), soci::use(e->now), soci::use(e->now), soci::use(e->run);
        (keep_known ? e->tombstone : e->upsert).emplace(prepared);
      }
    }
    s.entities.push_back(std::move(e));
  }

  s.insert_event.emplace((sql.prepare << "INSERT INTO status_events (instance, entity, "
                                         "external_id, from_status, to_status, changed_at, run_id) "
                                         "VALUES (:i, :en, :e, :f, :t, :a, :r)",
                          soci::use(instance_), soci::use(s.event_entity), soci::use(s.event_id),
                          soci::use(s.event_from, s.event_from_indicator), soci::use(s.event_to),
                          soci::use(s.event_at), soci::use(s.event_run)));

  std::vector<std::string> cursor_columns = {"cursor_value", "updated_at", "run_id"};
  s.upsert_cursor.emplace(
      (sql.prepare << "INSERT INTO cursors (instance, stream, cursor_value, updated_at, run_id) "
                      "VALUES (:i, :s, :c, :a, :r)"
                   << database_.upsert_clause("instance, stream", cursor_columns),
       soci::use(instance_), soci::use(s.cursor_stream), soci::use(s.cursor_value),
       soci::use(s.cursor_at), soci::use(s.cursor_run)));

  s.renew_lease.emplace(
      (sql.prepare << "UPDATE leases SET expires_at = :x WHERE instance = :i AND run_id = :r",
       soci::use(s.lease_expires), soci::use(instance_), soci::use(s.lease_run)));

  s.unlink_opportunities.emplace((sql.prepare
                                      << "UPDATE opportunities SET campaign_external_id = NULL "
                                         "WHERE instance = :i AND campaign_external_id = :c",
                                  soci::use(instance_), soci::use(s.unlinked_campaign)));
}

RecordStore::~RecordStore() = default;

RecordStore::Existing RecordStore::find(const CanonicalRecord& record) {
  auto& e = statements_->of(record.entity);
  e.external_id = record.external_id;
  e.found_hash_indicator = soci::i_null;
  e.found_status_indicator = soci::i_null;
  Existing existing;
  existing.found = e.select->execute(true) && e.found_hash_indicator == soci::i_ok;
  if (existing.found) {
    existing.hash = e.found_hash;
    if (e.found_status_indicator == soci::i_ok)
      existing.status = e.found_status;
  }
  return existing;
}

void RecordStore::write_record(const CanonicalRecord& record, const std::string& now,
                               std::int64_t run_id, WriteCounts& counts) {
  auto& s = *statements_;
  auto& e = s.of(record.entity);
  std::string hash = content_hash(record);
  Existing existing = find(record);
  if (existing.found && existing.hash == hash) {
    ++counts.unchanged;
    return;
  }
  e.load(record);
  e.hash = std::move(hash);
  e.now = now;
  e.run = run_id;
  if (record.entity == Entity::metrics && !record.values[0]) {
    e.values[0] = now;  // taken_at: the time of the sync
    e.indicators[0] = soci::i_ok;
  }
  bool tombstone = false;
  if (record.entity != Entity::metrics) {
    // A deleted record keeps what was known of it; only "deleted" and what it says change.
    std::size_t deleted_column = record.values.size() - 2;
    tombstone = record.values[deleted_column] == Value("1");
  }
  (tombstone ? e.tombstone : e.upsert)->execute(true);
  ++(existing.found ? counts.updated : counts.inserted);

  if (existing.found && e.status_column && record.status && existing.status != record.status) {
    s.event_entity = std::string(entity_name(record.entity));
    s.event_id = record.external_id;
    s.event_from = existing.status.value_or("");
    s.event_from_indicator = existing.status ? soci::i_ok : soci::i_null;
    s.event_to = *record.status;
    s.event_at = now;
    s.event_run = run_id;
    s.insert_event->execute(true);
  }
  if (tombstone && record.entity == Entity::campaign) {
    s.unlinked_campaign = record.external_id;
    s.unlink_opportunities->execute(true);
  }
}

WriteCounts RecordStore::write(const Batch& batch, std::int64_t run_id,
                               const std::string& lease_expires) {
  auto& sql = database_.session();
  auto& s = *statements_;
  WriteCounts counts;
  std::string now = utc_now();
  soci::transaction transaction(sql);

  s.lease_expires = lease_expires;
  s.lease_run = run_id;
  s.renew_lease->execute(true);
  if (s.renew_lease->get_affected_rows() != 1) {
    throw LeaseLost("the lease of instance '" + instance_ + "' was taken over by another run");
  }

  for (const auto& record : batch.records)
    write_record(record, now, run_id, counts);

  for (const auto& entry : batch.quarantined) {
    std::string entity(entity_name(entry.entity));
    long long run = run_id;
    soci::indicator id_indicator = entry.external_id.empty() ? soci::i_null : soci::i_ok;
    soci::indicator field_indicator = entry.field.empty() ? soci::i_null : soci::i_ok;
    sql << "INSERT INTO quarantine (instance, run_id, entity, external_id, field, reason, record, "
           "created_at) VALUES (:i, :r, :en, :e, :f, :why, :rec, :a)",
        soci::use(instance_), soci::use(run), soci::use(entity),
        soci::use(entry.external_id, id_indicator), soci::use(entry.field, field_indicator),
        soci::use(entry.reason), soci::use(entry.record_json), soci::use(now);
    ++counts.quarantined;
  }

  for (std::int64_t quarantine_id : batch.resolved_quarantine) {
    long long id = quarantine_id;
    long long run = run_id;
    sql << "UPDATE quarantine SET replayed_run_id = :r WHERE id = :id", soci::use(run),
        soci::use(id);
  }

  for (const auto& [stream, cursor] : batch.cursors) {
    s.cursor_stream = stream;
    s.cursor_value = cursor;
    s.cursor_at = now;
    s.cursor_run = run_id;
    s.upsert_cursor->execute(true);
  }
  transaction.commit();
  return counts;
}

WriteCounts RecordStore::classify(const Batch& batch) {
  WriteCounts counts;
  for (const auto& record : batch.records) {
    Existing existing = find(record);
    if (!existing.found) {
      ++counts.inserted;
    } else if (existing.hash == content_hash(record)) {
      ++counts.unchanged;
    } else {
      ++counts.updated;
    }
  }
  counts.quarantined = static_cast<std::int64_t>(batch.quarantined.size());
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
