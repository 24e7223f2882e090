// The canonical fields a mapping may fill, per entity, with their type: one table drives both
// the mapping's checks ("unknown field") and filling the records.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <campaign_hub/records.h>

#include "plugins/rest-json/mapping.h"

namespace rest_json {

// json: an attribute, kept as the provider's JSON value (never a canonical field's type).
enum class FieldType { id, text, time, number, count, boolean, json };

struct FieldSlot {
  std::string_view name;
  FieldType type;
};

std::span<const FieldSlot> entity_fields(Entity entity);
// Canonical statuses of the entity (empty for metrics).
std::span<const std::string_view> canonical_statuses(Entity entity);

using AnyRecord =
    std::variant<campaign_hub::Campaign, campaign_hub::Opportunity, campaign_hub::Participant,
                 campaign_hub::Step, campaign_hub::Metrics>;

AnyRecord make_record(Entity entity);

// A converted value for a slot: text (ids, text and times), a number, a count or a flag.
using FieldValue = std::variant<std::string, double, std::int64_t, bool>;
void set_field(AnyRecord& record, std::size_t slot, FieldValue value);
// The text in a text, time or id slot, if set.
const std::string* text_field(const AnyRecord& record, std::size_t slot);
std::string& raw_of(AnyRecord& record);
// The record's attributes; nothing for metrics, which have none.
campaign_hub::Text* attributes_of(AnyRecord& record);

}  // namespace rest_json
