#include "feed_cursor.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace connect_scouting {

using connectors::time::parse_rfc3339;

FeedCursor FeedCursor::parse(std::string_view stream, const std::optional<std::string>& saved) {
  FeedCursor cursor;
  if (!saved || saved->empty())
    return cursor;
  auto invalid = [&](const std::string& what) {
    return std::invalid_argument("the saved cursor of stream " + std::string(stream) + " (" +
                                 *saved + ") " + what +
                                 "; reset it with `campaign-hub state reset` or sync with "
                                 "--full-refresh");
  };
  if (saved->front() != '{') {
    auto instant = parse_rfc3339(*saved);
    if (!instant)
      throw invalid("is neither our JSON cursor nor an RFC 3339 time");
    cursor.at_ = *instant;
    cursor.at_text_ = *saved;
    return cursor;
  }
  rapidjson::Document document;
  document.Parse(saved->data(), saved->size());
  if (document.HasParseError() || !document.IsObject())
    throw invalid("is not a JSON object");
  auto updated = document.FindMember("updated_at");
  if (updated == document.MemberEnd() || !updated->value.IsString())
    throw invalid("has no updated_at text");
  auto instant = parse_rfc3339(updated->value.GetString());
  if (!instant)
    throw invalid("has an updated_at that is not an RFC 3339 time");
  cursor.at_ = *instant;
  cursor.at_text_ = updated->value.GetString();
  if (auto ids = document.FindMember("ids"); ids != document.MemberEnd()) {
    if (!ids->value.IsArray())
      throw invalid("has ids that are not an array");
    for (const auto& id : ids->value.GetArray()) {
      if (!id.IsString())
        throw invalid("has an id that is not text");
      cursor.ids_.emplace(id.GetString(), id.GetStringLength());
    }
  }
  return cursor;
}

std::optional<std::string> FeedCursor::updated_since() const {
  if (!at_)
    return std::nullopt;
  return connectors::time::format_utc({at_->seconds - std::chrono::seconds{1}, at_->fraction});
}

bool FeedCursor::seen(Instant updated, std::string_view id) const {
  if (!at_)
    return false;
  if (updated < *at_)
    return true;
  return updated == *at_ && ids_.find(id) != ids_.end();
}

void FeedCursor::advance(Instant updated, std::string_view updated_text, std::string_view id) {
  if (!at_ || *at_ < updated) {
    at_ = updated;
    at_text_ = std::string(updated_text);
    ids_.clear();
  } else if (updated < *at_) {
    return;  // older than what we hold: changes nothing
  }
  if (!id.empty())
    ids_.emplace(id);
}

std::string FeedCursor::text() const {
  if (!at_)
    return "";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("updated_at");
  writer.String(at_text_.data(), static_cast<rapidjson::SizeType>(at_text_.size()));
  writer.Key("ids");
  writer.StartArray();
  for (const auto& id : ids_)
    writer.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
  writer.EndArray();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace connect_scouting
