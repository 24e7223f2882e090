#include "plugins/salesforce/query_page.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace salesforce {
namespace {

std::string member_text(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString())
    return "";
  return it->value.GetString();
}

}  // namespace

QueryPage parse_query_page(std::string_view body, std::string_view where) {
  QueryPage page;
  auto fail = [where](const std::string& what) {
    throw PageError(std::string(where) + ": " + what);
  };
  page.document.Parse(body.data(), body.size());
  if (page.document.HasParseError()) {
    fail("the answer is not valid JSON (" +
         std::string(rapidjson::GetParseError_En(page.document.GetParseError())) + " at byte " +
         std::to_string(page.document.GetErrorOffset()) + " of " + std::to_string(body.size()) +
         "); nothing of this page was stored");
  }
  if (page.document.IsArray()) {
    std::string error = describe_api_error(body);
    fail("Salesforce answered an error: " + (error.empty() ? std::string("(unreadable)") : error));
  }
  if (!page.document.IsObject())
    fail("the answer is not a JSON object");
  auto records = page.document.FindMember("records");
  if (records == page.document.MemberEnd() || !records->value.IsArray())
    fail("the answer has no \"records\" array");
  if (auto total = page.document.FindMember("totalSize");
      total != page.document.MemberEnd() && total->value.IsInt64()) {
    page.total_size = total->value.GetInt64();
  }
  auto done = page.document.FindMember("done");
  if (done == page.document.MemberEnd() || !done->value.IsBool())
    fail("the answer has no boolean \"done\"");
  page.done = done->value.GetBool();
  auto next = page.document.FindMember("nextRecordsUrl");
  if (next != page.document.MemberEnd() && next->value.IsString() &&
      next->value.GetStringLength() > 0) {
    page.next_records_url = next->value.GetString();
  } else if (next != page.document.MemberEnd() && !next->value.IsNull() &&
             !next->value.IsString()) {
    fail("\"nextRecordsUrl\" is not a string");
  }
  if (!page.done && !page.next_records_url)
    fail("\"done\" is false but there is no \"nextRecordsUrl\" to follow");
  if (page.done)
    page.next_records_url.reset();
  for (const auto& record : records->value.GetArray()) {
    if (!record.IsObject())
      fail("a record is not a JSON object");
  }
  return page;
}

std::string describe_api_error(std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError() || !document.IsArray())
    return "";
  std::string text;
  for (const auto& error : document.GetArray()) {
    if (!error.IsObject())
      continue;
    std::string code = member_text(error, "errorCode");
    std::string message = member_text(error, "message");
    if (code.empty() && message.empty())
      continue;
    text +=
        (text.empty() ? "" : "; ") + code + (code.empty() || message.empty() ? "" : ": ") + message;
  }
  return text;
}

std::string describe_oauth_error(std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject())
    return "";
  std::string error = member_text(document, "error");
  std::string description = member_text(document, "error_description");
  if (error.empty())
    return "";
  return description.empty() ? error : error + ": " + description;
}

std::optional<std::string> api_usage(std::string_view header) {
  constexpr std::string_view key = "api-usage=";
  for (std::size_t at = header.find(key); at != std::string_view::npos;
       at = header.find(key, at + 1)) {
    if (at > 0 && header[at - 1] != ' ' && header[at - 1] != ',' && header[at - 1] != ';')
      continue;  // per-app-api-usage=
    std::string_view value = header.substr(at + key.size());
    value = value.substr(0, value.find_first_of(" ,;("));
    if (value.find('/') == std::string_view::npos)
      return std::nullopt;
    return std::string(value);
  }
  return std::nullopt;
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace salesforce
