#include "connectors/http/paging.h"

#include <charconv>

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include "campaign_hub/ascii.h"

namespace connectors::http::paging {
namespace {

using campaign_hub::iequals;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// True if the space-separated relation list `rels` names "next".
bool names_next(std::string_view rels) {
  while (!rels.empty()) {
    rels = trim(rels);
    std::size_t end = rels.find_first_of(" \t");
    std::string_view rel = rels.substr(0, end);
    if (iequals(rel, "next"))
      return true;
    if (end == std::string_view::npos)
      break;
    rels.remove_prefix(end);
  }
  return false;
}

const rapidjson::Value* find(const rapidjson::Value& document, std::string_view pointer) {
  rapidjson::Pointer parsed(pointer.data(), pointer.size());
  if (!parsed.IsValid()) {
    throw PagingError("invalid JSON pointer \"" + std::string(pointer) + "\"");
  }
  return parsed.Get(document);
}

}  // namespace

std::optional<std::string> next_link(std::string_view header) {
  // Each link is `<uri>` followed by `;`-separated parameters; links are separated by commas,
  // which may also occur inside the URI, so the URI is read up to its closing `>`.
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t open = header.find('<', pos);
    if (open == std::string_view::npos)
      break;
    std::size_t close = header.find('>', open);
    if (close == std::string_view::npos) {
      throw PagingError("Link header has an unclosed '<': " + std::string(header.substr(0, 200)));
    }
    std::string_view uri = header.substr(open + 1, close - open - 1);
    std::size_t next_link_start = header.find('<', close);
    std::string_view params = header.substr(close + 1, next_link_start == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : next_link_start - close - 1);
    while (!params.empty()) {
      std::size_t semi = params.find(';');
      std::string_view param = trim(params.substr(0, semi));
      params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
      std::size_t eq = param.find('=');
      if (eq == std::string_view::npos)
        continue;
      if (!iequals(trim(param.substr(0, eq)), "rel"))
        continue;
      std::string_view value = trim(param.substr(eq + 1));
      while (!value.empty() && value.back() == ',')
        value = trim(value.substr(0, value.size() - 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (names_next(value))
        return std::string(uri);
    }
    pos = close + 1;
  }
  return std::nullopt;
}

std::optional<std::string> string_at(const rapidjson::Value& document, std::string_view pointer) {
  const rapidjson::Value* value = find(document, pointer);
  if (value == nullptr || value->IsNull())
    return std::nullopt;
  if (value->IsString()) {
    if (value->GetStringLength() == 0)
      return std::nullopt;
    return std::string(value->GetString(), value->GetStringLength());
  }
  if (value->IsInt64())
    return std::to_string(value->GetInt64());
  if (value->IsUint64())
    return std::to_string(value->GetUint64());
  throw PagingError("expected a string or null at JSON pointer \"" + std::string(pointer) + "\"");
}

std::optional<std::string> string_at(std::string_view json_body, std::string_view pointer) {
  rapidjson::Document document;
  document.Parse(json_body.data(), json_body.size());
  if (document.HasParseError()) {
    throw PagingError("page body is not valid JSON (offset " +
                      std::to_string(document.GetErrorOffset()) +
                      "): " + rapidjson::GetParseError_En(document.GetParseError()));
  }
  return string_at(document, pointer);
}

std::optional<std::int64_t> integer_at(const rapidjson::Value& document, std::string_view pointer) {
  const rapidjson::Value* value = find(document, pointer);
  if (value == nullptr || value->IsNull())
    return std::nullopt;
  if (value->IsInt64())
    return value->GetInt64();
  // Some providers send counts as text ("263"): an integer written in digits is read as one.
  if (value->IsString() && value->GetStringLength() > 0 && value->GetStringLength() <= 18) {
    const std::string_view text(value->GetString(), value->GetStringLength());
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size())
      return number;
  }
  throw PagingError("expected an integer at JSON pointer \"" + std::string(pointer) + "\"");
}

std::optional<bool> bool_at(const rapidjson::Value& document, std::string_view pointer) {
  const rapidjson::Value* value = find(document, pointer);
  if (value == nullptr || value->IsNull())
    return std::nullopt;
  if (value->IsBool())
    return value->GetBool();
  throw PagingError("expected true or false at JSON pointer \"" + std::string(pointer) + "\"");
}

std::optional<std::int64_t> next_offset(std::int64_t offset, std::int64_t returned,
                                        std::int64_t total) {
  if (returned <= 0)
    return std::nullopt;
  std::int64_t next = offset + returned;
  if (next >= total)
    return std::nullopt;
  return next;
}

std::optional<std::int64_t> next_page(std::int64_t page, std::int64_t pages,
                                      std::int64_t returned) {
  if (returned <= 0 || page >= pages)
    return std::nullopt;
  return page + 1;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

std::string with_query(std::string_view url, std::string_view name, std::string_view value) {
  std::string_view fragment;
  if (std::size_t hash = url.find('#'); hash != std::string_view::npos) {
    fragment = url.substr(hash);
    url = url.substr(0, hash);
  }
  std::size_t question = url.find('?');
  std::string out(url.substr(0, question));
  std::string encoded_name = percent_encode(name);
  std::string query;
  if (question != std::string_view::npos) {
    std::string_view rest = url.substr(question + 1);
    while (!rest.empty()) {
      std::size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      std::string_view key = pair.substr(0, pair.find('='));
      if (pair.empty() || key == name || key == encoded_name)
        continue;
      if (!query.empty())
        query += '&';
      query += pair;
    }
  }
  if (!query.empty())
    query += '&';
  query += encoded_name;
  query += '=';
  query += percent_encode(value);
  out += '?';
  out += query;
  out += fragment;
  return out;
}

}  // namespace connectors::http::paging
