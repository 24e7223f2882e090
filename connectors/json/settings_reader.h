// Typed reading of a settings object whose JSON Schema is the one declaration of it: the schema
// says what is allowed and what a setting is when it is left out (`default`), and code reads
// typed values by JSON pointer without checking anything by hand. One reader for every plugin's
// `settings` and the HTTP connector's `http` object.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

namespace connectors::json {

// A settings object that breaks its schema: "<what><pointer>: <sentence> (<rule>)", for example
// "settings/page_size: must be at most 500 (maximum)".
class SettingsError : public std::invalid_argument {
 public:
  SettingsError(const std::string& what, std::string pointer, std::string sentence,
                std::string rule)
      : std::invalid_argument(what + pointer + ": " + sentence +
                              (rule.empty() ? std::string() : " (" + rule + ")")),
        pointer_(std::move(pointer)),
        sentence_(std::move(sentence)),
        rule_(std::move(rule)) {}

  // The parts, for a caller that says where the object sits ("/instances/0/http" + pointer).
  const std::string& pointer() const { return pointer_; }  // "" for the object itself
  const std::string& sentence() const { return sentence_; }
  const std::string& rule() const { return rule_; }  // "" when the text is not JSON

 private:
  std::string pointer_, sentence_, rule_;
};

// A schema parsed once, to read many settings objects with (a plugin keeps one as a static).
class SettingsSchema {
 public:
  // Throws std::logic_error when `schema_json` is not a JSON Schema: that is the program's fault.
  explicit SettingsSchema(std::string_view schema_json);
  ~SettingsSchema();
  SettingsSchema(const SettingsSchema&) = delete;
  SettingsSchema& operator=(const SettingsSchema&) = delete;

  const rapidjson::Document& document() const { return document_; }
  const rapidjson::SchemaDocument& compiled() const { return *compiled_; }

  // The `default` the schema declares at `pointer` of the settings ("/timeouts/connect_ms" is
  // /properties/timeouts/properties/connect_ms/default), or nullptr.
  const rapidjson::Value* default_at(std::string_view pointer) const;

 private:
  rapidjson::Document document_;
  std::unique_ptr<rapidjson::SchemaDocument> compiled_;
};

class SettingsReader {
 public:
  // Parses `json` ("" reads as {}) and checks it against `schema`; throws SettingsError naming
  // `what` (the object's name in messages, "settings" or "http") and the pointer.
  SettingsReader(std::string_view json, const SettingsSchema& schema,
                 std::string what = "settings");

  // Whether the object itself gives the setting.
  bool given(std::string_view pointer) const { return find(pointer) != nullptr; }
  // The given value, else the schema's default, else nullptr.
  const rapidjson::Value* value(std::string_view pointer) const;

  // Typed values: the given one, else the schema's default. A setting with neither is "" for
  // text, an empty list for a list; a number or a boolean with neither is the schema's fault
  // and throws std::logic_error.
  std::string text(std::string_view pointer) const;
  std::int64_t integer(std::string_view pointer) const;
  double number(std::string_view pointer) const;
  bool boolean(std::string_view pointer) const;
  std::vector<std::string> texts(std::string_view pointer) const;

  // For what a schema cannot say (one setting against another): throws SettingsError for
  // `pointer`, worded as the schema's own errors are.
  [[noreturn]] void refuse(std::string_view pointer, const std::string& sentence,
                           std::string_view rule) const;

  const rapidjson::Document& document() const { return document_; }

 private:
  const rapidjson::Value* find(std::string_view pointer) const;
  const rapidjson::Value& required(std::string_view pointer) const;

  const SettingsSchema& schema_;
  std::string what_;
  rapidjson::Document document_;
};

// The settings reference of a schema, for `plugins check`: one line per setting, nested
// settings indented, with type, default, allowed values and range, then the description.
std::string settings_reference(const SettingsSchema& schema);

}  // namespace connectors::json
