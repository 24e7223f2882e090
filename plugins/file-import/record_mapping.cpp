#include "plugins/file-import/record_mapping.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <variant>

namespace file_import {
namespace {

using campaign_hub::Campaign;
using campaign_hub::Count;
using campaign_hub::Number;
using campaign_hub::Opportunity;
using campaign_hub::Text;

// Where a field lands in its record; the member's type says how its text is read.
template <class Record>
using Member =
    std::variant<std::string Record::*, Text Record::*, Number Record::*, Count Record::*>;

template <class Record>
struct Field {
  std::string_view name;
  Member<Record> member;
};

constexpr std::array campaign_fields{
    Field<Campaign>{"external_id", &Campaign::external_id},
    Field<Campaign>{"name", &Campaign::name},
    Field<Campaign>{"kind", &Campaign::kind},
    Field<Campaign>{"status", &Campaign::status},
    Field<Campaign>{"owner", &Campaign::owner},
    Field<Campaign>{"department", &Campaign::department},
    Field<Campaign>{"manager_email", &Campaign::manager_email},
    Field<Campaign>{"start", &Campaign::start},
    Field<Campaign>{"end", &Campaign::end},
    Field<Campaign>{"review_by", &Campaign::review_by},
    Field<Campaign>{"description", &Campaign::description},
    Field<Campaign>{"budget", &Campaign::budget},
    Field<Campaign>{"spend", &Campaign::spend},
    Field<Campaign>{"currency", &Campaign::currency},
    Field<Campaign>{"expected_responses", &Campaign::expected_responses},
    Field<Campaign>{"opportunity_count", &Campaign::opportunity_count},
    Field<Campaign>{"connection_count", &Campaign::connection_count},
    Field<Campaign>{"target_count", &Campaign::target_count},
    Field<Campaign>{"created_at", &Campaign::created_at},
    Field<Campaign>{"updated_at", &Campaign::updated_at},
};

constexpr std::array opportunity_fields{
    Field<Opportunity>{"external_id", &Opportunity::external_id},
    Field<Opportunity>{"campaign_id", &Opportunity::campaign_id},
    Field<Opportunity>{"title", &Opportunity::title},
    Field<Opportunity>{"summary", &Opportunity::summary},
    Field<Opportunity>{"organisation", &Opportunity::organisation},
    Field<Opportunity>{"country", &Opportunity::country},
    Field<Opportunity>{"contact_name", &Opportunity::contact_name},
    Field<Opportunity>{"contact_email", &Opportunity::contact_email},
    Field<Opportunity>{"status", &Opportunity::status},
    Field<Opportunity>{"initiative", &Opportunity::initiative},
    Field<Opportunity>{"amount", &Opportunity::amount},
    Field<Opportunity>{"currency", &Opportunity::currency},
    Field<Opportunity>{"probability", &Opportunity::probability},
    Field<Opportunity>{"readiness_level", &Opportunity::readiness_level},
    Field<Opportunity>{"attachment_count", &Opportunity::attachment_count},
    Field<Opportunity>{"owner", &Opportunity::owner},
    Field<Opportunity>{"submitted_at", &Opportunity::submitted_at},
    Field<Opportunity>{"updated_at", &Opportunity::updated_at},
};

template <class Record, std::size_t N>
constexpr std::array<std::string_view, N> names_of(const std::array<Field<Record>, N>& fields) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) {
    names[i] = fields[i].name;
  }
  return names;
}

constexpr auto campaign_field_names = names_of(campaign_fields);
constexpr auto opportunity_field_names = names_of(opportunity_fields);

std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

char column_char(char c) {
  if (c == '-' || c == '_') {
    return ' ';
  }
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

template <class Record, std::size_t N>
Record make_record(const std::array<Field<Record>, N>& table, std::span<const FieldText> fields,
                   std::string&& raw, const BadNumber& bad_number) {
  if (fields.size() != N) {
    throw std::logic_error("file-import: a row has " + std::to_string(fields.size()) +
                           " field texts, the record has " + std::to_string(N) + " fields");
  }
  Record record;
  record.raw = std::move(raw);
  for (std::size_t i = 0; i < N; ++i) {
    const FieldText& field = fields[i];
    if (!field.text || field.text->empty()) {
      continue;
    }
    const std::string_view text = *field.text;
    std::visit(
        [&](auto member) {
          using Value = std::remove_reference_t<decltype(record.*member)>;
          if constexpr (std::is_same_v<Value, Number> || std::is_same_v<Value, Count>) {
            if (trim_spaces(text).empty()) {
              return;
            }
            if constexpr (std::is_same_v<Value, Number>) {
              record.*member = parse_number(text);
            } else {
              record.*member = parse_count(text);
            }
            if (!(record.*member)) {
              bad_number(table[i].name, field.column, text);
            }
          } else {
            record.*member = std::string(text);
          }
        },
        table[i].member);
  }
  return record;
}

}  // namespace

std::string_view entity_name(Entity entity) {
  return entity == Entity::campaign ? "campaign" : "opportunity";
}

std::optional<Entity> entity_named(std::string_view name) {
  if (name == "campaign") {
    return Entity::campaign;
  }
  if (name == "opportunity") {
    return Entity::opportunity;
  }
  return std::nullopt;
}

std::span<const std::string_view> field_names(Entity entity) {
  if (entity == Entity::campaign) {
    return campaign_field_names;
  }
  return opportunity_field_names;
}

bool same_column(std::string_view header, std::string_view wanted) {
  header = trim_spaces(header);
  wanted = trim_spaces(wanted);
  if (header.size() != wanted.size()) {
    return false;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (column_char(header[i]) != column_char(wanted[i])) {
      return false;
    }
  }
  return true;
}

Campaign make_campaign(std::span<const FieldText> fields, std::string raw,
                       const BadNumber& bad_number) {
  return make_record(campaign_fields, fields, std::move(raw), bad_number);
}

Opportunity make_opportunity(std::span<const FieldText> fields, std::string raw,
                             const BadNumber& bad_number) {
  return make_record(opportunity_fields, fields, std::move(raw), bad_number);
}

std::optional<double> parse_number(std::string_view text) {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
  const std::string_view trimmed = trim_spaces(text);
  std::int64_t whole = 0;
  const auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), whole);
  if (!trimmed.empty() && error == std::errc() && end == trimmed.data() + trimmed.size()) {
    return whole;
  }
  const auto value = parse_number(text);
  // 2^63 is exact in a double; anything at or past it does not fit.
  constexpr double limit = 9223372036854775808.0;
  if (!value || std::trunc(*value) != *value || *value >= limit || *value < -limit) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*value);
}

}  // namespace file_import
