#include "plugins/rest-json/probe.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <optional>

#include <campaign_hub/ascii.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "connectors/http/paging.h"
#include "plugins/rest-json/times.h"

namespace rest_json {
namespace {

using rapidjson::Value;

std::string lower(std::string_view text) {
  return campaign_hub::ascii_lower(text);
}

// A member of the answer, found walking it breadth first to depth 3.
struct Member {
  std::string pointer;
  std::string name;  // lower case
  const Value* value;
};

std::vector<Member> members_of(const Value& body) {
  std::vector<Member> out;
  std::deque<std::pair<const Value*, std::pair<std::string, int>>> todo = {{&body, {"", 0}}};
  while (!todo.empty()) {
    auto [value, where] = todo.front();
    todo.pop_front();
    if (!value->IsObject())
      continue;
    for (const auto& each : value->GetObject()) {
      std::string_view name(each.name.GetString(), each.name.GetStringLength());
      std::string pointer = where.first + "/" + pointer_token(name);
      out.push_back({pointer, lower(name), &each.value});
      if (each.value.IsObject() && where.second < 2)
        todo.push_back({&each.value, {pointer, where.second + 1}});
    }
  }
  return out;
}

bool url_like(const Value& value) {
  if (!value.IsString())
    return false;
  std::string_view text(value.GetString(), value.GetStringLength());
  return text.starts_with("http://") || text.starts_with("https://") ||
         (text.starts_with('/') && text.size() > 1) || text.starts_with('?');
}

std::optional<std::int64_t> integer_of(const Value& value) {
  if (value.IsInt64())
    return value.GetInt64();
  if (value.IsString() && value.GetStringLength() > 0 && value.GetStringLength() < 19) {
    std::string_view text(value.GetString(), value.GetStringLength());
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::stoll(std::string(text));
  }
  return std::nullopt;
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The query parameters of `url`, names as written.
std::vector<std::string> query_names(std::string_view url) {
  std::vector<std::string> names;
  auto mark = url.find('?');
  if (mark == std::string_view::npos)
    return names;
  std::string_view query = url.substr(mark + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    names.emplace_back(pair.substr(0, pair.find('=')));
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return names;
}

// The first of `candidates` that the URL already sends, else the first candidate.
std::string param_among(std::string_view url, std::initializer_list<std::string_view> candidates) {
  auto sent = query_names(url);
  for (auto candidate : candidates) {
    for (const auto& name : sent) {
      if (lower(name) == candidate)
        return name;
    }
  }
  return std::string(*candidates.begin());
}

// The records: the answer itself when it is an array, else its longest array of objects
// (the shallowest of equals), down to depth 3.
void find_records(const Value& body, Probe& probe) {
  if (body.IsArray()) {
    probe.found_records = true;
    probe.records = "";
    probe.record_count = body.Size();
    return;
  }
  std::size_t best_depth = 99;
  for (const auto& member : members_of(body)) {
    if (!member.value->IsArray() || member.value->Empty() || !(*member.value)[0].IsObject())
      continue;
    const std::size_t depth =
        static_cast<std::size_t>(std::count(member.pointer.begin(), member.pointer.end(), '/'));
    if (!probe.found_records || member.value->Size() > probe.record_count ||
        (member.value->Size() == probe.record_count && depth < best_depth)) {
      probe.found_records = true;
      probe.records = member.pointer;
      probe.record_count = member.value->Size();
      best_depth = depth;
    }
  }
}

void find_paging(const Value& body, const campaign_hub::HttpResponse& response,
                 std::string_view url, Probe& probe) {
  Paging& paging = probe.paging;
  if (connectors::http::paging::next_link(response.header("Link").value_or(""))) {
    paging.kind = Paging::Kind::link_header;
    probe.paging_why = "a Link header with rel=\"next\"";
    return;
  }
  if (!body.IsObject())
    return;
  const auto members = members_of(body);
  for (const auto& m : members) {
    const bool named_next = m.name.find("next") != std::string::npos || m.name == "suivant" ||
                            m.pointer.find("/next") != std::string::npos;
    if (named_next && url_like(*m.value)) {
      paging.kind = Paging::Kind::next_url;
      paging.next = m.pointer;
      probe.paging_why = "a next URL at " + m.pointer;
      return;
    }
  }
  for (const auto& m : members) {
    const bool token_name =
        one_of(m.name,
               {"next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "next_token",
                "nexttoken", "cursor", "after", "continuation", "continuation_token", "next"}) ||
        m.pointer.ends_with("/next/after");
    if (token_name && (m.value->IsNull() || (m.value->IsString() && !url_like(*m.value)))) {
      paging.kind = Paging::Kind::cursor;
      paging.next = m.pointer;
      std::string param = m.name;
      if (param.starts_with("next_"))
        param = param.substr(5);
      else if (param == "nextpagetoken")
        param = "pageToken";
      else if (param == "nextcursor" || param == "next")
        param = "cursor";
      paging.param = param_among(url, {param});
      probe.paging_why =
          "a cursor token at " + m.pointer + " (" +
          (m.value->IsNull() ? "null: this is the last page" : "sent back as " + paging.param) +
          ")";
      return;
    }
  }
  const Member* page = nullptr;
  const Member* pages = nullptr;
  const Member* total = nullptr;
  for (const auto& m : members) {
    if (!integer_of(*m.value))
      continue;
    if (page == nullptr && one_of(m.name, {"page", "current_page", "page_number", "pagenumber"}))
      page = &m;
    if (pages == nullptr && one_of(m.name, {"pages", "total_pages", "totalpages", "last_page",
                                            "page_count", "pagecount", "num_pages"}))
      pages = &m;
    if (total == nullptr && one_of(m.name, {"total", "total_count", "totalcount", "total_items",
                                            "totalitems", "totalsize", "total_results", "count"}))
      total = &m;
  }
  if (pages != nullptr) {
    paging.kind = Paging::Kind::page;
    paging.pages = pages->pointer;
    paging.page_param =
        page != nullptr ? param_among(url, {page->name, "page"}) : param_among(url, {"page"});
    for (const auto& name : query_names(url)) {
      if (one_of(lower(name), {"per_page", "page_size", "pagesize", "size", "limit"})) {
        paging.size_param = name;
        paging.size = std::max<std::int64_t>(1, static_cast<std::int64_t>(probe.record_count));
      }
    }
    probe.paging_why = "a page count at " + pages->pointer;
    return;
  }
  if (total != nullptr && probe.found_records) {
    paging.kind = Paging::Kind::offset;
    paging.total = total->pointer;
    paging.offset_param = param_among(url, {"offset", "start", "skip", "from"});
    paging.limit_param = param_among(url, {"limit", "count", "size", "per_page", "take"});
    paging.limit = std::max<std::int64_t>(1, static_cast<std::int64_t>(probe.record_count));
    probe.paging_why = "a total at " + total->pointer + " (pages follow by offset)";
  }
}

// Canonical fields whose provider names are common enough to guess; the rest are attributes.
void guess_fields(const Value& first, Probe& probe) {
  if (!first.IsObject())
    return;
  struct Guess {
    std::string_view field;
    std::array<std::string_view, 8> names;
  };
  // Campaign field names; an opportunity calls them title, summary and submitted_at.
  static constexpr Guess kGuesses[] = {
      {"external_id", {"id", "uuid", "identifiant", "key", "code", "campaign_id", "", ""}},
      {"name", {"name", "title", "libelle", "label", "subject", "dealname", "", ""}},
      {"description", {"description", "summary", "", "", "", "", "", ""}},
      {"created_at", {"created_at", "createdat", "createddate", "created", "", "", "", ""}},
      {"updated_at",
       {"updated_at", "updatedat", "lastmodifieddate", "modified_at", "systemmodstamp",
        "hs_lastmodifieddate", "modified", ""}},
  };
  const bool opportunity = probe.entity == "opportunity";
  auto field_name = [&](std::string_view field) -> std::string_view {
    if (!opportunity)
      return field;
    if (field == "name")
      return "title";
    if (field == "description")
      return "summary";
    if (field == "created_at")
      return "submitted_at";
    return field;
  };
  std::vector<std::string_view> used;
  for (const auto& guess : kGuesses) {
    for (const auto& each : first.GetObject()) {
      std::string_view name(each.name.GetString(), each.name.GetStringLength());
      const std::string low = lower(name);
      if (std::find(guess.names.begin(), guess.names.end(), low) == guess.names.end() ||
          low.empty() || std::find(used.begin(), used.end(), name) != used.end())
        continue;
      // A time is guessed only where the hub reads it as it is.
      if (guess.field.ends_with("_at") &&
          (!each.value.IsString() ||
           !read_any_time({each.value.GetString(), each.value.GetStringLength()})))
        continue;
      if (!each.value.IsString() && !each.value.IsNumber())
        continue;
      probe.fields.emplace_back(field_name(guess.field), "/" + pointer_token(name));
      used.push_back(name);
      break;
    }
  }
  for (const auto& each : first.GetObject()) {
    std::string_view name(each.name.GetString(), each.name.GetStringLength());
    if (std::find(used.begin(), used.end(), name) != used.end())
      continue;
    const std::string low = lower(name);
    if (probe.status_member.empty() && one_of(low, {"status", "state", "etat", "stage"}))
      probe.status_member = "/" + pointer_token(name);
    if (probe.others.size() < 40)
      probe.others.emplace_back(std::string(name), "/" + pointer_token(name));
  }
}

std::string path_of(std::string_view url) {
  auto scheme = url.find("://");
  auto start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos)
    return "/";
  auto end = url.find_first_of("?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

std::string host_of(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  return std::string(rest.substr(0, rest.find_first_of("/?#:")));
}

std::string stream_name(std::string_view path) {
  std::string name;
  for (char c : path.substr(path.find_last_of('/') + 1)) {
    const char low = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(low)) || low == '_' || low == '-')
      name += low;
  }
  while (!name.empty() && !std::isalnum(static_cast<unsigned char>(name.front())))
    name.erase(name.begin());
  return name.empty() ? "records" : name;
}

}  // namespace

Probe probe_page(const Value& body, const campaign_hub::HttpResponse& response,
                 std::string_view url) {
  Probe probe;
  const std::string path = lower(path_of(url));
  if (path.find("opportunit") != std::string::npos || path.find("deal") != std::string::npos)
    probe.entity = "opportunity";
  find_records(body, probe);
  find_paging(body, response, url, probe);
  if (probe.found_records) {
    const Value* records =
        probe.records.empty() ? &body : rapidjson::Pointer(probe.records.c_str()).Get(body);
    if (records != nullptr && records->IsArray() && !records->Empty())
      guess_fields((*records)[0], probe);
  }
  return probe;
}

std::string probe_report(const Probe& probe) {
  std::string out;
  if (probe.found_records) {
    out +=
        "records: " + (probe.records.empty() ? std::string("the answer itself") : probe.records) +
        " (" + std::to_string(probe.record_count) + " on this page)\n";
  } else {
    out += "records: no array of records found; set \"records\" by hand\n";
  }
  out += probe.paging.kind == Paging::Kind::none
             ? "paging: none found (one request); a provider that pages by a header or a POST "
               "body is described by hand\n"
             : "paging: " + probe.paging_why + "\n";
  for (const auto& [field, pointer] : probe.fields)
    out += "field: " + field + " <- " + pointer + "\n";
  out += "attributes: " + std::to_string(probe.others.size()) +
         " other member(s) of the first record; move those you need into fields\n";
  if (!probe.status_member.empty()) {
    out += "status: " + probe.status_member +
           " looks like a status; map it with \"status\" and a \"statuses\" map\n";
  }
  return out;
}

std::string probe_skeleton(const Probe& probe, std::string_view url) {
  const std::string path = path_of(url);
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  auto text = [&](std::string_view value) {
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  w.Key("provider");
  text(host_of(url));
  w.Key("description");
  text("Written by rest-json-check --probe " + path + ": " +
       (probe.paging.kind == Paging::Kind::none ? std::string("no paging found")
                                                : "paging by " + probe.paging_why) +
       ". Check the entity, move what you need from attributes into fields, and map the "
       "status (config/providers/README.md).");
  w.Key("connection");
  w.StartObject();
  w.Key("headers");
  w.StartObject();
  w.Key("Accept");
  text("application/json");
  w.EndObject();
  w.EndObject();
  w.Key("streams");
  w.StartArray();
  w.StartObject();
  w.Key("name");
  text(stream_name(path));
  w.Key("entity");
  text(probe.entity);
  w.Key("request");
  w.StartObject();
  w.Key("path");
  text(path);
  w.EndObject();
  w.Key("records");
  text(probe.records);
  const Paging& p = probe.paging;
  if (p.kind != Paging::Kind::none) {
    w.Key("paging");
    w.StartObject();
    w.Key("kind");
    switch (p.kind) {
      case Paging::Kind::link_header:
        text("link_header");
        break;
      case Paging::Kind::next_url:
        text("next_url");
        w.Key("next");
        text(p.next);
        break;
      case Paging::Kind::cursor:
        text("cursor");
        w.Key("next");
        text(p.next);
        w.Key("param");
        text(p.param);
        break;
      case Paging::Kind::page:
        text("page");
        w.Key("pages");
        text(p.pages);
        w.Key("page_param");
        text(p.page_param);
        if (!p.size_param.empty()) {
          w.Key("size_param");
          text(p.size_param);
          w.Key("size");
          w.Int64(p.size);
        }
        break;
      case Paging::Kind::offset:
        text("offset");
        w.Key("total");
        text(p.total);
        w.Key("offset_param");
        text(p.offset_param);
        w.Key("limit_param");
        text(p.limit_param);
        w.Key("limit");
        w.Int64(p.limit);
        break;
      case Paging::Kind::none:
        break;
    }
    w.EndObject();
  }
  w.Key("fields");
  w.StartObject();
  bool has_id = false;
  for (const auto& [field, pointer] : probe.fields) {
    w.Key(field.c_str());
    text(pointer);
    has_id = has_id || field == "external_id";
  }
  if (!has_id) {
    w.Key("external_id");
    text("/id");
  }
  w.EndObject();
  if (!probe.others.empty()) {
    w.Key("attributes");
    w.StartObject();
    for (const auto& [name, pointer] : probe.others) {
      w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      text(pointer);
    }
    w.EndObject();
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace rest_json
