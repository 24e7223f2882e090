#include "plugins/rest-json/schema_check.h"

#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rest_json {

using rapidjson::Value;

std::string json_text(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string quoted(std::string_view text) {
  return json_text(Value(rapidjson::StringRef(text.data(), text.size())));
}

namespace {

std::string_view view(const Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

const Value* member(const Value& object, const char* name) {
  if (!object.IsObject())
    return nullptr;
  auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

std::string type_name(const Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return value.IsInt64() || value.IsUint64() ? "an integer" : "a fractional number";
  }
  return "a value";
}

std::string schema_type_name(std::string_view type) {
  if (type == "integer" || type == "object" || type == "array")
    return "an " + std::string(type);
  if (type == "null")
    return "null";
  return "a " + std::string(type);
}

std::string expected_types(const Value& schema) {
  const Value* type = member(schema, "type");
  if (type == nullptr)
    return "a different type";
  if (type->IsString())
    return schema_type_name(view(*type));
  std::string out;
  if (type->IsArray()) {
    for (const auto& each : type->GetArray()) {
      if (!out.empty())
        out += " or ";
      out += schema_type_name(view(each));
    }
  }
  return out;
}

std::string joined(const Value& array) {
  std::string out;
  for (const auto& each : array.GetArray()) {
    if (!out.empty())
      out += ", ";
    out += json_text(each);
  }
  return out;
}

std::string property_names(const Value& schema) {
  std::string out;
  if (const Value* properties = member(schema, "properties");
      properties && properties->IsObject()) {
    for (const auto& each : properties->GetObject()) {
      if (!out.empty())
        out += ", ";
      out += view(each.name);
    }
  }
  return out;
}

std::string describe(std::string_view keyword, const Value& schema, const Value* value,
                     std::string_view last_token) {
  const Value* argument = member(schema, std::string(keyword).c_str());
  const auto number = [&] { return argument != nullptr ? json_text(*argument) : std::string("?"); };
  if (keyword == "type") {
    return "must be " + expected_types(schema) +
           (value != nullptr ? ", not " + type_name(*value) : std::string());
  }
  if (keyword == "enum" && argument != nullptr && argument->IsArray()) {
    return "must be one of " + joined(*argument) +
           (value != nullptr ? ", not " + json_text(*value) : std::string());
  }
  if (keyword == "required" && argument != nullptr && argument->IsArray()) {
    for (const auto& name : argument->GetArray()) {
      if (value == nullptr || !value->IsObject() || !value->HasMember(name))
        return "missing required property " + json_text(name);
    }
    return "missing required property";
  }
  if (keyword == "additionalProperties") {
    const std::string known = property_names(schema);
    return "unknown property " + quoted(last_token) +
           (known.empty() ? std::string("; no properties are allowed here")
                          : "; known properties: " + known);
  }
  if (keyword == "minimum")
    return "must be at least " + number();
  if (keyword == "maximum")
    return "must be at most " + number();
  if (keyword == "minLength") {
    if (argument != nullptr && argument->IsUint() && argument->GetUint() == 1)
      return "must not be empty";
    return "must be at least " + number() + " characters long";
  }
  if (keyword == "pattern") {
    return "must match " +
           (argument != nullptr && argument->IsString() ? std::string(view(*argument))
                                                        : std::string("the schema's pattern")) +
           (value != nullptr ? ", not " + json_text(*value) : std::string());
  }
  if (keyword == "minItems")
    return "must have at least " + number() + " entries";
  if (keyword == "minProperties")
    return "must have at least " + number() + " properties";
  return "does not satisfy the schema";
}

}  // namespace

std::optional<std::string> schema_violation(const Value& document,
                                            const rapidjson::Document& schema_source) {
  rapidjson::SchemaDocument schema(schema_source);
  rapidjson::SchemaValidator validator(schema);
  if (document.Accept(validator))
    return std::nullopt;
  const std::string keyword =
      validator.GetInvalidSchemaKeyword() != nullptr ? validator.GetInvalidSchemaKeyword() : "";
  const auto pointer = validator.GetInvalidDocumentPointer();
  const Value* failing = validator.GetInvalidSchemaPointer().Get(schema_source);
  const Value* value = pointer.Get(document);
  std::string last_token;
  if (pointer.GetTokenCount() > 0) {
    const auto& token = pointer.GetTokens()[pointer.GetTokenCount() - 1];
    last_token.assign(token.name, token.length);
  }
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  std::string where(buffer.GetString(), buffer.GetSize());
  static const Value kEmpty(rapidjson::kObjectType);
  return (where.empty() ? std::string("(root)") : where) + ": " +
         describe(keyword, failing != nullptr ? *failing : kEmpty, value, last_token) + " (" +
         keyword + ")";
}

}  // namespace rest_json
