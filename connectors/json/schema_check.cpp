#include "connectors/json/schema_check.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace connectors::json {

using rapidjson::Value;

std::string to_json(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string quoted(std::string_view text) {
  return to_json(Value(rapidjson::StringRef(text.data(), text.size())));
}

std::string_view as_view(const Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

const Value* member(const Value& object, const char* name) {
  if (!object.IsObject()) {
    return nullptr;
  }
  auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

namespace {

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
  if (type == "integer" || type == "object" || type == "array") {
    return "an " + std::string(type);
  }
  if (type == "null") {
    return "null";
  }
  return "a " + std::string(type);
}

std::string expected_types(const Value& schema) {
  auto type = schema.FindMember("type");
  if (type == schema.MemberEnd()) {
    return "a different type";
  }
  if (type->value.IsString()) {
    return schema_type_name(as_view(type->value));
  }
  std::string out;
  if (type->value.IsArray()) {
    for (const auto& each : type->value.GetArray()) {
      if (!out.empty()) {
        out += " or ";
      }
      out += schema_type_name(as_view(each));
    }
  }
  return out;
}

std::string joined(const Value& array, std::string_view separator, bool quote) {
  std::string out;
  for (const auto& each : array.GetArray()) {
    if (!out.empty()) {
      out += separator;
    }
    out += quote || !each.IsString() ? to_json(each) : std::string(as_view(each));
  }
  return out;
}

std::string property_names(const Value& schema) {
  std::string out;
  auto properties = schema.FindMember("properties");
  if (properties != schema.MemberEnd() && properties->value.IsObject()) {
    for (const auto& member : properties->value.GetObject()) {
      if (!out.empty()) {
        out += ", ";
      }
      out += as_view(member.name);
    }
  }
  return out;
}

bool is_true(const Value* value) {
  return value != nullptr && value->IsBool() && value->GetBool();
}

// One human sentence for the schema keyword that failed. `schema` is the failing subschema,
// `value` the offending value (null when not found), `last_token` the last token of the
// document pointer.
std::string describe(std::string_view keyword, const Value& schema, const Value* value,
                     std::string_view last_token) {
  const Value* argument = member(schema, std::string(keyword).c_str());
  const auto number = [&] { return argument != nullptr ? to_json(*argument) : std::string("?"); };

  if (keyword == "type") {
    return "must be " + expected_types(schema) +
           (value != nullptr ? ", not " + type_name(*value) : std::string());
  }
  if (keyword == "enum" && argument != nullptr && argument->IsArray()) {
    return "must be one of " + joined(*argument, ", ", true) +
           (value != nullptr ? ", not " + to_json(*value) : std::string());
  }
  if (keyword == "required" && argument != nullptr && argument->IsArray()) {
    for (const auto& name : argument->GetArray()) {
      if (value == nullptr || !value->IsObject() || !value->HasMember(name)) {
        return "missing required property " + to_json(name);
      }
    }
    return "missing required property";
  }
  if (keyword == "additionalProperties") {
    const std::string known = property_names(schema);
    return "unknown property " + quoted(last_token) +
           (known.empty() ? std::string("; no properties are allowed here")
                          : "; known properties: " + known);
  }
  if (keyword == "minimum") {
    return (is_true(member(schema, "exclusiveMinimum")) ? "must be greater than "
                                                        : "must be at least ") +
           number();
  }
  if (keyword == "maximum") {
    return (is_true(member(schema, "exclusiveMaximum")) ? "must be less than "
                                                        : "must be at most ") +
           number();
  }
  if (keyword == "minLength") {
    if (argument != nullptr && argument->IsUint() && argument->GetUint() == 1) {
      return "must not be empty";
    }
    return "must be at least " + number() + " characters long";
  }
  if (keyword == "maxLength") {
    return "must be at most " + number() + " characters long";
  }
  if (keyword == "pattern") {
    return "must match " +
           (argument != nullptr && argument->IsString() ? std::string(as_view(*argument))
                                                        : std::string("the schema's pattern")) +
           (value != nullptr ? ", not " + to_json(*value) : std::string());
  }
  if (keyword == "minItems") {
    return "must have at least " + number() + " entries";
  }
  if (keyword == "maxItems") {
    return "must have at most " + number() + " entries";
  }
  if (keyword == "uniqueItems") {
    return "must not repeat an entry";
  }
  if (keyword == "minProperties") {
    return "must have at least " + number() + " properties";
  }
  if (keyword == "maxProperties") {
    return "must have at most " + number() + " properties";
  }
  if (keyword == "multipleOf") {
    return "must be a multiple of " + number();
  }
  return "does not satisfy the schema";
}

std::string stringify(const rapidjson::SchemaValidator::PointerType& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::optional<SchemaViolation> first_violation(const Value& document,
                                               const rapidjson::Document& schema_source,
                                               const rapidjson::SchemaDocument& schema) {
  rapidjson::SchemaValidator validator(schema);
  if (document.Accept(validator))
    return std::nullopt;
  const std::string keyword =
      validator.GetInvalidSchemaKeyword() != nullptr ? validator.GetInvalidSchemaKeyword() : "";
  const auto document_pointer = validator.GetInvalidDocumentPointer();
  const Value* failing = validator.GetInvalidSchemaPointer().Get(schema_source);
  const Value* value = document_pointer.Get(document);
  std::string last_token;
  if (document_pointer.GetTokenCount() > 0) {
    const auto& token = document_pointer.GetTokens()[document_pointer.GetTokenCount() - 1];
    last_token.assign(token.name, token.length);
  }
  static const Value kEmptySchema(rapidjson::kObjectType);
  return SchemaViolation{
      stringify(document_pointer),
      describe(keyword, failing != nullptr ? *failing : kEmptySchema, value, last_token), keyword};
}

std::optional<std::string> schema_violation(const Value& document,
                                            const rapidjson::Document& schema_source) {
  rapidjson::SchemaDocument schema(schema_source);
  auto violation = first_violation(document, schema_source, schema);
  if (!violation)
    return std::nullopt;
  return (violation->pointer.empty() ? std::string("(root)") : violation->pointer) + ": " +
         violation->sentence + " (" + violation->keyword + ")";
}

std::optional<std::string> schema_violation(std::string_view json, std::string_view schema_json) {
  rapidjson::Document schema_source;
  schema_source.Parse(schema_json.data(), schema_json.size());
  if (schema_source.HasParseError()) {
    return std::string(": the schema is not valid JSON: ") +
           rapidjson::GetParseError_En(schema_source.GetParseError());
  }
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    return std::string(": not valid JSON: ") +
           rapidjson::GetParseError_En(document.GetParseError());
  }
  return schema_violation(document, schema_source);
}

}  // namespace connectors::json
