// The canonical model as the store sees it: one table per entity, one row per record.
//
// The normalizer turns a plugin's record into a CanonicalRecord; the store writes it without
// knowing which provider it came from. Every value travels as text (or null), which binds the
// same way on SQLite, PostgreSQL and MySQL; the column type says how the table stores it.
#pragma once

#include <array>
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

enum class ColumnType { text, real, integer, time, boolean, json };

struct Column {
  std::string_view name;
  ColumnType type;
};

namespace column_tables {

using enum ColumnType;

inline constexpr std::array kCampaignColumns = {
    Column{"name", text},
    Column{"kind", text},
    Column{"status", text},
    Column{"raw_status", text},
    Column{"owner", text},
    Column{"department", text},
    Column{"manager_email", text},
    Column{"start_at", time},
    Column{"end_at", time},
    Column{"review_by", time},
    Column{"description", text},
    Column{"budget", real},
    Column{"spend", real},
    Column{"currency", text},
    Column{"expected_responses", integer},
    Column{"opportunity_count", integer},
    Column{"connection_count", integer},
    Column{"target_count", integer},
    Column{"provider_created_at", time},
    Column{"provider_updated_at", time},
    Column{"attributes", json},
    Column{"deleted", boolean},
    Column{"raw", text},
};

inline constexpr std::array kOpportunityColumns = {
    Column{"campaign_external_id", text},
    Column{"initiative", text},
    Column{"title", text},
    Column{"summary", text},
    Column{"organisation", text},
    Column{"country", text},
    Column{"contact_name", text},
    Column{"contact_email", text},
    Column{"status", text},
    Column{"raw_status", text},
    Column{"amount", real},
    Column{"currency", text},
    Column{"probability", real},
    Column{"readiness_level", integer},
    Column{"attachment_count", integer},
    Column{"owner", text},
    Column{"submitted_at", time},
    Column{"provider_updated_at", time},
    Column{"attributes", json},
    Column{"deleted", boolean},
    Column{"raw", text},
};

inline constexpr std::array kParticipantColumns = {
    Column{"campaign_external_id", text},
    Column{"name", text},
    Column{"status", text},
    Column{"raw_status", text},
    Column{"started_by", text},
    Column{"started_at", time},
    Column{"finished_at", time},
    Column{"completion", real},
    Column{"assignee", text},
    Column{"provider_updated_at", time},
    Column{"attributes", json},
    Column{"deleted", boolean},
    Column{"raw", text},
};

inline constexpr std::array kStepColumns = {
    Column{"participant_external_id", text},
    Column{"name", text},
    Column{"channel", text},
    Column{"status", text},
    Column{"raw_status", text},
    Column{"due_at", time},
    Column{"executed_at", time},
    Column{"cancelled_at", time},
    Column{"provider_updated_at", time},
    Column{"attributes", json},
    Column{"deleted", boolean},
    Column{"raw", text},
};

inline constexpr std::array kMetricsColumns = {
    Column{"taken_at", time},
    Column{"sent", integer},
    Column{"delivered", integer},
    Column{"opens", integer},
    Column{"unique_opens", integer},
    Column{"clicks", integer},
    Column{"bounces", integer},
    Column{"unsubscribes", integer},
    Column{"abuse_reports", integer},
    Column{"responses", integer},
    Column{"expected_responses", integer},
    Column{"deals_won", integer},
    Column{"spend", real},
    Column{"budget", real},
    Column{"raw", text},
};

}  // namespace column_tables

// The provider-facing columns of an entity, in the order of CanonicalRecord::values. The key
// (instance, external_id) and the hub's bookkeeping columns (content_hash, first_seen,
// last_synced, last_run) are not listed here.
constexpr std::span<const Column> columns(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return column_tables::kCampaignColumns;
    case Entity::opportunity:
      return column_tables::kOpportunityColumns;
    case Entity::participant:
      return column_tables::kParticipantColumns;
    case Entity::step:
      return column_tables::kStepColumns;
    case Entity::metrics:
      return column_tables::kMetricsColumns;
  }
  return {};
}

// The position of column `name` in an entity's values, for code that walks every entity:
// nothing when the entity has no such column (metrics have no status).
constexpr std::optional<std::size_t> find_column(Entity entity, std::string_view name) {
  const std::span<const Column> list = columns(entity);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].name == name)
      return i;
  }
  return std::nullopt;
}

// The same, found when compiling: a name that is not a column of the entity does not compile.
// Code reads `values[column_index(...)]`, never a bare number.
consteval std::size_t column_index(Entity entity, std::string_view name) {
  const std::optional<std::size_t> index = find_column(entity, name);
  if (!index)
    throw "no such column";  // not a constant expression: the call does not compile
  return *index;
}

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
