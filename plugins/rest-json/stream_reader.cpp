#include "plugins/rest-json/stream_reader.h"

#include <rapidjson/error/en.h>

#include "connectors/http/paging.h"
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

std::string StreamReader::first_url(const Stream& stream, const Scope* parent) {
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
  std::string url = with_base(base_url_, *path);
  for (const auto& [key, value] : stream.query) {
    if (auto text = render(value, scope))
      url = paging::with_query(url, key, *text);
  }
  const auto& p = stream.paging;
  if (p.kind == Paging::Kind::offset) {
    url = paging::with_query(url, p.offset_param, "0");
    url = paging::with_query(url, p.limit_param, std::to_string(p.limit));
  } else if (p.kind == Paging::Kind::page) {
    url = paging::with_query(url, p.page_param, std::to_string(p.first_page));
    if (!p.size_param.empty())
      url = paging::with_query(url, p.size_param, std::to_string(p.size));
  }
  if (stream.incremental) {
    auto saved = host_.cursor(stream.name);
    if (saved && !saved->empty()) {
      auto instant = connectors::time::parse_rfc3339(cursor_value(*saved));
      if (!instant) {
        throw std::runtime_error("stream " + stream.name + ": the saved cursor " + quoted(*saved) +
                                 " is not a UTC time; run `campaign-hub state reset` for this "
                                 "instance to read everything again");
      }
      const Zone* zone = mapping_.zone ? &*mapping_.zone : nullptr;
      std::string written = stream.incremental->format.write(*instant, zone);
      for (const auto& [key, value] : stream.incremental->query)
        url = paging::with_query(url, key, *render(value, none, written));
    }
  }
  return url;
}

std::optional<StreamReader::Page> StreamReader::fetch(const Stream& stream, const std::string& url,
                                                      bool child) {
  campaign_hub::HttpRequest request;
  request.url = url;
  request.headers = headers_;
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
  if (child && (status == 404 || status == 410)) {
    host_.logger().log(LogLevel::info, "stream " + stream.name + ": GET " + shown_url(url) +
                                           " answered " + std::to_string(status) +
                                           "; its parent record is gone, skipped");
    return std::nullopt;
  }
  if (status < 200 || status > 299) {
    throw std::runtime_error(
        "stream " + stream.name + ": GET " + shown_url(url) + " answered " +
        std::to_string(status) +
        (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
  }
  page.body.Parse(page.response.body.data(), page.response.body.size());
  if (page.body.HasParseError()) {
    throw std::runtime_error("stream " + stream.name + ": GET " + shown_url(url) +
                             ": the answer is not JSON at offset " +
                             std::to_string(page.body.GetErrorOffset()) + ": " +
                             rapidjson::GetParseError_En(page.body.GetParseError()));
  }
  return page;
}

void StreamReader::read_all() {
  for (const auto& stream : mapping_.streams)
    read_stream(stream, nullptr);
  if (unfit_ > 0)
    host_.note("records_not_fitting_mapping", std::to_string(unfit_));
}

std::size_t StreamReader::first_page_records() {
  const Stream& stream = mapping_.streams.front();
  auto page = fetch(stream, first_url(stream, nullptr), false);
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

void StreamReader::read_stream(const Stream& stream, const Scope* parent) {
  std::string url = first_url(stream, parent);
  if (url.empty()) {
    host_.logger().log(LogLevel::warn, "stream " + stream.name +
                                           ": a parent record lacks a field of the path, skipped");
    return;
  }
  const auto& p = stream.paging;
  const std::string start_url = url;
  std::string max_cursor;
  std::string saved;
  if (stream.incremental)
    saved = host_.cursor(stream.name).value_or("");
  const bool full_read = saved.empty();
  std::int64_t offset = 0, page_number = p.first_page;
  for (std::int64_t pages = 0;; ++pages) {
    if (pages >= p.max_pages) {
      throw std::runtime_error("stream " + stream.name + ": stopped after max_pages (" +
                               std::to_string(p.max_pages) + ") pages; raise it at " +
                               mapping_.file + ": " + stream.where + "/paging/max_pages");
    }
    auto page = fetch(stream, url, parent != nullptr);
    if (!page)
      return;
    std::size_t returned = emit_records(stream, page->body, parent, &stream, &max_cursor, url);
    if (stream.incremental && stream.incremental->sorted && !max_cursor.empty() &&
        later(max_cursor, saved) && emit_ != nullptr) {
      emit_->checkpoint(stream.name, max_cursor);
      saved = max_cursor;
    }
    std::optional<std::string> next;
    try {
      switch (p.kind) {
        case Paging::Kind::none:
          break;
        case Paging::Kind::next_url:
          if (auto link = paging::string_at(page->body, p.next))
            next = resolve(*link, url);
          break;
        case Paging::Kind::link_header:
          if (auto link = paging::next_link(page->response.header("Link").value_or("")))
            next = resolve(*link, url);
          break;
        case Paging::Kind::cursor:
          if (auto token = paging::string_at(page->body, p.next))
            next = paging::with_query(start_url, p.param, *token);
          break;
        case Paging::Kind::offset: {
          auto total = paging::integer_at(page->body, p.total);
          if (!total) {
            throw paging::PagingError("no integer total at " + p.total);
          }
          if (auto n = paging::next_offset(offset, static_cast<std::int64_t>(returned), *total)) {
            offset = *n;
            next = paging::with_query(url, p.offset_param, std::to_string(offset));
          }
          break;
        }
        case Paging::Kind::page: {
          auto pages_total = paging::integer_at(page->body, p.pages);
          if (!pages_total) {
            throw paging::PagingError("no integer page count at " + p.pages);
          }
          if (auto n = paging::next_page(page_number, *pages_total,
                                         static_cast<std::int64_t>(returned))) {
            page_number = *n;
            next = paging::with_query(url, p.page_param, std::to_string(page_number));
          }
          break;
        }
      }
    } catch (const paging::PagingError& error) {
      throw std::runtime_error("stream " + stream.name + ": GET " + shown_url(url) +
                               ": cannot follow pages: " + error.what() + " (" + mapping_.file +
                               ": " + stream.where + "/paging)");
    }
    if (!next)
      break;
    url = *next;
  }
  if (stream.incremental && !max_cursor.empty() && later(max_cursor, saved) && emit_ != nullptr)
    emit_->checkpoint(stream.name, max_cursor);
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
    Built built = build_record(rule, scope);
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
