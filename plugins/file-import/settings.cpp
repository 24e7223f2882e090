#include "plugins/file-import/settings.h"

#include <algorithm>
#include <array>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace file_import {
namespace {

constexpr std::array campaign_kinds{"scouting", "email", "partner", "task", "multichannel"};

[[noreturn]] void fail(std::string_view where, std::string_view what) {
  throw SettingsError("settings." + std::string(where) + ": " + std::string(what));
}

std::string text_of(const rapidjson::Value& value, std::string_view where) {
  if (!value.IsString() || value.GetStringLength() == 0) {
    fail(where, "must be a non-empty string");
  }
  return {value.GetString(), value.GetStringLength()};
}

std::string join(std::span<const std::string_view> names) {
  std::string text;
  for (auto name : names) {
    text += (text.empty() ? "" : ", ") + std::string(name);
  }
  return text;
}

ColumnMap parse_columns(const rapidjson::Value& value, Entity entity, const std::string& where) {
  if (!value.IsObject()) {
    fail(where, "must be an object of canonical field -> column name");
  }
  const auto known = field_names(entity);
  ColumnMap columns;
  for (const auto& member : value.GetObject()) {
    const std::string field(member.name.GetString(), member.name.GetStringLength());
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      fail(where + "." + field,
           "not a " + std::string(entity_name(entity)) + " field; the fields are: " + join(known));
    }
    columns[field] = text_of(member.value, where + "." + field);
  }
  return columns;
}

std::vector<std::string> parse_patterns(const rapidjson::Value& value) {
  if (value.IsString()) {
    return {text_of(value, "pattern")};
  }
  if (!value.IsArray() || value.Empty()) {
    fail("pattern", "must be a string such as \"*.csv\" or a non-empty array of them");
  }
  std::vector<std::string> patterns;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    patterns.push_back(text_of(value[i], "pattern[" + std::to_string(i) + "]"));
  }
  return patterns;
}

std::vector<FileRule> parse_files(const rapidjson::Value& value) {
  if (!value.IsArray()) {
    fail("files", "must be an array of {\"match\": \"...\", \"entity\": \"...\"}");
  }
  std::vector<FileRule> rules;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string where = "files[" + std::to_string(i) + "]";
    const auto& rule = value[i];
    if (!rule.IsObject() || !rule.HasMember("match") || !rule.HasMember("entity")) {
      fail(where, "must be an object with \"match\" and \"entity\"");
    }
    const auto entity = entity_named(text_of(rule["entity"], where + ".entity"));
    if (!entity) {
      fail(where + ".entity", "must be \"campaign\" or \"opportunity\"");
    }
    rules.push_back({text_of(rule["match"], where + ".match"), *entity});
  }
  return rules;
}

}  // namespace

Settings parse_settings(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    throw SettingsError("settings: not valid JSON at offset " +
                        std::to_string(document.GetErrorOffset()) + ": " +
                        rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) {
    throw SettingsError("settings: must be an object");
  }
  Settings settings;
  for (const auto& member : document.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    const auto& value = member.value;
    if (key == "folder") {
      settings.folder = text_of(value, key);
    } else if (key == "pattern") {
      settings.patterns = parse_patterns(value);
    } else if (key == "files") {
      settings.files = parse_files(value);
    } else if (key == "columns") {
      if (!value.IsObject()) {
        fail(key, "must be an object with \"campaign\" and/or \"opportunity\"");
      }
      for (const auto& entity_columns : value.GetObject()) {
        const std::string name(entity_columns.name.GetString(),
                               entity_columns.name.GetStringLength());
        const auto entity = entity_named(name);
        if (!entity) {
          fail("columns." + name, "unknown entity; use \"campaign\" or \"opportunity\"");
        }
        (*entity == Entity::campaign ? settings.campaign_columns : settings.opportunity_columns) =
            parse_columns(entity_columns.value, *entity, "columns." + name);
      }
    } else if (key == "delimiter") {
      const std::string delimiter = text_of(value, key);
      if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
        fail(key,
             "must be one character other than a quote or a line end, e.g. \",\", \";\" "
             "or \"\\t\"");
      }
      settings.delimiter = delimiter.front();
    } else if (key == "kind") {
      settings.kind = text_of(value, key);
      if (std::find(campaign_kinds.begin(), campaign_kinds.end(), settings.kind) ==
          campaign_kinds.end()) {
        fail(key, "must be one of scouting, email, partner, task, multichannel");
      }
    } else {
      fail(key,
           "unknown setting; the settings are folder, pattern, files, columns, delimiter "
           "and kind");
    }
  }
  if (settings.folder.empty()) {
    fail("folder", "required: the folder to import files from");
  }
  return settings;
}

}  // namespace file_import
