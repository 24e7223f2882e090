#include "connectors/json/settings_reader.h"

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>

#include "connectors/json/depth.h"
#include "connectors/json/schema_check.h"

namespace connectors::json {

using rapidjson::Value;

namespace {

// "/timeouts/connect_ms" -> "/properties/timeouts/properties/connect_ms". Settings are objects
// within objects; a pointer into an array has no declared default.
std::string schema_pointer(std::string_view pointer) {
  std::string out;
  std::size_t start = 0;
  while (start < pointer.size() && pointer[start] == '/') {
    const std::size_t end = std::min(pointer.find('/', start + 1), pointer.size());
    out += "/properties/";
    out += pointer.substr(start + 1, end - start - 1);
    start = end;
  }
  return out;
}

const Value* at_pointer(const Value& root, std::string_view pointer) {
  const rapidjson::Pointer parsed(pointer.data(), pointer.size());
  return parsed.IsValid() ? parsed.Get(root) : nullptr;
}

}  // namespace

SettingsSchema::SettingsSchema(std::string_view schema_json) {
  document_.Parse(schema_json.data(), schema_json.size());
  if (document_.HasParseError() || !document_.IsObject()) {
    throw std::logic_error("a settings schema is not a JSON object: " +
                           std::string(rapidjson::GetParseError_En(document_.GetParseError())));
  }
  compiled_ = std::make_unique<rapidjson::SchemaDocument>(document_);
}

SettingsSchema::~SettingsSchema() = default;

const Value* SettingsSchema::default_at(std::string_view pointer) const {
  const Value* declared = at_pointer(document_, schema_pointer(pointer));
  return declared != nullptr ? member(*declared, "default") : nullptr;
}

SettingsReader::SettingsReader(std::string_view json, const SettingsSchema& schema,
                               std::string what)
    : schema_(schema), what_(std::move(what)) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    json = "{}";
  if (auto deep = too_deep(json)) {
    throw SettingsError(what_, "", too_deep_reason(*deep), "");
  }
  document_.Parse(json.data(), json.size());
  if (document_.HasParseError()) {
    throw SettingsError(what_, "",
                        "not valid JSON at offset " + std::to_string(document_.GetErrorOffset()) +
                            ": " + rapidjson::GetParseError_En(document_.GetParseError()),
                        "");
  }
  if (auto violation = first_violation(document_, schema_.document(), schema_.compiled()))
    refuse(violation->pointer, violation->sentence, violation->keyword);
}

const Value* SettingsReader::find(std::string_view pointer) const {
  const Value* given = at_pointer(document_, pointer);
  return given != nullptr && !given->IsNull() ? given : nullptr;
}

const Value* SettingsReader::value(std::string_view pointer) const {
  const Value* given = find(pointer);
  return given != nullptr ? given : schema_.default_at(pointer);
}

const Value& SettingsReader::required(std::string_view pointer) const {
  const Value* found = value(pointer);
  if (found == nullptr) {
    throw std::logic_error(what_ + std::string(pointer) +
                           ": neither given nor declared with a default in the schema");
  }
  return *found;
}

std::string SettingsReader::text(std::string_view pointer) const {
  const Value* found = value(pointer);
  return found != nullptr && found->IsString() ? std::string(as_view(*found)) : std::string();
}

std::int64_t SettingsReader::integer(std::string_view pointer) const {
  const Value& found = required(pointer);
  if (!found.IsInt64())
    throw std::logic_error(what_ + std::string(pointer) + ": the schema lets a non-integer in");
  return found.GetInt64();
}

double SettingsReader::number(std::string_view pointer) const {
  const Value& found = required(pointer);
  if (!found.IsNumber())
    throw std::logic_error(what_ + std::string(pointer) + ": the schema lets a non-number in");
  return found.GetDouble();
}

bool SettingsReader::boolean(std::string_view pointer) const {
  const Value& found = required(pointer);
  if (!found.IsBool())
    throw std::logic_error(what_ + std::string(pointer) + ": the schema lets a non-boolean in");
  return found.GetBool();
}

std::vector<std::string> SettingsReader::texts(std::string_view pointer) const {
  std::vector<std::string> out;
  const Value* found = value(pointer);
  if (found != nullptr && found->IsArray()) {
    for (const auto& each : found->GetArray()) {
      if (each.IsString())
        out.emplace_back(as_view(each));
    }
  }
  return out;
}

void SettingsReader::refuse(std::string_view pointer, const std::string& sentence,
                            std::string_view rule) const {
  throw SettingsError(what_, std::string(pointer), sentence, std::string(rule));
}

namespace {

std::string type_of(const Value& schema) {
  if (const Value* type = member(schema, "type")) {
    if (type->IsString())
      return std::string(as_view(*type));
    if (type->IsArray()) {
      std::string out;
      for (const auto& each : type->GetArray())
        out += (out.empty() ? "" : " or ") + std::string(each.IsString() ? as_view(each) : "?");
      return out;
    }
  }
  if (member(schema, "enum") != nullptr)
    return "one of";
  return "any";
}

void describe_properties(const Value& schema, const std::string& prefix, std::string& out) {
  const Value* properties = member(schema, "properties");
  if (properties == nullptr || !properties->IsObject())
    return;
  for (const auto& property : properties->GetObject()) {
    const Value& rule = property.value;
    const std::string name = prefix + std::string(as_view(property.name));
    std::string line = name + "  " + type_of(rule);
    if (const Value* allowed = member(rule, "enum"); allowed != nullptr && allowed->IsArray()) {
      std::string words;
      for (const auto& each : allowed->GetArray())
        words += (words.empty() ? " " : ", ") + to_json(each);
      line += words;
    }
    if (const Value* items = member(rule, "items"); items != nullptr && items->IsObject()) {
      if (const Value* allowed = member(*items, "enum"); allowed != nullptr && allowed->IsArray()) {
        std::string words;
        for (const auto& each : allowed->GetArray())
          words += (words.empty() ? " of " : ", ") + to_json(each);
        line += words;
      }
    }
    const Value* low = member(rule, "minimum");
    const Value* high = member(rule, "maximum");
    if (low != nullptr && high != nullptr)
      line += ", " + to_json(*low) + " to " + to_json(*high);
    else if (low != nullptr)
      line += ", at least " + to_json(*low);
    else if (high != nullptr)
      line += ", at most " + to_json(*high);
    if (const Value* pattern = member(rule, "pattern"); pattern != nullptr && pattern->IsString())
      line += ", matching " + std::string(as_view(*pattern));
    if (const Value* fallback = member(rule, "default"))
      line += ", default " + to_json(*fallback);
    out += line + "\n";
    if (const Value* description = member(rule, "description");
        description != nullptr && description->IsString()) {
      out += std::string(prefix.size() + 4, ' ') + std::string(as_view(*description)) + "\n";
    }
    describe_properties(rule, name + ".", out);
  }
}

}  // namespace

std::string settings_reference(const SettingsSchema& schema) {
  std::string out;
  describe_properties(schema.document(), "", out);
  return out.empty() ? "(no settings)\n" : out;
}

}  // namespace connectors::json
