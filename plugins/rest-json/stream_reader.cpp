#include "plugins/rest-json/stream_reader.h"

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>

#include <campaign_hub/ascii.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include "connectors/http/paging.h"
#include "connectors/http/prefetch.h"
#include "connectors/json/schema_check.h"
#include "plugins/rest-json/record_builder.h"

namespace rest_json {

using connectors::json::quoted;

namespace paging = connectors::http::paging;
using campaign_hub::LogLevel;
using rapidjson::Value;

namespace {

std::string with_base(std::string_view base, std::string_view path) {
  if (path.starts_with("http://") || path.starts_with("https://") || base.empty())
    return std::string(path);
  auto scheme = base.find("://");
  auto root = base.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  std::string_view origin = base.substr(0, root);
  if (path.starts_with('/'))
    return std::string(origin) + std::string(path);
  std::string folder(base.substr(0, base.find_first_of("?#")));
  if (!folder.ends_with('/'))
    folder += '/';
  if (path.starts_with('?'))
    return folder.substr(0, folder.size() - 1) + std::string(path);
  return folder + std::string(path);
}

// The URL without its query, for messages (query values may be keys).
std::string shown_url(const std::string& url) {
  return url.substr(0, url.find('?'));
}

void emit_record(campaign_hub::Emitter& emit, AnyRecord&& record) {
  std::visit(
      [&](auto&& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, campaign_hub::Campaign>)
          emit.campaign(std::forward<decltype(r)>(r));
        else if constexpr (std::is_same_v<R, campaign_hub::Opportunity>)
          emit.opportunity(std::forward<decltype(r)>(r));
        else if constexpr (std::is_same_v<R, campaign_hub::Participant>)
          emit.participant(std::forward<decltype(r)>(r));
        else if constexpr (std::is_same_v<R, campaign_hub::Step>)
          emit.step(std::forward<decltype(r)>(r));
        else
          emit.metrics(std::forward<decltype(r)>(r));
      },
      std::move(record));
}

// The id the hub keys the record on: a metrics record's campaign id.
std::string id_of(const AnyRecord& record) {
  return std::visit(
      [](const auto& r) {
        if constexpr (requires { r.external_id; })
          return r.external_id;
        else
          return r.campaign_id;
      },
      record);
}

std::string cursor_value(const std::string& time) {
  return time.size() == 10 ? time + "T00:00:00Z" : time;  // a date: its first second
}

// Whether cursor `time` is later than cursor `than` (none is earliest). Compared as instants:
// fractions of a second and offsets do not order as text.
bool later(const std::string& time, const std::string& than) {
  auto instant = connectors::time::parse_rfc3339(cursor_value(time));
  auto other = connectors::time::parse_rfc3339(cursor_value(than));
  return instant && (!other || *instant > *other);
}

}  // namespace

Mapping mapping_for(const Settings& settings) {
  if (!settings.mapping.empty())
    return load_mapping(settings.mapping);
  auto text = preset(settings.preset);
  if (!text) {
    throw MappingError("settings: /preset: no preset named " + quoted(settings.preset));
  }
  return parse_mapping(
      *text, "preset " + settings.preset + " (config/providers/" + settings.preset + ".json)");
}

struct StreamReader::Page {
  rapidjson::Document body;
  campaign_hub::HttpResponse response;
};

// One request: a GET's URL, or a POST's URL and JSON body (kept as a document, so that paging
// in the body can set its member for each page).
struct StreamReader::Call {
  std::string url;
  std::optional<rapidjson::Document> body;
};

namespace {

// Why a child stream's answer 404 or 410 is skipped.
constexpr std::string_view kParentGone = "its parent record is gone";

// Threads fetching child pages (or a stream's later pages), and how far ahead of the records
// being emitted: the connector's own max_in_flight still caps what is on the wire.
constexpr std::size_t kFetchThreads = 8;
constexpr std::size_t kFetchesAhead = 16;
// A stream's later pages planned at once from the first page's total.
constexpr std::int64_t kPagesAhead = 1000;

// What tells one child request from another: its stream, URL and body.
std::string call_key(const Stream& stream, const std::string& url,
                     const std::optional<rapidjson::Document>& body) {
  return std::to_string(reinterpret_cast<std::uintptr_t>(&stream)) + '\x1f' + url + '\x1f' +
         (body ? connectors::json::to_json(*body) : std::string());
}

}  // namespace

class StreamReader::ChildPages {
 public:
  using Fetches = connectors::http::Prefetch<std::optional<Page>>;
  ChildPages(std::vector<std::function<std::optional<Page>()>> tasks,
             std::map<std::string, std::deque<std::size_t>> index)
      : fetches_(std::move(tasks), kFetchThreads, kFetchesAhead), index_(std::move(index)) {}

  // The page fetched ahead for that request; nothing when it was not.
  std::optional<std::optional<Page>> take(const Stream& stream, const Call& call) {
    auto found = index_.find(call_key(stream, call.url, call.body));
    if (found == index_.end() || found->second.empty())
      return std::nullopt;
    const std::size_t i = found->second.front();
    found->second.pop_front();
    return fetches_.take(i);
  }

 private:
  Fetches fetches_;
  std::map<std::string, std::deque<std::size_t>> index_;
};

namespace {

// Sets each string of a body template that takes a value; false when one has none (a parent
// lacks the field).
bool fill_body(rapidjson::Document& document, const Body& body, const Scope& scope,
               std::string_view cursor) {
  for (const auto& [at, text] : body.strings) {
    auto value = render(text, scope, cursor);
    if (!value)
      return false;
    rapidjson::Pointer(at.c_str()).Set(document, value->c_str());
  }
  return true;
}

void set_body_member(rapidjson::Document& document, const std::string& name,
                     rapidjson::Value value) {
  auto found = document.FindMember(name.c_str());
  if (found != document.MemberEnd()) {
    found->value = value;  // in place: the body keeps its order from page to page
    return;
  }
  document.AddMember(rapidjson::Value(name.c_str(), document.GetAllocator()), value,
                     document.GetAllocator());
}

}  // namespace

StreamReader::StreamReader(const Mapping& mapping, const Settings& settings,
                           campaign_hub::Host& host, campaign_hub::Emitter* emit)
    : mapping_(mapping),
      base_url_(settings.base_url.value_or(mapping.base_url.value_or(""))),
      host_(host),
      emit_(emit) {
  headers_ = mapping.headers;
  // Not a structured binding: clang 14 cannot capture one in a lambda (scripts/fuzz.sh).
  for (const auto& header : settings.headers) {
    std::erase_if(headers_, [&](const auto& h) { return h.first == header.first; });
    headers_.push_back(header);
  }
}

std::string StreamReader::resolve(const std::string& reference, const std::string& current) const {
  if (reference.starts_with('?'))
    return current.substr(0, current.find('?')) + reference;
  return with_base(base_url_, reference);
}

// A child stream with a cursor per parent names each after its rendered request path (one per
// parent by construction), hashed when it would not fit the cursors table's 255 characters.
std::string StreamReader::cursor_name(const Stream& stream, const Scope* parent) const {
  if (!stream.incremental || !stream.incremental->per_parent || parent == nullptr)
    return stream.name;
  auto path = render(stream.path, *parent);
  std::string name = stream.name + " " + path.value_or("");
  if (name.size() <= 200)
    return name;
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : name)
    hash = (hash ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return stream.name + " #" + hex;
}

StreamReader::Call StreamReader::first_call(const Stream& stream, const Scope* parent,
                                            const std::string& cursor) {
  Scope none;
  const Scope& scope = parent != nullptr ? *parent : none;
  auto path = render(stream.path, scope);
  if (!path)
    return {};
  // Parent values are path segments: percent-encode what they bring in.
  if (parent != nullptr) {
    std::string encoded;
    for (const auto& part : stream.path.parts) {
      if (const auto* literal = std::get_if<std::string>(&part)) {
        encoded += *literal;
      } else {
        Template one;
        one.parts.push_back(part);
        encoded += paging::percent_encode(*render(one, scope));
      }
    }
    path = encoded;
  }
  Call call;
  call.url = with_base(base_url_, *path);
  for (const auto& [key, value] : stream.query) {
    if (auto text = render(value, scope))
      call.url = paging::with_query(call.url, key, *text);
  }
  if (!stream.body.json.empty()) {
    call.body.emplace();
    call.body->Parse(stream.body.json.data(), stream.body.json.size());
    if (!fill_body(*call.body, stream.body, scope, {}))
      return {};
  }
  const auto& p = stream.paging;
  if (p.in_body && !call.body)
    call.body.emplace(rapidjson::kObjectType);
  if (p.kind == Paging::Kind::offset && !p.in_body) {
    call.url = paging::with_query(call.url, p.offset_param, "0");
    call.url = paging::with_query(call.url, p.limit_param, std::to_string(p.limit));
  } else if (p.kind == Paging::Kind::page && !p.in_body) {
    call.url = paging::with_query(call.url, p.page_param, std::to_string(p.first_page));
    if (!p.size_param.empty())
      call.url = paging::with_query(call.url, p.size_param, std::to_string(p.size));
  } else if (p.in_body) {
    if (p.kind == Paging::Kind::offset) {
      set_body_member(*call.body, p.offset_param, rapidjson::Value(std::int64_t{0}));
      set_body_member(*call.body, p.limit_param, rapidjson::Value(p.limit));
    } else if (p.kind == Paging::Kind::page) {
      set_body_member(*call.body, p.page_param, rapidjson::Value(p.first_page));
      if (!p.size_param.empty())
        set_body_member(*call.body, p.size_param, rapidjson::Value(p.size));
    }
  }
  if (stream.incremental) {
    auto saved = host_.cursor(cursor);
    if (saved && !saved->empty()) {
      auto instant = connectors::time::parse_rfc3339(cursor_value(*saved));
      if (!instant) {
        throw std::runtime_error("stream " + stream.name + ": the saved cursor " + quoted(*saved) +
                                 " is not a UTC time; run `campaign-hub state reset` for this "
                                 "instance to read everything again");
      }
      const Zone* zone = mapping_.zone ? &*mapping_.zone : nullptr;
      std::string written = stream.incremental->format.write(*instant, zone);
      for (const auto& [key, value] : stream.incremental->query) {
        if (auto text = render(value, scope, written))
          call.url = paging::with_query(call.url, key, *text);
      }
      const Body& extra = stream.incremental->body;
      if (!extra.json.empty()) {
        rapidjson::Document members;
        members.Parse(extra.json.data(), extra.json.size());
        if (!fill_body(members, extra, scope, written))
          return {};
        if (!call.body)
          call.body.emplace(rapidjson::kObjectType);
        for (auto& each : members.GetObject()) {
          set_body_member(*call.body,
                          std::string(each.name.GetString(), each.name.GetStringLength()),
                          rapidjson::Value(each.value, call.body->GetAllocator()));
        }
      }
    }
  }
  return call;
}

std::optional<StreamReader::Page> StreamReader::fetch(const Stream& stream, const Call& call,
                                                      std::string_view gone) {
  const std::string& url = call.url;
  campaign_hub::HttpRequest request;
  request.method = stream.method;
  request.url = url;
  request.headers = headers_;
  if (call.body) {
    request.body = connectors::json::to_json(*call.body);
    std::erase_if(request.headers,
                  [](const auto& h) { return campaign_hub::iequals(h.first, "Content-Type"); });
    request.headers.emplace_back("Content-Type", "application/json");
  }
  Page page;
  try {
    page.response = host_.http().send(request);
  } catch (const campaign_hub::HttpError& error) {
    if ((error.status() == 401 || error.status() == 403) && !mapping_.auth_hint.empty()) {
      throw campaign_hub::HttpError(std::string(error.what()) + "; " + mapping_.file +
                                        " expects the instance's http.auth of type " +
                                        mapping_.auth_hint,
                                    error.status());
    }
    throw;
  }
  const int status = page.response.status;
  if (!gone.empty() && (status == 404 || status == 410)) {
    host_.logger().log(LogLevel::info, "stream " + stream.name + ": " + stream.method + " " +
                                           shown_url(url) + " answered " + std::to_string(status) +
                                           "; " + std::string(gone) + ", skipped");
    return std::nullopt;
  }
  if (status < 200 || status > 299) {
    throw std::runtime_error(
        "stream " + stream.name + ": " + stream.method + " " + shown_url(url) + " answered " +
        std::to_string(status) +
        (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
  }
  page.body.Parse(page.response.body.data(), page.response.body.size());
  if (page.body.HasParseError()) {
    throw std::runtime_error("stream " + stream.name + ": " + stream.method + " " + shown_url(url) +
                             ": the answer is not JSON at offset " +
                             std::to_string(page.body.GetErrorOffset()) + ": " +
                             rapidjson::GetParseError_En(page.body.GetParseError()));
  }
  return page;
}

std::optional<StreamReader::Page> StreamReader::first_child_page(const Stream& stream,
                                                                 const Call& call) {
  if (children_ahead_ != nullptr) {
    if (auto fetched = children_ahead_->take(stream, call))
      return std::move(*fetched);
  }
  return fetch(stream, call, kParentGone);
}

std::unique_ptr<StreamReader::ChildPages> StreamReader::fetch_children_ahead(const Stream& stream,
                                                                             const Value& records,
                                                                             const Scope* parent) {
  std::vector<std::function<std::optional<Page>()>> tasks;
  std::map<std::string, std::deque<std::size_t>> index;
  const auto plan = [&](const Value& record, std::string_view key) {
    Scope scope{&record, key, parent};
    for (const auto& child : stream.children) {
      auto call = std::make_shared<Call>(first_call(child, &scope, cursor_name(child, &scope)));
      if (call->url.empty())
        continue;
      index[call_key(child, call->url, call->body)].push_back(tasks.size());
      tasks.emplace_back([this, &child, call] { return fetch(child, *call, kParentGone); });
    }
  };
  if (records.IsArray()) {
    for (const auto& each : records.GetArray())
      plan(each, {});
  } else if (records.IsObject() && stream.shape == Shape::object_by_id) {
    for (const auto& each : records.GetObject())
      plan(each.value, {each.name.GetString(), each.name.GetStringLength()});
  }
  if (tasks.size() < 2)
    return nullptr;
  host_.http();  // made before the threads share it
  return std::make_unique<ChildPages>(std::move(tasks), std::move(index));
}

void StreamReader::read_all() {
  read_lookups();
  for (const auto& stream : mapping_.streams)
    read_stream(stream, nullptr);
  note_counts();
}

void StreamReader::read_lookups() {
  lookups_.assign(mapping_.lookups.size(), {});
  for (const auto& lookup : mapping_.lookups)
    read_stream(lookup.request, nullptr, &lookup);
}

void StreamReader::emit_from(const RecordRule& rule, const Value& event) {
  static const std::string kNoUrl;
  emit_records(rule, event, nullptr, nullptr, nullptr, kNoUrl);
}

void StreamReader::read_back(const Stream& request, const Value& event) {
  const Scope scope{&event, {}, nullptr};
  const Call call = first_call(request, &scope, request.name);
  if (call.url.empty()) {
    throw std::runtime_error("stream " + request.name +
                             ": the event lacks a value the read-back request takes");
  }
  auto page = fetch(request, call, "the record is gone since the event");
  if (!page)
    return;
  const Value* record = request.records.Get(page->body);
  if (record == nullptr || !record->IsObject()) {
    throw std::runtime_error("stream " + request.name + ": " + request.method + " " +
                             shown_url(call.url) + ": no record (an object) at " +
                             quoted(request.records_text) + " in the answer");
  }
  emit_records(request, page->body, &scope, nullptr, nullptr, call.url);
}

void StreamReader::note_counts() {
  if (unfit_ > 0)
    host_.note("records_not_fitting_mapping", std::to_string(unfit_));
  if (lookup_misses_ > 0)
    host_.note("lookup_misses", std::to_string(lookup_misses_));
}

namespace {

// A lookup keeps text: a string as it is, a number as written.
std::optional<std::string> entry_text(const Value* value) {
  if (value == nullptr)
    return std::nullopt;
  if (value->IsString())
    return std::string(value->GetString(), value->GetStringLength());
  if (value->IsInt64())
    return std::to_string(value->GetInt64());
  if (value->IsNumber())
    return connectors::json::to_json(*value);
  return std::nullopt;
}

// A dictionary, not a record list: refused past this many entries (about 100 MB at most).
constexpr std::size_t kMaxLookupEntries = 1'000'000;

}  // namespace

std::size_t StreamReader::keep_entries(const Lookup& lookup, std::size_t index, const Value& body,
                                       const std::string& url) {
  const Value* records = lookup.request.records.Get(body);
  if (records == nullptr || records->IsNull())
    return 0;
  auto& table = lookups_.at(index);
  auto keep = [&](const Value& record, std::string_view name) {
    auto key = lookup.key_is_member ? std::optional<std::string>(name)
                                    : entry_text(lookup.key.Get(record));
    auto value = entry_text(lookup.value.Get(record));
    if (key && value)
      table.insert_or_assign(std::move(*key), std::move(*value));
  };
  std::size_t count = 0;
  if (lookup.request.shape == Shape::object_by_id && records->IsObject()) {
    for (const auto& each : records->GetObject())
      keep(each.value, {each.name.GetString(), each.name.GetStringLength()});
    count = records->MemberCount();
  } else if (records->IsArray()) {
    for (const auto& each : records->GetArray())
      keep(each, {});
    count = records->Size();
  } else if (!(records->IsArray() && records->Empty())) {
    throw std::runtime_error("lookup " + lookup.name + ": GET " + shown_url(url) + ": " +
                             lookup.request.records_text + " is not a list of records (" +
                             mapping_.file + ": " + lookup.request.where + "/records)");
  }
  if (table.size() > kMaxLookupEntries) {
    throw std::runtime_error("lookup " + lookup.name + ": more than 1,000,000 entries; a lookup " +
                             "is a dictionary read whole before the streams, not a record list");
  }
  return count;
}

std::size_t StreamReader::first_page_records() {
  const Stream& stream = mapping_.streams.front();
  auto page = fetch(stream, first_call(stream, nullptr, stream.name), {});
  const Value* records = stream.records.Get(page->body);
  if (records == nullptr || records->IsNull())
    return 0;
  if (records->IsArray())
    return records->Size();
  if (records->IsObject())
    return stream.shape == Shape::one ? 1 : records->MemberCount();
  throw std::runtime_error("stream " + stream.name + ": " + stream.records_text +
                           " in the answer is not an array or object of records (" + mapping_.file +
                           ": " + stream.where + "/records)");
}

void StreamReader::read_stream(const Stream& stream, const Scope* parent, const Lookup* lookup) {
  const std::string cursor = cursor_name(stream, parent);
  Call call = first_call(stream, parent, cursor);
  if (call.url.empty()) {
    host_.logger().log(
        LogLevel::warn,
        "stream " + stream.name + ": a parent record lacks a field of the request, skipped");
    return;
  }
  const auto& p = stream.paging;
  const std::string start_url = call.url;
  std::string max_cursor;
  std::string saved;
  if (stream.incremental)
    saved = host_.cursor(cursor).value_or("");
  const bool full_read = saved.empty();
  // A child's one cursor is committed after every parent was read, never per page.
  const bool stream_wide_child =
      parent != nullptr && stream.incremental && !stream.incremental->per_parent;
  std::int64_t offset = 0, page_number = p.first_page;
  // Offset or page-number paging of a top-level stream, once the first page gave the total:
  // the pages after it are asked side by side and read in order. A page asked for elsewhere
  // than predicted (a page came back short) ends the prefetch; the rest are read one by one.
  std::unique_ptr<connectors::http::Prefetch<std::optional<Page>>> ahead;
  std::vector<std::string> ahead_urls;
  std::size_t ahead_at = 0;
  for (std::int64_t pages = 0;; ++pages) {
    if (pages >= p.max_pages) {
      throw std::runtime_error("stream " + stream.name + ": stopped after max_pages (" +
                               std::to_string(p.max_pages) + ") pages; raise it at " +
                               mapping_.file + ": " + stream.where + "/paging/max_pages");
    }
    std::optional<Page> page;
    if (ahead && ahead_at < ahead_urls.size() && ahead_urls[ahead_at] == call.url) {
      page = ahead->take(ahead_at++);
    } else {
      ahead.reset();
      page = pages == 0 && parent != nullptr
                 ? first_child_page(stream, call)
                 : fetch(stream, call, parent != nullptr ? kParentGone : std::string_view());
    }
    if (!page)
      return;
    std::size_t returned =
        lookup != nullptr
            ? keep_entries(*lookup, static_cast<std::size_t>(lookup - mapping_.lookups.data()),
                           page->body, call.url)
            : emit_records(stream, page->body, parent, &stream, &max_cursor, call.url);
    if (stream.incremental && stream.incremental->sorted && !stream_wide_child &&
        !max_cursor.empty() && later(max_cursor, saved) && emit_ != nullptr) {
      emit_->checkpoint(cursor, max_cursor);
      saved = max_cursor;
    }
    // The next page's request, or none after the last.
    std::optional<std::string> next_url;
    std::optional<rapidjson::Value> next_member;  // paging in the body
    std::string member_name;
    std::optional<std::int64_t> known_total, known_pages;
    try {
      switch (p.kind) {
        case Paging::Kind::none:
          break;
        case Paging::Kind::next_url:
          if (auto link = paging::string_at(page->body, p.next))
            next_url = resolve(*link, call.url);
          break;
        case Paging::Kind::link_header:
          if (auto link = paging::next_link(page->response.header("Link").value_or("")))
            next_url = resolve(*link, call.url);
          break;
        case Paging::Kind::cursor:
          if (auto token = paging::string_at(page->body, p.next)) {
            if (p.in_body) {
              member_name = p.param;
              next_member.emplace(token->c_str(), call.body->GetAllocator());
            } else {
              next_url = paging::with_query(start_url, p.param, *token);
            }
          }
          break;
        case Paging::Kind::offset: {
          auto total = paging::integer_at(page->body, p.total);
          if (!total) {
            throw paging::PagingError("no integer total at " + p.total);
          }
          known_total = total;
          if (auto n = paging::next_offset(offset, static_cast<std::int64_t>(returned), *total)) {
            offset = *n;
            if (p.in_body) {
              member_name = p.offset_param;
              next_member.emplace(offset);
            } else {
              next_url = paging::with_query(call.url, p.offset_param, std::to_string(offset));
            }
          }
          break;
        }
        case Paging::Kind::page: {
          auto pages_total = paging::integer_at(page->body, p.pages);
          if (!pages_total) {
            throw paging::PagingError("no integer page count at " + p.pages);
          }
          known_pages = pages_total;
          if (auto n = paging::next_page(page_number, *pages_total,
                                         static_cast<std::int64_t>(returned))) {
            page_number = *n;
            if (p.in_body) {
              member_name = p.page_param;
              next_member.emplace(page_number);
            } else {
              next_url = paging::with_query(call.url, p.page_param, std::to_string(page_number));
            }
          }
          break;
        }
      }
    } catch (const paging::PagingError& error) {
      throw std::runtime_error("stream " + stream.name + ": " + stream.method + " " +
                               shown_url(call.url) + ": cannot follow pages: " + error.what() +
                               " (" + mapping_.file + ": " + stream.where + "/paging)");
    }
    if (pages == 0 && next_url && parent == nullptr && lookup == nullptr && !call.body &&
        (known_total || known_pages)) {
      // Every later page's URL, as the sequential reading would build it from this one.
      // Bounded whatever total the provider claims: past these, pages are read one by one.
      const std::int64_t most = std::min<std::int64_t>(p.max_pages - 1, kPagesAhead);
      const auto step = static_cast<std::int64_t>(returned);
      if (known_total && step > 0) {
        for (std::int64_t at = offset, n = 0; at < *known_total && n < most; at += step, ++n)
          ahead_urls.push_back(paging::with_query(*next_url, p.offset_param, std::to_string(at)));
      } else if (known_pages) {
        for (std::int64_t n = page_number; n <= *known_pages && n - page_number < most; ++n)
          ahead_urls.push_back(paging::with_query(*next_url, p.page_param, std::to_string(n)));
      }
      if (ahead_urls.size() >= 2) {
        std::vector<std::function<std::optional<Page>()>> tasks;
        tasks.reserve(ahead_urls.size());
        for (const auto& url : ahead_urls) {
          tasks.emplace_back([this, &stream, url] {
            Call each;
            each.url = url;
            return fetch(stream, each, {});
          });
        }
        host_.http();  // made before the threads share it
        ahead = std::make_unique<connectors::http::Prefetch<std::optional<Page>>>(
            std::move(tasks), kFetchThreads, kFetchesAhead);
      } else {
        ahead_urls.clear();
      }
    }
    if (next_member) {
      set_body_member(*call.body, member_name, std::move(*next_member));
    } else if (next_url) {
      call.url = *next_url;
    } else {
      break;
    }
  }
  if (stream_wide_child) {
    auto& latest = child_cursors_[stream.name];
    if (later(max_cursor, latest))
      latest = max_cursor;
  } else if (stream.incremental && !max_cursor.empty() && later(max_cursor, saved) &&
             emit_ != nullptr) {
    emit_->checkpoint(cursor, max_cursor);
  }
  if (parent == nullptr && emit_ != nullptr) {
    // Every parent read: each child stream's one cursor moves to the latest child seen, when
    // later than the one it started from.
    for (const auto& [name, latest] : child_cursors_) {
      if (!latest.empty() && later(latest, host_.cursor(name).value_or("")))
        emit_->checkpoint(name, latest);
    }
    child_cursors_.clear();
  }
  // Read in full to its last page: every live record of the entity was emitted.
  if (stream.lists_all && full_read && parent == nullptr && emit_ != nullptr)
    emit_->listed_all(entity_name(stream.entity));
}

std::size_t StreamReader::emit_records(const RecordRule& rule, const Value& body,
                                       const Scope* parent, const Stream* stream,
                                       std::string* max_cursor, const std::string& url) {
  const Value* records = rule.records.Get(body);
  if (records == nullptr || records->IsNull())
    return 0;
  auto one = [&](const Value& record, std::string_view key) {
    Scope scope{&record, key, parent};
    if (emit_ == nullptr)
      return;
    Built built = build_record(rule, scope, lookups_, mapping_.lookups);
    for (const auto& missed : built.missed) {
      if (++lookup_misses_ <= 10) {
        host_.logger().log(LogLevel::warn, std::string(entity_name(rule.entity)) + " " +
                                               id_of(built.record) + ": lookup " + missed +
                                               " is not in the lookup; the field stays empty");
      }
    }
    if (built.unfit) {
      if (++unfit_ <= 10) {
        host_.logger().log(LogLevel::warn, std::string(entity_name(rule.entity)) +
                                               " record does not fit " + mapping_.file + " " +
                                               rule.where + ": " + built.unfit->reason +
                                               "; it goes to quarantine");
      }
      emit_->reject(entity_name(rule.entity), id_of(built.record), built.unfit->field,
                    built.unfit->reason, std::move(raw_of(built.record)));
    } else {
      if (stream != nullptr && stream->incremental && max_cursor != nullptr) {
        if (const auto* time = text_field(built.record, stream->incremental->slot)) {
          std::string value = cursor_value(*time);
          if (later(value, *max_cursor))
            *max_cursor = value;
        }
      }
      emit_record(*emit_, std::move(built.record));
    }
    emit_nested(rule, scope);
    if (stream != nullptr) {
      for (const auto& child : stream->children)
        read_stream(child, &scope);
    }
  };
  // The first pages of this page's child streams, fetched side by side while the records are
  // emitted in order.
  std::unique_ptr<ChildPages> ahead;
  if (stream != nullptr && !stream->children.empty() && emit_ != nullptr)
    ahead = fetch_children_ahead(*stream, *records, parent);
  ChildPages* outer = children_ahead_;
  if (ahead)
    children_ahead_ = ahead.get();
  struct Restore {
    ChildPages*& slot;
    ChildPages* value;
    ~Restore() { slot = value; }
  } restore{children_ahead_, outer};
  const bool top = stream != nullptr && parent == nullptr;
  if (rule.shape == Shape::one) {
    if (!records->IsObject() && top)
      throw std::runtime_error("stream " + rule.where + ": " + rule.records_text +
                               " is not an object");
    if (records->IsObject())
      one(*records, {});
    return 1;
  }
  if (rule.shape == Shape::object_by_id) {
    // An empty array stands for an empty object: PHP's json_encode writes an empty keyed array
    // as [].
    if (records->IsArray() && records->Empty())
      return 0;
    if (!records->IsObject()) {
      if (stream != nullptr) {
        throw std::runtime_error("GET " + shown_url(url) + ": " + rule.records_text +
                                 " is not an object of records keyed by id (" + mapping_.file +
                                 ": " + rule.where + "/records)");
      }
      host_.logger().log(LogLevel::warn, rule.records_text + " is not an object (" + mapping_.file +
                                             ": " + rule.where + "), skipped");
      return 0;
    }
    for (const auto& each : records->GetObject())
      one(each.value, {each.name.GetString(), each.name.GetStringLength()});
    return records->MemberCount();
  }
  if (!records->IsArray()) {
    if (stream != nullptr) {
      throw std::runtime_error("GET " + shown_url(url) + ": " + rule.records_text +
                               " is not an array of records (" + mapping_.file + ": " + rule.where +
                               "/records)");
    }
    host_.logger().log(LogLevel::warn, rule.records_text + " is not an array (" + mapping_.file +
                                           ": " + rule.where + "), skipped");
    return 0;
  }
  for (const auto& each : records->GetArray())
    one(each, {});
  return records->Size();
}

void StreamReader::emit_nested(const RecordRule& rule, const Scope& scope) {
  static const std::string kNoUrl;
  for (const auto& nested : rule.nested)
    emit_records(nested, *scope.record, &scope, nullptr, nullptr, kNoUrl);
}

}  // namespace rest_json
