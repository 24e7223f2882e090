#include "plugins/file-import/import_cursor.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace file_import {

ImportCursor ImportCursor::parse(const std::optional<std::string>& saved) {
  ImportCursor cursor;
  if (!saved || saved->empty()) {
    return cursor;
  }
  rapidjson::Document document;
  document.Parse(saved->data(), saved->size());
  if (document.HasParseError() || !document.IsObject()) {
    throw std::runtime_error(
        "the saved cursor of stream \"files\" is not a JSON object {\"<file name>\": \"<hash>\"}; "
        "reset the instance's state to import every file again");
  }
  for (const auto& member : document.GetObject()) {
    if (!member.value.IsString()) {
      throw std::runtime_error(
          "the saved cursor of stream \"files\" has a hash that is not a "
          "string, for " +
          std::string(member.name.GetString()) +
          "; reset the instance's state to import every file again");
    }
    cursor.hashes_[std::string(member.name.GetString(), member.name.GetStringLength())] =
        std::string(member.value.GetString(), member.value.GetStringLength());
  }
  return cursor;
}

bool ImportCursor::imported(std::string_view name, std::string_view hash) const {
  const auto found = hashes_.find(name);
  return found != hashes_.end() && found->second == hash;
}

void ImportCursor::remember(const std::string& name, const std::string& hash) {
  hashes_[name] = hash;
}

bool ImportCursor::forget_all_but(const std::set<std::string, std::less<>>& names) {
  return std::erase_if(hashes_, [&](const auto& entry) { return !names.contains(entry.first); }) >
         0;
}

std::string ImportCursor::to_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (const auto& [name, hash] : hashes_) {
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    writer.String(hash.data(), static_cast<rapidjson::SizeType>(hash.size()));
  }
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace file_import
