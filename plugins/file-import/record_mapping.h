// Turns one row of a file (a text per canonical field) into a campaign or an opportunity.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "campaign_hub/records.h"

namespace file_import {

enum class Entity { campaign, opportunity };

std::string_view entity_name(Entity entity);  // "campaign", "opportunity"
std::optional<Entity> entity_named(std::string_view name);

// The canonical fields a file can fill for `entity`, in records.h order; "external_id" first.
std::span<const std::string_view> field_names(Entity entity);

// Whether a column header (or NDJSON key) names `wanted`: outer spaces are ignored, ASCII case
// is ignored, and ' ', '-' and '_' are the same ("Contact e-mail" is not "contact_email", but
// "Contact_Email " is).
bool same_column(std::string_view header, std::string_view wanted);

struct FieldText {
  std::string_view column;               // the column or key it came from, for warnings
  std::optional<std::string_view> text;  // nullopt: the row has no such column or key
};

// Told about a value that should be a number but is not; the field is left empty.
using BadNumber =
    std::function<void(std::string_view field, std::string_view column, std::string_view text)>;

// `fields[i]` holds the text for field_names(entity)[i]. Texts are taken as they are (the hub
// trims and maps them); an empty text leaves its field empty. `raw` becomes the record's raw.
campaign_hub::Campaign make_campaign(std::span<const FieldText> fields, std::string raw,
                                     const BadNumber& bad_number);
campaign_hub::Opportunity make_opportunity(std::span<const FieldText> fields, std::string raw,
                                           const BadNumber& bad_number);

// A plain decimal number ("1200", "-3.5", "1e3"; spaces around are fine), or nullopt: no
// thousands separators, currency signs or percent signs, which would be guesses.
std::optional<double> parse_number(std::string_view text);
// A whole number ("12", or "12.0" as spreadsheets export it), or nullopt.
std::optional<std::int64_t> parse_count(std::string_view text);

}  // namespace file_import
