// The canonical model as the store sees it: one table per entity, one row per record.
//
// The normalizer turns a plugin's record into a CanonicalRecord; the store writes it without
// knowing which provider it came from. Every value travels as text (or null), which binds the
// same way on SQLite, PostgreSQL and MySQL; the column type says how the table stores it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cstddef>

#include "campaign_hub/records.h"

namespace hub {

enum class Entity { campaign, opportunity, participant, step, metrics };
inline constexpr std::size_t kEntityCount = 5;

std::string_view entity_name(Entity entity);
std::optional<Entity> entity_from_name(std::string_view name);
// The table an entity is kept in: "campaigns", "opportunities", ...
std::string_view table_name(Entity entity);

enum class ColumnType { text, real, integer, time, boolean };

struct Column {
  std::string_view name;
  ColumnType type;
};

// The provider-facing columns of an entity, in the order of CanonicalRecord::values. The key
// (instance, external_id) and the hub's bookkeeping columns (content_hash, first_seen,
// last_synced, last_run) are not listed here.
std::span<const Column> columns(Entity entity);

using Value = std::optional<std::string>;

struct CanonicalRecord {
  Entity entity = Entity::campaign;
  std::string external_id;  // for metrics: the campaign's id
  Value status;             // canonical status, when the entity has one
  std::vector<Value> values;
};

// Build rows from records whose fields are already normalized; `status` is the canonical one.
CanonicalRecord to_canonical(const campaign_hub::Campaign& record, Value status);
CanonicalRecord to_canonical(const campaign_hub::Opportunity& record, Value status,
                             const std::string& default_initiative);
CanonicalRecord to_canonical(const campaign_hub::Participant& record, Value status);
CanonicalRecord to_canonical(const campaign_hub::Step& record, Value status);
CanonicalRecord to_canonical(const campaign_hub::Metrics& record);

// Shortest text that reads back as the same number.
std::string number_text(double value);
std::string number_text(std::int64_t value);

}  // namespace hub
