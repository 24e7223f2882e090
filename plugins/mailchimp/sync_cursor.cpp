#include "plugins/mailchimp/sync_cursor.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mailchimp {
namespace {

[[noreturn]] void unreadable(std::string_view what) {
  throw std::runtime_error("the saved cursor of stream \"campaigns\" " + std::string(what) +
                           "; reset the instance's state (or sync with --full-refresh) to list "
                           "every campaign and read every report again");
}

}  // namespace

SyncCursor SyncCursor::parse(const std::optional<std::string>& saved) {
  SyncCursor cursor;
  if (!saved || saved->empty()) {
    return cursor;
  }
  rapidjson::Document document;
  document.Parse(saved->data(), saved->size());
  if (document.HasParseError() || !document.IsObject()) {
    unreadable("is not a JSON object");
  }
  auto version = document.FindMember("version");
  if (version == document.MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 1) {
    unreadable("is not of version 1");
  }
  auto pass = document.FindMember("pass");
  if (pass == document.MemberEnd() || !pass->value.IsInt64()) {
    unreadable("has no pass number");
  }
  cursor.pass_ = pass->value.GetInt64();
  if (auto offset = document.FindMember("offset"); offset != document.MemberEnd()) {
    if (!offset->value.IsInt64() || offset->value.GetInt64() < 0) {
      unreadable("has an offset that is not a count");
    }
    cursor.offset_ = offset->value.GetInt64();
  }
  auto campaigns = document.FindMember("campaigns");
  if (campaigns == document.MemberEnd() || !campaigns->value.IsObject()) {
    unreadable("has no campaigns object");
  }
  for (const auto& entry : campaigns->value.GetObject()) {
    const auto& value = entry.value;
    if (!value.IsArray() || value.Size() != 2 || !value[0].IsString() || !value[1].IsInt64()) {
      unreadable("has an entry that is not [fingerprint, pass] for campaign " +
                 std::string(entry.name.GetString(), entry.name.GetStringLength()));
    }
    cursor.campaigns_[std::string(entry.name.GetString(), entry.name.GetStringLength())] = {
        std::string(value[0].GetString(), value[0].GetStringLength()), value[1].GetInt64()};
  }
  return cursor;
}

void SyncCursor::start_pass() {
  ++pass_;
  offset_ = 0;
}

std::optional<std::string> SyncCursor::fingerprint(std::string_view id) const {
  auto found = campaigns_.find(id);
  if (found == campaigns_.end()) {
    return std::nullopt;
  }
  return found->second.fingerprint;
}

void SyncCursor::remember(const std::string& id, const std::string& fingerprint) {
  campaigns_[id] = {fingerprint, pass_};
}

std::vector<std::string> SyncCursor::unlisted() const {
  std::vector<std::string> ids;
  for (const auto& [id, known] : campaigns_) {
    if (known.pass != pass_) {
      ids.push_back(id);
    }
  }
  return ids;
}

std::int64_t SyncCursor::listed() const {
  std::int64_t count = 0;
  for (const auto& entry : campaigns_) {
    count += entry.second.pass == pass_ ? 1 : 0;
  }
  return count;
}

std::string SyncCursor::to_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("version");
  writer.Int(1);
  writer.Key("pass");
  writer.Int64(pass_);
  if (offset_) {
    writer.Key("offset");
    writer.Int64(*offset_);
  }
  writer.Key("campaigns");
  writer.StartObject();
  for (const auto& [id, known] : campaigns_) {
    writer.Key(id.data(), static_cast<rapidjson::SizeType>(id.size()));
    writer.StartArray();
    writer.String(known.fingerprint.data(),
                  static_cast<rapidjson::SizeType>(known.fingerprint.size()));
    writer.Int64(known.pass);
    writer.EndArray();
  }
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace mailchimp
