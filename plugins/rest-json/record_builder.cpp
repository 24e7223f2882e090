#include "plugins/rest-json/record_builder.h"

#include <campaign_hub/ascii.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "connectors/json/schema_check.h"

namespace rest_json {

using connectors::json::quoted;
using connectors::json::to_json;
namespace {

using rapidjson::Value;

const Scope* up(const Scope& scope, int depth) {
  const Scope* at = &scope;
  for (int i = 0; i < depth && at != nullptr; ++i)
    at = at->parent;
  return at;
}

// The value a reference points at: nothing when absent or null. `key_text` holds a "#key".
const Value* resolve(const Ref& ref, const Scope& scope, std::string& key_text, bool& is_key) {
  const Scope* at = up(scope, ref.depth);
  is_key = false;
  if (at == nullptr || at->record == nullptr)
    return nullptr;
  if (ref.key) {
    is_key = true;
    key_text = std::string(at->key);
    return nullptr;
  }
  const Value* value = ref.pointer.Get(*at->record);
  return value != nullptr && !value->IsNull() ? value : nullptr;
}

std::string number_text(const Value& value) {
  if (value.IsInt64())
    return std::to_string(value.GetInt64());
  if (value.IsUint64())
    return std::to_string(value.GetUint64());
  return to_json(value);
}

std::optional<std::string> scalar_text(const Value& value) {
  if (value.IsString())
    return std::string(value.GetString(), value.GetStringLength());
  if (value.IsNumber())
    return number_text(value);
  if (value.IsBool())
    return value.GetBool() ? "true" : "false";
  return std::nullopt;
}

std::string shown(const Value& value) {
  std::string text = to_json(value);
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

std::optional<double> number_of(const Value& value) {
  if (value.IsNumber())
    return value.GetDouble();
  if (value.IsString()) {
    std::string text(value.GetString(), value.GetStringLength());
    char* end = nullptr;
    double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(number) &&
        text.find_first_of("xXnN") == std::string::npos)  // no hex, nan or inf
      return number;
  }
  return std::nullopt;
}

std::optional<std::int64_t> count_of(const Value& value) {
  if (value.IsInt64())
    return value.GetInt64();
  if (auto number = number_of(value);
      number && std::floor(*number) == *number && std::fabs(*number) < 9.0e15)
    return static_cast<std::int64_t>(*number);
  return std::nullopt;
}

// true and false, also as text ("true", "False") or as 1 and 0, as providers send flags.
std::optional<bool> boolean_of(const Value& value) {
  if (value.IsBool())
    return value.GetBool();
  if (value.IsInt64() && (value.GetInt64() == 0 || value.GetInt64() == 1))
    return value.GetInt64() == 1;
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (campaign_hub::iequals(text, "true") || text == "1")
      return true;
    if (campaign_hub::iequals(text, "false") || text == "0")
      return false;
  }
  return std::nullopt;
}

class Builder {
 public:
  Builder(const RecordRule& rule, const Scope& scope, const LookupTables& lookups,
          const std::vector<Lookup>& names)
      : rule_(rule),
        scope_(scope),
        slots_(entity_fields(rule.entity)),
        lookups_(lookups),
        names_(names) {}

  Built build() {
    Built built{make_record(rule_.entity), std::nullopt, {}};
    for (const auto& field : rule_.fields)
      fill(built, field);
    if (!rule_.attributes.empty())
      fill_attributes(built);
    raw_of(built.record) = to_json(*scope_.record);
    return built;
  }

 private:
  void unfit(Built& built, const FieldRule& field, const std::string& sentence) {
    if (built.unfit)
      return;
    if (field.attribute)
      built.unfit = Unfit{"attributes", "attributes." + field.field + ": " + sentence};
    else
      built.unfit = Unfit{field.field, field.field + ": " + sentence};
  }

  void fill(Built& built, const FieldRule& field) {
    const FieldType type = slots_[field.slot].type;
    switch (field.source) {
      case FieldRule::Source::constant:
        std::visit(
            [&](const auto& constant) {
              using C = std::decay_t<decltype(constant)>;
              if constexpr (std::is_same_v<C, std::string>) {
                put_text(built, field, type, constant, nullptr);
              } else if constexpr (std::is_same_v<C, double>) {
                if (type == FieldType::count)
                  set_field(built.record, field.slot, static_cast<std::int64_t>(constant));
                else
                  set_field(built.record, field.slot, constant);
              } else {
                set_field(built.record, field.slot, constant);
              }
            },
            field.constant);
        return;
      case FieldRule::Source::template_text:
        if (auto text = render(field.text, scope_))
          put_text(built, field, type, *text, nullptr);
        return;
      case FieldRule::Source::sum:
        sum(built, field, type);
        return;
      case FieldRule::Source::count:
        if (auto size = count_elements(built, field))
          set_field(built.record, field.slot, *size);
        return;
      case FieldRule::Source::lookup:
        if (auto text = looked_up(built, field))
          put_text(built, field, type, *text, nullptr);
        return;
      case FieldRule::Source::pointer:
        break;
    }
    std::string key;
    bool is_key = false;
    const Value* value = resolve(field.ref, scope_, key, is_key);
    if (is_key) {
      put_text(built, field, type, key, nullptr);
      return;
    }
    if (value == nullptr)
      return;  // absent or null: the field stays empty
    switch (type) {
      case FieldType::id:
      case FieldType::text:
      case FieldType::time: {
        if (type == FieldType::time && value->IsNumber() && !field.format) {
          if (auto seconds = count_of(*value); seconds && *seconds >= 0) {
            set_field(built.record, field.slot, std::to_string(*seconds));
            return;
          }
        }
        auto text = scalar_text(*value);
        if (!text) {
          unfit(built, field,
                shown(*value) + " at " + field.ref.text + " is " +
                    (value->IsObject() ? "an object" : "an array") + ", not a single value");
          return;
        }
        put_text(built, field, type, *text, value);
        return;
      }
      case FieldType::number:
        if (auto number = number_of(*value)) {
          set_field(built.record, field.slot, *number);
        } else {
          unfit(built, field, shown(*value) + " at " + field.ref.text + " is not a number");
        }
        return;
      case FieldType::count:
        if (auto count = count_of(*value)) {
          set_field(built.record, field.slot, *count);
        } else {
          unfit(built, field, shown(*value) + " at " + field.ref.text + " is not an integer");
        }
        return;
      case FieldType::boolean:
        if (auto flag = boolean_of(*value)) {
          set_field(built.record, field.slot, *flag);
        } else {
          unfit(built, field, shown(*value) + " at " + field.ref.text + " is not true or false");
        }
        return;
      case FieldType::json:
        return;  // attributes are filled by fill_attributes, never as a field
    }
  }

  void put_text(Built& built, const FieldRule& field, FieldType type, const std::string& text,
                const Value* source) {
    if (type == FieldType::number || type == FieldType::count) {
      Value copy(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
      std::optional<double> number = number_of(copy);
      if (!number || (type == FieldType::count && std::floor(*number) != *number)) {
        unfit(built, field,
              quoted(text) + " is not " + (type == FieldType::count ? "an integer" : "a number"));
        return;
      }
      if (type == FieldType::count)
        set_field(built.record, field.slot, static_cast<std::int64_t>(*number));
      else
        set_field(built.record, field.slot, *number);
      return;
    }
    if (type == FieldType::boolean) {
      if (text == "true" || text == "false")
        set_field(built.record, field.slot, text == "true");
      else
        unfit(built, field, quoted(text) + " is not true or false");
      return;
    }
    if (type != FieldType::time || text.empty()) {
      set_field(built.record, field.slot, text);
      return;
    }
    std::optional<std::string> time =
        field.format ? field.format->read(text, field.zone ? &*field.zone : nullptr)
                     : read_any_time(text);
    if (time) {
      set_field(built.record, field.slot, std::move(*time));
    } else if (field.format) {
      std::string where = source != nullptr ? " at " + field.ref.text : std::string();
      unfit(built, field, quoted(text) + where + " does not read as " + field.format->text());
    } else {
      set_field(built.record, field.slot, text);  // the hub says what it expected
    }
  }

  // The elements of an array, or the members of an object: nothing when absent or null.
  std::optional<std::int64_t> count_elements(Built& built, const FieldRule& field) {
    std::string key;
    bool is_key = false;
    const Value* counted = resolve(field.ref, scope_, key, is_key);
    if (counted == nullptr)
      return std::nullopt;
    if (counted->IsArray())
      return static_cast<std::int64_t>(counted->Size());
    if (counted->IsObject())
      return static_cast<std::int64_t>(counted->MemberCount());
    unfit(built, field, field.ref.text + " is " + shown(*counted) + ", not an array to count");
    return std::nullopt;
  }

  // The attributes object: each key from its source, a pointer's value kept as the provider
  // sent it (an object or an array too), a formatted time as UTC text. An absent or null value
  // leaves its key out; a record with no key left has no attributes.
  void fill_attributes(Built& built) {
    rapidjson::Document object(rapidjson::kObjectType);
    auto& allocator = object.GetAllocator();
    for (const auto& field : rule_.attributes) {
      Value value = attribute_value(built, field, allocator);
      if (value.IsNull())
        continue;
      object.AddMember(Value(field.field.c_str(), allocator), std::move(value), allocator);
    }
    if (campaign_hub::Text* attributes = attributes_of(built.record);
        attributes != nullptr && object.MemberCount() > 0) {
      *attributes = to_json(object);
    }
  }

  Value attribute_value(Built& built, const FieldRule& field,
                        rapidjson::Document::AllocatorType& allocator) {
    auto text = [&](const std::string& value) { return Value(value.c_str(), allocator); };
    switch (field.source) {
      case FieldRule::Source::constant:
        return std::visit(
            [&](const auto& constant) -> Value {
              using C = std::decay_t<decltype(constant)>;
              if constexpr (std::is_same_v<C, std::string>)
                return text(constant);
              else
                return Value(constant);
            },
            field.constant);
      case FieldRule::Source::template_text:
        if (auto rendered = render(field.text, scope_))
          return formatted(built, field, *rendered, allocator);
        return Value();
      case FieldRule::Source::count:
        if (auto size = count_elements(built, field))
          return Value(*size);
        return Value();
      case FieldRule::Source::sum:
        if (auto total = sum_of(built, field))
          return Value(*total);
        return Value();
      case FieldRule::Source::lookup:
        if (auto looked = looked_up(built, field))
          return formatted(built, field, *looked, allocator);
        return Value();
      case FieldRule::Source::pointer:
        break;
    }
    std::string key;
    bool is_key = false;
    const Value* value = resolve(field.ref, scope_, key, is_key);
    if (is_key)
      return text(key);
    if (value == nullptr)
      return Value();
    if (field.format && value->IsString())
      return formatted(built, field, std::string(value->GetString(), value->GetStringLength()),
                       allocator);
    return Value(*value, allocator);
  }

  // A time read with the attribute's format, as UTC text; the text as it is without one.
  Value formatted(Built& built, const FieldRule& field, const std::string& text,
                  rapidjson::Document::AllocatorType& allocator) {
    if (!field.format)
      return Value(text.c_str(), allocator);
    auto time = field.format->read(text, field.zone ? &*field.zone : nullptr);
    if (!time) {
      unfit(built, field, quoted(text) + " does not read as " + field.format->text());
      return Value();
    }
    return Value(time->c_str(), allocator);
  }

  void sum(Built& built, const FieldRule& field, FieldType type) {
    auto total = sum_of(built, field);
    if (!total)
      return;
    if (type == FieldType::count)
      set_field(built.record, field.slot, static_cast<std::int64_t>(std::llround(*total)));
    else
      set_field(built.record, field.slot, *total);
  }

  std::optional<double> sum_of(Built& built, const FieldRule& field) {
    std::string key;
    bool is_key = false;
    const Value* array = resolve(field.ref, scope_, key, is_key);
    if (array == nullptr)
      return std::nullopt;
    if (!array->IsArray()) {
      unfit(built, field, field.ref.text + " is " + shown(*array) + ", not an array to sum");
      return std::nullopt;
    }
    double total = 0;
    bool any = false;
    for (const auto& element : array->GetArray()) {
      Scope inner{&element, {}, &scope_};
      std::string inner_key;
      bool inner_is_key = false;
      const Value* value = resolve(field.of, inner, inner_key, inner_is_key);
      if (value == nullptr)
        continue;
      auto number = number_of(*value);
      if (!number) {
        unfit(built, field,
              shown(*value) + " at " + field.ref.text + "[]" + field.of.text + " is not a number");
        return std::nullopt;
      }
      total += *number;
      any = true;
    }
    return any ? std::optional<double>(total) : std::nullopt;
  }

  // The lookup's value for the id at the field's key: nothing when the id is absent, or when
  // the lookup does not hold it (noted in `missed`).
  std::optional<std::string> looked_up(Built& built, const FieldRule& field) {
    std::string key;
    bool is_key = false;
    const Value* value = resolve(field.ref, scope_, key, is_key);
    if (!is_key) {
      if (value == nullptr)
        return std::nullopt;
      auto text = scalar_text(*value);
      if (!text) {
        unfit(built, field, shown(*value) + " at " + field.ref.text + " is not an id to look up");
        return std::nullopt;
      }
      key = std::move(*text);
    }
    const auto& table = lookups_.at(field.lookup);
    auto found = table.find(key);
    if (found == table.end()) {
      built.missed.push_back(names_.at(field.lookup).name + ": " + key);
      return std::nullopt;
    }
    return found->second;
  }

  const RecordRule& rule_;
  const Scope& scope_;
  std::span<const FieldSlot> slots_;
  const LookupTables& lookups_;
  const std::vector<Lookup>& names_;
};

}  // namespace

Built build_record(const RecordRule& rule, const Scope& scope, const LookupTables& lookups,
                   const std::vector<Lookup>& names) {
  return Builder(rule, scope, lookups, names).build();
}

std::optional<std::string> render(const Template& text, const Scope& scope,
                                  std::string_view cursor) {
  std::string out;
  for (const auto& part : text.parts) {
    if (const auto* literal = std::get_if<std::string>(&part)) {
      out += *literal == cursor_marker ? std::string(cursor) : *literal;
      continue;
    }
    const Ref& ref = std::get<Ref>(part);
    std::string key;
    bool is_key = false;
    const Value* value = resolve(ref, scope, key, is_key);
    if (is_key) {
      out += key;
      continue;
    }
    if (value == nullptr)
      return std::nullopt;
    auto piece = scalar_text(*value);
    if (!piece)
      return std::nullopt;
    out += *piece;
  }
  return out;
}

}  // namespace rest_json
