#include "plugins/rest-json/mapping.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <rapidjson/error/en.h>

#include "connectors/json/depth.h"
#include "connectors/json/schema_check.h"
#include "connectors/text/status_text.h"
#include "plugins/rest-json/record_fields.h"

namespace rest_json {

using connectors::json::quoted;
using connectors::json::schema_violation;
namespace {

using rapidjson::Value;

std::string_view view(const Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

const Value* member(const Value& object, const char* name) {
  auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

std::string text_of(const Value& object, const char* name, std::string fallback = {}) {
  const Value* value = member(object, name);
  if (value != nullptr && value->IsString())
    return std::string(view(*value));
  return fallback;
}

}  // namespace

std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

namespace {

// One level of the record chain while compiling: its shape, for "#key" references.
struct Level {
  Shape shape;
};

class Compiler {
 public:
  explicit Compiler(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& sentence,
                         const std::string& rule) const {
    throw MappingError(file_ + ": " + (where.empty() ? std::string("(root)") : where) + ": " +
                       sentence + " (" + rule + ")");
  }

  Mapping compile(const Value& root) {
    Mapping mapping;
    mapping.file = file_;
    mapping.provider = text_of(root, "provider");
    if (const Value* zone = member(root, "time_zone"))
      zone_ = mapping.zone = zone_named(view(*zone), "/time_zone");
    if (const Value* connection = member(root, "connection"))
      connection_of(*connection, mapping);
    if (const Value* lookups = member(root, "lookups")) {
      for (rapidjson::SizeType i = 0; i < lookups->Size(); ++i) {
        mapping.lookups.push_back(lookup_of((*lookups)[i], "/lookups/" + std::to_string(i)));
        lookup_names_.push_back(mapping.lookups.back().name);
      }
    }
    const Value& streams = root["streams"];
    for (rapidjson::SizeType i = 0; i < streams.Size(); ++i) {
      std::vector<Level> levels;
      mapping.streams.push_back(stream_of(streams[i], "/streams/" + std::to_string(i), levels));
    }
    if (const Value* webhook = member(root, "webhook"))
      mapping.webhook = webhook_of(*webhook, mapping.streams);
    mapping.statuses = std::move(statuses_);
    return mapping;
  }

 private:
  Zone zone_named(std::string_view name, const std::string& where) const {
    if (auto zone = Zone::named(name))
      return *zone;
    fail(where,
         "unknown time zone " + quoted(name) + "; " + std::string(connectors::time::kZoneNaming),
         "time_zone");
  }

  void connection_of(const Value& connection, Mapping& mapping) const {
    if (const Value* base = member(connection, "base_url"))
      mapping.base_url = std::string(view(*base));
    if (const Value* headers = member(connection, "headers")) {
      for (const auto& each : headers->GetObject()) {
        std::string name(view(each.name));
        if (name.empty() || name.find_first_of(" :\r\n") != std::string::npos) {
          fail("/connection/headers/" + pointer_token(name),
               "is not a header name (no spaces, colons or line breaks)", "headers");
        }
        mapping.headers.emplace_back(std::move(name), std::string(view(each.value)));
      }
    }
    if (const Value* auth = member(connection, "auth")) {
      std::string type = text_of(*auth, "type");
      std::string hint = type;
      if (type == "api_key") {
        std::string in = text_of(*auth, "in", "header");
        hint += " (" + in + " " + text_of(*auth, "name", in == "header" ? "X-Api-Key" : "api_key") +
                ")";
      } else if (type == "oauth2_client_credentials") {
        if (!member(*auth, "token_url"))
          fail("/connection/auth", "missing required property \"token_url\" for oauth2",
               "required");
        hint += " (token_url " + text_of(*auth, "token_url") + ")";
      }
      mapping.auth_hint = hint;
    }
  }

  Ref ref_of(std::string_view text, const std::string& where, const std::vector<Level>& levels,
             const std::string& rule = "pointer") const {
    Ref ref;
    ref.text = std::string(text);
    while (!text.empty() && text.front() == '^') {
      ++ref.depth;
      text.remove_prefix(1);
    }
    if (ref.depth > static_cast<int>(levels.size()) - 1) {
      fail(where,
           quoted(ref.text) + " goes " + std::to_string(ref.depth) + " record(s) up, but only " +
               std::to_string(levels.size() - 1) + " parent record(s) are around it here",
           rule);
    }
    if (text == "#key") {
      ref.key = true;
      if (levels[levels.size() - 1 - ref.depth].shape != Shape::object_by_id) {
        fail(where,
             quoted(ref.text) +
                 " is the member name of a record in an object, but that record's records_are "
                 "is not \"object_by_id\"",
             rule);
      }
      return ref;
    }
    if (!text.empty() && text.front() != '/') {
      fail(where,
           quoted(ref.text) +
               " is not a JSON pointer: it must start with '/' (\"/id\"), '^' for the parent "
               "record (\"^/id\"), or be \"#key\"",
           rule);
    }
    ref.pointer = rapidjson::Pointer(text.data(), text.size());
    if (!ref.pointer.IsValid())
      fail(where, quoted(ref.text) + " is not a valid JSON pointer (RFC 6901)", rule);
    return ref;
  }

  Template template_of(std::string_view text, const std::string& where,
                       const std::vector<Level>& levels, bool allow_cursor = false) const {
    Template out;
    std::string literal;
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == '}') {
        fail(where, quoted(text) + ": '}' without '{' at character " + std::to_string(i + 1),
             "template");
      }
      if (text[i] != '{') {
        literal += text[i++];
        continue;
      }
      auto close = text.find('}', i);
      if (close == std::string_view::npos)
        fail(where, quoted(text) + ": '{' at character " + std::to_string(i + 1) + " is not closed",
             "template");
      auto inside = text.substr(i + 1, close - i - 1);
      if (!literal.empty())
        out.parts.emplace_back(std::move(literal));
      literal.clear();
      if (allow_cursor && inside == "cursor") {
        out.parts.emplace_back(std::string(cursor_marker));
      } else {
        if (levels.empty()) {
          fail(where,
               quoted(text) + ": {" + std::string(inside) +
                   "} takes a parent record's field, and a top-level stream has no parent record",
               "template");
        }
        out.parts.emplace_back(ref_of(inside, where, levels, "template"));
      }
      i = close + 1;
    }
    if (!literal.empty())
      out.parts.emplace_back(std::move(literal));
    return out;
  }

  std::optional<TimeFormat> format_of(std::string_view text, const std::string& where) const {
    std::string error;
    auto format = TimeFormat::parse(text, error);
    if (!format)
      fail(where, quoted(text) + " " + error, "format");
    return format;
  }

  FieldRule field_of(const std::string& name, const Value& spec, const std::string& where,
                     Entity entity, const std::vector<Level>& levels) const {
    auto slots = entity_fields(entity);
    std::size_t slot = 0;
    for (; slot < slots.size() && slots[slot].name != name; ++slot) {
    }
    if (slot == slots.size()) {
      std::string known;
      for (const auto& each : slots)
        known += (known.empty() ? "" : ", ") + std::string(each.name);
      fail(where,
           "unknown " + std::string(entity_name(entity)) + " field " + quoted(name) +
               "; known fields: " + known + " (a field of the provider's own goes in attributes)",
           "field");
    }
    FieldRule rule = source_of(name, spec, where, slots[slot].type, levels);
    rule.slot = slot;
    return rule;
  }

  // Where a field's value comes from. An attribute (FieldType::json) takes any source; with a
  // pointer it keeps the provider's JSON value as it is, object or array included.
  FieldRule source_of(const std::string& name, const Value& spec, const std::string& where,
                      FieldType type, const std::vector<Level>& levels) const {
    FieldRule rule;
    rule.field = name;
    rule.where = where;
    rule.attribute = type == FieldType::json;

    const Value* format = nullptr;
    const Value* zone = nullptr;
    if (spec.IsString()) {
      std::string_view text = view(spec);
      if (text.find('{') != std::string_view::npos) {
        rule.source = FieldRule::Source::template_text;
        rule.text = template_of(text, where, levels);
      } else {
        rule.ref = ref_of(text, where, levels);
      }
    } else {
      int sources = 0;
      for (const char* key : {"pointer", "template", "const", "sum", "count", "lookup"})
        sources += spec.HasMember(key) ? 1 : 0;
      if (sources != 1) {
        fail(where,
             "must have exactly one of \"pointer\", \"template\", \"const\", \"sum\", "
             "\"count\" or \"lookup\"",
             "field");
      }
      if (const Value* pointer = member(spec, "pointer")) {
        rule.ref = ref_of(view(*pointer), where + "/pointer", levels);
      } else if (const Value* text = member(spec, "template")) {
        rule.source = FieldRule::Source::template_text;
        rule.text = template_of(view(*text), where + "/template", levels);
      } else if (const Value* constant = member(spec, "const")) {
        rule.source = FieldRule::Source::constant;
        if (constant->IsString()) {
          rule.constant = std::string(view(*constant));
        } else if (constant->IsBool()) {
          rule.constant = constant->GetBool();
        } else {
          rule.constant = constant->GetDouble();
        }
        const bool numeric = type == FieldType::number || type == FieldType::count;
        if ((numeric && !constant->IsNumber()) ||
            (type == FieldType::boolean && !constant->IsBool())) {
          fail(where + "/const",
               "must be " + std::string(numeric ? "a number" : "true or false") + " for the " +
                   (numeric ? "numeric" : "boolean") + " field " + quoted(name),
               "const");
        }
      } else if (const Value* lookup = member(spec, "lookup")) {
        rule.source = FieldRule::Source::lookup;
        const auto named = std::find(lookup_names_.begin(), lookup_names_.end(), view(*lookup));
        if (named == lookup_names_.end()) {
          std::string known;
          for (const auto& name : lookup_names_)
            known += (known.empty() ? "" : ", ") + name;
          fail(where + "/lookup",
               "no lookup named " + quoted(view(*lookup)) +
                   (known.empty() ? "; the file has no lookups" : "; lookups: " + known),
               "lookup");
        }
        rule.lookup = static_cast<std::size_t>(named - lookup_names_.begin());
        const Value* key = member(spec, "key");
        if (key == nullptr)
          fail(where, "missing required property \"key\" with \"lookup\"", "required");
        rule.ref = ref_of(view(*key), where + "/key", levels);
        if (type == FieldType::number || type == FieldType::count || type == FieldType::boolean)
          fail(where + "/lookup", "a lookup gives text, and " + quoted(name) + " is not text",
               "lookup");
      } else if (const Value* counted = member(spec, "count")) {
        rule.source = FieldRule::Source::count;
        if (type != FieldType::count && type != FieldType::json)
          fail(where + "/count",
               "a count fills integer fields only, and " + quoted(name) + " is not one", "count");
        rule.ref = ref_of(view(*counted), where + "/count", levels);
      } else {
        rule.source = FieldRule::Source::sum;
        if (type != FieldType::number && type != FieldType::count && type != FieldType::json)
          fail(where + "/sum", "a sum fills numbers only, and " + quoted(name) + " is not one",
               "sum");
        rule.ref = ref_of(view(spec["sum"]), where + "/sum", levels);
        const Value* of = member(spec, "of");
        if (of == nullptr)
          fail(where, "missing required property \"of\" with \"sum\"", "required");
        std::vector<Level> element = levels;
        element.push_back({Shape::array});
        rule.of = ref_of(view(*of), where + "/of", element);
      }
      if (member(spec, "of") != nullptr && rule.source != FieldRule::Source::sum)
        fail(where + "/of", "\"of\" goes with \"sum\" only", "field");
      if (member(spec, "key") != nullptr && rule.source != FieldRule::Source::lookup)
        fail(where + "/key", "\"key\" goes with \"lookup\" only", "field");
      format = member(spec, "format");
      zone = member(spec, "time_zone");
    }
    if (format != nullptr) {
      if (type != FieldType::time && type != FieldType::json) {
        fail(where + "/format",
             "a format applies to time fields only, and " + quoted(name) + " is not one", "format");
      }
      rule.format = format_of(view(*format), where + "/format");
    }
    if (zone != nullptr) {
      if (!rule.format || !rule.format->has_time_of_day())
        fail(where + "/time_zone",
             "a time zone needs a format with a time of day (HH:MM) to apply to", "time_zone");
      rule.zone = zone_named(view(*zone), where + "/time_zone");
    } else if (rule.format && rule.format->is_pattern() && rule.format->has_time_of_day()) {
      if (!zone_)
        fail(where + "/format",
             quoted(rule.format->text()) +
                 " is a local time: give its time_zone here or at /time_zone",
             "time_zone");
      rule.zone = zone_;
    }
    return rule;
  }

  // Adds the rule's status map to the mapping's, which the hub applies: two texts that read
  // the same for one entity must map to one status, in this rule and across rules.
  void statuses_of(const Value& spec, const std::string& where, const RecordRule& rule) {
    using campaign_hub::StatusMatch;
    if (rule.entity == Entity::metrics)
      fail(where, "metrics have no status", "statuses");
    const std::string entity(entity_name(rule.entity));
    // The schema allows only these names; each mode's index is its value.
    const std::string match_name = text_of(spec, "match", "exact");
    const auto named = std::find(kMatchNames.begin(), kMatchNames.end(), match_name);
    const auto match =
        static_cast<StatusMatch>(named == kMatchNames.end() ? 0 : named - kMatchNames.begin());
    auto allowed = canonical_statuses(rule.entity);
    const auto check_canonical = [&](const std::string& canonical, const std::string& at) {
      std::string list;
      for (auto status : allowed) {
        if (status == canonical)
          return;
        list += (list.empty() ? "" : ", ") + std::string(status);
      }
      fail(at, quoted(canonical) + " is not a " + entity + " status; use one of " + list, "status");
    };
    if (const Value* missing = member(spec, "when_missing")) {
      std::string canonical(view(*missing));
      std::string at = where + "/when_missing";
      check_canonical(canonical, at);
      auto [first, inserted] = when_missing_.try_emplace(entity, canonical, at);
      if (!inserted && first->second.first != canonical) {
        fail(at,
             quoted(canonical) + " differs from " + quoted(first->second.first) + " at " +
                 first->second.second + ": one entity has one status for a record without one",
             "status");
      }
      if (inserted)
        statuses_.push_back({entity, std::nullopt, canonical, match});
    }
    for (const auto& each : spec["map"].GetObject()) {
      std::string provider(view(each.name));
      std::string canonical(view(each.value));
      std::string at = where + "/map/" + pointer_token(provider);
      check_canonical(canonical, at);
      // Under the loosest match either text is read with: what the hub may confuse.
      std::string folded = connectors::text::fold_status(provider, StatusMatch::accent_insensitive);
      auto& alike = seen_[entity + '\n' + folded];
      for (const SeenStatus& seen : alike) {
        const StatusMatch looser = std::max(seen.match, match);
        bool same_text = connectors::text::fold_status(seen.provider, looser) ==
                         connectors::text::fold_status(provider, looser);
        if (same_text && seen.canonical != canonical) {
          fail(at,
               quoted(provider) + " and " + quoted(seen.provider) + " read the same under " +
                   std::string(kMatchNames.at(static_cast<std::size_t>(looser))) +
                   " matching but map to different statuses",
               "status");
        }
      }
      alike.push_back({provider, canonical, match});
      statuses_.push_back({entity, provider, canonical, match});
    }
  }

  // The mapping's names of the match modes, indexed by campaign_hub::StatusMatch.
  static constexpr std::array<std::string_view, 3> kMatchNames = {"exact", "case-insensitive",
                                                                  "accent-insensitive"};

  void record_rule_of(const Value& spec, const std::string& where, RecordRule& rule,
                      std::vector<Level>& levels, bool nested) {
    rule.where = where;
    std::string entity = text_of(spec, "entity");
    for (Entity e : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step,
                     Entity::metrics}) {
      if (entity_name(e) == entity)
        rule.entity = e;
    }
    rule.records_text = text_of(spec, "records");
    rule.records = rapidjson::Pointer(rule.records_text.data(), rule.records_text.size());
    if (!rule.records.IsValid())
      fail(where + "/records", quoted(rule.records_text) + " is not a valid JSON pointer",
           "pointer");
    std::string shape = text_of(spec, "records_are", "array");
    rule.shape = shape == "object_by_id" ? Shape::object_by_id
                 : shape == "one"        ? Shape::one
                                         : Shape::array;
    (void)nested;
    levels.push_back({rule.shape});

    const Value& fields = spec["fields"];
    bool has_status = false;
    for (const auto& each : fields.GetObject()) {
      std::string name(view(each.name));
      rule.fields.push_back(field_of(name, each.value, where + "/fields/" + pointer_token(name),
                                     rule.entity, levels));
      has_status = has_status || name == "status";
    }
    std::vector<std::string_view> required;
    switch (rule.entity) {
      case Entity::campaign:
      case Entity::opportunity:
        required = {"external_id"};
        break;
      case Entity::participant:
        required = {"external_id", "campaign_id"};
        break;
      case Entity::step:
        required = {"external_id", "participant_id"};
        break;
      case Entity::metrics:
        required = {"campaign_id"};
        break;
    }
    for (auto name : required) {
      if (!fields.HasMember(rapidjson::StringRef(name.data(), name.size()))) {
        fail(where + "/fields",
             "missing field " + quoted(name) + ", which every " +
                 std::string(entity_name(rule.entity)) + " needs",
             "required");
      }
    }
    if (const Value* attributes = member(spec, "attributes")) {
      if (rule.entity == Entity::metrics)
        fail(where + "/attributes", "metrics have no attributes", "attributes");
      for (const auto& each : attributes->GetObject()) {
        std::string name(view(each.name));
        rule.attributes.push_back(source_of(name, each.value,
                                            where + "/attributes/" + pointer_token(name),
                                            FieldType::json, levels));
      }
    }
    if (const Value* statuses = member(spec, "statuses")) {
      if (!has_status)
        fail(where + "/statuses", "there is a status map but no \"status\" in fields", "statuses");
      statuses_of(*statuses, where + "/statuses", rule);
    }
    if (const Value* nested_rules = member(spec, "nested")) {
      for (rapidjson::SizeType i = 0; i < nested_rules->Size(); ++i) {
        RecordRule child;
        record_rule_of((*nested_rules)[i], where + "/nested/" + std::to_string(i), child, levels,
                       true);
        rule.nested.push_back(std::move(child));
      }
    }
    levels.pop_back();
  }

  Paging paging_of(const Value& spec, const std::string& where) const {
    Paging paging;
    std::string kind = text_of(spec, "kind");
    using Kind = Paging::Kind;
    paging.kind = kind == "next_url"      ? Kind::next_url
                  : kind == "link_header" ? Kind::link_header
                  : kind == "offset"      ? Kind::offset
                  : kind == "page"        ? Kind::page
                  : kind == "cursor"      ? Kind::cursor
                                          : Kind::none;
    // Which keys each kind takes, and which of them it needs.
    struct Rule {
      std::vector<std::string_view> takes, needs;
    };
    Rule rule;
    switch (paging.kind) {
      case Kind::none:
      case Kind::link_header:
        break;
      case Kind::next_url:
        rule = {{"next"}, {"next"}};
        break;
      case Kind::cursor:
        rule = {{"next", "param", "in"}, {"next", "param"}};
        break;
      case Kind::offset:
        rule = {{"offset_param", "limit_param", "limit", "total", "in"}, {"total"}};
        break;
      case Kind::page:
        rule = {{"page_param", "size_param", "size", "pages", "first_page", "in"}, {"pages"}};
        break;
    }
    for (const auto& each : spec.GetObject()) {
      std::string_view key = view(each.name);
      if (key == "kind" || key == "max_pages")
        continue;
      bool takes = false;
      for (auto name : rule.takes)
        takes = takes || name == key;
      if (!takes) {
        fail(where + "/" + pointer_token(key),
             quoted(key) + " does not apply to paging kind " + quoted(kind), "paging");
      }
    }
    for (auto name : rule.needs) {
      if (!spec.HasMember(rapidjson::StringRef(name.data(), name.size()))) {
        fail(where,
             "missing required property " + quoted(name) + " for paging kind " + quoted(kind),
             "required");
      }
    }
    paging.next = text_of(spec, "next");
    paging.param = text_of(spec, "param");
    paging.offset_param = text_of(spec, "offset_param", paging.offset_param);
    paging.limit_param = text_of(spec, "limit_param", paging.limit_param);
    paging.total = text_of(spec, "total");
    paging.page_param = text_of(spec, "page_param", paging.page_param);
    paging.size_param = text_of(spec, "size_param");
    paging.pages = text_of(spec, "pages");
    if (const Value* limit = member(spec, "limit"))
      paging.limit = limit->GetInt64();
    if (const Value* size = member(spec, "size"))
      paging.size = size->GetInt64();
    if (const Value* first = member(spec, "first_page"))
      paging.first_page = first->GetInt64();
    if (const Value* max = member(spec, "max_pages"))
      paging.max_pages = max->GetInt64();
    paging.in_body = text_of(spec, "in", "query") == "body";
    if (paging.size > 0 && paging.size_param.empty())
      fail(where + "/size", "a page size needs \"size_param\", the query parameter that sends it",
           "paging");
    return paging;
  }

  Stream stream_of(const Value& spec, const std::string& where, std::vector<Level>& levels) {
    Stream stream;
    stream.name = text_of(spec, "name");
    if (!names_.insert(stream.name).second)
      fail(where + "/name", "stream name " + quoted(stream.name) + " is used twice", "name");
    request_of(spec["request"], where + "/request", stream, levels);
    if (const Value* paging = member(spec, "paging"))
      stream.paging = paging_of(*paging, where + "/paging");
    if (stream.paging.in_body && stream.method != "POST")
      fail(where + "/paging/in", "paging in the body needs \"method\": \"POST\"", "paging");
    record_rule_of(spec, where, stream, levels, false);
    if (stream.shape == Shape::one && stream.paging.kind != Paging::Kind::none)
      fail(where + "/paging", "a stream of one record per answer cannot page", "paging");
    if (const Value* incremental = member(spec, "incremental"))
      stream.incremental = incremental_of(*incremental, where + "/incremental", stream, levels);
    if (const Value* lists_all = member(spec, "lists_all")) {
      if (!levels.empty() && lists_all->GetBool()) {
        fail(where + "/lists_all",
             "only a top-level stream can list every record; a child stream is read per parent",
             "lists_all");
      }
      if (stream.entity == Entity::metrics && lists_all->GetBool())
        fail(where + "/lists_all", "metrics snapshots are never deleted", "lists_all");
      stream.lists_all = lists_all->GetBool();
    }
    if (const Value* children = member(spec, "children")) {
      levels.push_back({stream.shape});
      for (rapidjson::SizeType i = 0; i < children->Size(); ++i) {
        stream.children.push_back(
            stream_of((*children)[i], where + "/children/" + std::to_string(i), levels));
      }
      levels.pop_back();
    }
    return stream;
  }

  Webhook webhook_of(const Value& spec, const std::vector<Stream>& streams) const {
    Webhook webhook;
    webhook.scheme = text_of(spec, "scheme");
    if (member(spec, "events"))
      webhook.events = pointer_of(spec, "events", "/webhook", webhook.events_text);
    webhook.type = pointer_of(spec, "type", "/webhook", webhook.type_text);
    for (const auto& each : spec["on"].GetObject()) {
      std::string type(view(each.name));
      webhook.actions.push_back(
          action_of(type, each.value, "/webhook/on/" + pointer_token(type), streams));
    }
    return webhook;
  }

  // One event type's action. Its record is built by a top-level pull stream's own rule, so that
  // a pushed record and a pulled one are the same record.
  WebhookAction action_of(const std::string& type, const Value& spec, const std::string& where,
                          const std::vector<Stream>& streams) const {
    WebhookAction action;
    action.type = type;
    action.where = where;
    const std::string name = text_of(spec, "stream");
    const Stream* stream = nullptr;
    std::string top_level;
    for (const auto& each : streams) {
      if (each.name == name)
        stream = &each;
      top_level += (top_level.empty() ? "" : ", ") + each.name;
    }
    if (stream == nullptr) {
      if (names_.contains(name)) {
        fail(where + "/stream",
             quoted(name) +
                 " is a child stream, whose fields may read its parent record; a pushed record "
                 "has none: name a top-level stream (" +
                 top_level + ")",
             "webhook");
      }
      fail(where + "/stream",
           "no stream named " + quoted(name) + "; the top-level streams are " + top_level,
           "webhook");
    }
    const Value* record = member(spec, "record");
    const Value* fetch = member(spec, "fetch");
    const Value* remove = member(spec, "delete");
    if ((record != nullptr) + (fetch != nullptr) + (remove != nullptr) != 1)
      fail(where, "give exactly one of \"record\", \"fetch\" and \"delete\"", "webhook");
    // The event is the one record around a fetch's templates, as a parent is a child stream's.
    const std::vector<Level> event = {{Shape::one}};
    action.rule.name = stream->name;
    if (remove != nullptr) {
      action.kind = WebhookAction::Kind::remove;
      tombstone_of(*remove, where + "/delete", *stream, action.rule);
      return action;
    }
    static_cast<RecordRule&>(action.rule) = static_cast<const RecordRule&>(*stream);
    action.uses_lookups = reads_lookups(action.rule);
    const auto& slots = entity_fields(stream->entity);
    const bool has_updated_at = std::any_of(
        slots.begin(), slots.end(), [](const auto& slot) { return slot.name == "updated_at"; });
    const bool maps_updated_at =
        std::any_of(stream->fields.begin(), stream->fields.end(),
                    [](const auto& field) { return field.field == "updated_at"; });
    if (has_updated_at && !maps_updated_at) {
      fail(where + "/stream",
           "stream " + quoted(stream->name) +
               " maps no updated_at: the hub orders pushed and pulled states by the provider's "
               "updated time, so a late event would overwrite a newer state",
           "webhook");
    }
    // The record's pointer: in the event, or in the answer of the fetch ("" the answer itself).
    const Value* records = record;
    std::string records_where = where + "/record";
    if (fetch != nullptr) {
      action.kind = WebhookAction::Kind::fetch;
      action.path_text = text_of(*fetch, "path");
      request_of(*fetch, where + "/fetch", action.rule, event);
      records = member(*fetch, "records");
      records_where = where + "/fetch/records";
    }
    action.rule.records_text = records != nullptr ? std::string(view(*records)) : std::string();
    action.rule.records =
        rapidjson::Pointer(action.rule.records_text.data(), action.rule.records_text.size());
    if (!action.rule.records.IsValid())
      fail(records_where, quoted(action.rule.records_text) + " is not a valid JSON pointer",
           "pointer");
    action.rule.shape = Shape::one;
    return action;
  }

  // A deletion: a record of the stream's entity with its id, its time when the event gives one,
  // and `deleted`, built by the record builder as any other record.
  void tombstone_of(const Value& spec, const std::string& where, const Stream& stream,
                    Stream& rule) const {
    if (stream.entity == Entity::metrics)
      fail(where, "metrics snapshots are never deleted", "webhook");
    rule.entity = stream.entity;
    rule.where = where;
    rule.records = rapidjson::Pointer("");  // the event itself
    rule.shape = Shape::one;
    const std::vector<Level> event = {{Shape::one}};
    for (const char* name : {"external_id", "updated_at"}) {
      if (const Value* source = member(spec, name))
        rule.fields.push_back(field_of(name, *source, where + "/" + name, rule.entity, event));
    }
    rapidjson::Document deleted;
    deleted.Parse(R"({"const": true})");
    rule.fields.push_back(field_of("deleted", deleted, where, rule.entity, event));
  }

  static bool reads_lookups(const RecordRule& rule) {
    const auto looks_up = [](const FieldRule& field) {
      return field.source == FieldRule::Source::lookup;
    };
    return std::any_of(rule.fields.begin(), rule.fields.end(), looks_up) ||
           std::any_of(rule.attributes.begin(), rule.attributes.end(), looks_up) ||
           std::any_of(rule.nested.begin(), rule.nested.end(), reads_lookups);
  }

  // A request's method, path, JSON body and query; `where` is the request object's pointer.
  void request_of(const Value& spec, const std::string& where, Stream& stream,
                  const std::vector<Level>& levels) const {
    stream.method = text_of(spec, "method", "GET");
    stream.path = template_of(view(spec["path"]), where + "/path", levels);
    if (const Value* body = member(spec, "body")) {
      if (stream.method != "POST")
        fail(where + "/body", "a request body needs \"method\": \"POST\"", "body");
      stream.body = body_of(*body, where + "/body", levels, false);
    }
    if (const Value* query = member(spec, "query")) {
      for (const auto& each : query->GetObject()) {
        std::string key(view(each.name));
        stream.query.emplace_back(
            key, template_of(view(each.value), where + "/query/" + pointer_token(key), levels));
      }
    }
  }

  rapidjson::Pointer pointer_of(const Value& spec, const char* key, const std::string& where,
                                std::string& text) const {
    text = text_of(spec, key);
    rapidjson::Pointer pointer(text.data(), text.size());
    if (!pointer.IsValid())
      fail(where + "/" + key, quoted(text) + " is not a valid JSON pointer", "pointer");
    return pointer;
  }

  Lookup lookup_of(const Value& spec, const std::string& where) {
    Lookup lookup;
    lookup.name = text_of(spec, "name");
    for (const auto& name : lookup_names_) {
      if (name == lookup.name)
        fail(where + "/name", "lookup name " + quoted(name) + " is used twice", "name");
    }
    Stream& request = lookup.request;
    request.name = "lookup " + lookup.name;
    request.where = where;
    request_of(spec["request"], where + "/request", request, {});
    if (const Value* paging = member(spec, "paging"))
      request.paging = paging_of(*paging, where + "/paging");
    if (request.paging.in_body && request.method != "POST")
      fail(where + "/paging/in", "paging in the body needs \"method\": \"POST\"", "paging");
    request.records_text = text_of(spec, "records");
    request.records = pointer_of(spec, "records", where, request.records_text);
    request.shape = text_of(spec, "records_are", "array") == "object_by_id" ? Shape::object_by_id
                                                                            : Shape::array;
    if (text_of(spec, "key") == "#key") {
      if (request.shape != Shape::object_by_id)
        fail(where + "/key", "\"#key\" reads the member names of records_are object_by_id",
             "lookup");
      lookup.key_text = "#key";
      lookup.key_is_member = true;
    } else {
      lookup.key = pointer_of(spec, "key", where, lookup.key_text);
    }
    lookup.value = pointer_of(spec, "value", where, lookup.value_text);
    return lookup;
  }

  // A request body template: every string in it may hold {/pointer} parts (a parent's field)
  // and, in an incremental body, {cursor}.
  Body body_of(const Value& spec, const std::string& where, const std::vector<Level>& levels,
               bool allow_cursor) const {
    Body body;
    body.json = connectors::json::to_json(spec);
    std::vector<std::pair<const Value*, std::string>> todo = {{&spec, ""}};
    while (!todo.empty()) {
      auto [value, at] = todo.back();
      todo.pop_back();
      if (value->IsObject()) {
        for (const auto& each : value->GetObject())
          todo.emplace_back(&each.value, at + "/" + pointer_token(view(each.name)));
      } else if (value->IsArray()) {
        for (rapidjson::SizeType i = 0; i < value->Size(); ++i)
          todo.emplace_back(&(*value)[i], at + "/" + std::to_string(i));
      } else if (value->IsString() && view(*value).find('{') != std::string_view::npos) {
        body.strings.emplace_back(at, template_of(view(*value), where + at, levels, allow_cursor));
      }
    }
    return body;
  }

  Incremental incremental_of(const Value& spec, const std::string& where, const Stream& stream,
                             const std::vector<Level>& levels) const {
    Incremental incremental;
    incremental.field = text_of(spec, "field");
    auto slots = entity_fields(stream.entity);
    bool mapped = false;
    for (const auto& rule : stream.fields) {
      if (rule.field == incremental.field) {
        mapped = true;
        incremental.slot = rule.slot;
        if (slots[rule.slot].type != FieldType::time)
          fail(where + "/field", quoted(incremental.field) + " is not a time field", "incremental");
      }
    }
    if (!mapped) {
      fail(where + "/field",
           quoted(incremental.field) +
               " is not in this stream's fields; the cursor is the "
               "largest value of a mapped time field",
           "incremental");
    }
    std::string format = text_of(spec, "format", "rfc3339");
    incremental.format = *format_of(format, where + "/format");
    if (incremental.format.is_pattern() && incremental.format.has_time_of_day() && !zone_) {
      fail(where + "/format", quoted(format) + " is a local time: give the mapping's /time_zone",
           "time_zone");
    }
    bool uses_cursor = false;
    const auto sends_cursor = [&](const Template& text) {
      for (const auto& part : text.parts) {
        if (auto* literal = std::get_if<std::string>(&part); literal && *literal == cursor_marker)
          uses_cursor = true;
      }
    };
    if (const Value* query = member(spec, "query")) {
      for (const auto& each : query->GetObject()) {
        std::string key(view(each.name));
        auto text =
            template_of(view(each.value), where + "/query/" + pointer_token(key), levels, true);
        sends_cursor(text);
        incremental.query.emplace_back(key, std::move(text));
      }
    }
    if (const Value* body = member(spec, "body")) {
      if (stream.method != "POST")
        fail(where + "/body", "a request body needs \"method\": \"POST\"", "body");
      incremental.body = body_of(*body, where + "/body", levels, true);
      for (const auto& [at, text] : incremental.body.strings)
        sends_cursor(text);
    }
    if (!uses_cursor)
      fail(where, "neither a query parameter nor the body sends {cursor}", "incremental");
    if (const Value* sorted = member(spec, "sorted"))
      incremental.sorted = sorted->GetBool();
    if (const Value* per_parent = member(spec, "per_parent")) {
      if (levels.empty() && per_parent->GetBool())
        fail(where + "/per_parent", "a top-level stream has no parent", "incremental");
      incremental.per_parent = per_parent->GetBool();
    }
    return incremental;
  }

  struct SeenStatus {
    std::string provider;
    std::string canonical;
    campaign_hub::StatusMatch match;
  };

  std::string file_;
  std::optional<Zone> zone_;
  std::set<std::string> names_;
  std::vector<std::string> lookup_names_;
  std::vector<campaign_hub::StatusRule> statuses_;
  // entity + '\n' + accent-folded text -> the texts seen; entity -> (when_missing, where)
  std::map<std::string, std::vector<SeenStatus>> seen_;
  std::map<std::string, std::pair<std::string, std::string>> when_missing_;
};

}  // namespace

std::string_view entity_name(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return "campaign";
    case Entity::opportunity:
      return "opportunity";
    case Entity::participant:
      return "participant";
    case Entity::step:
      return "step";
    case Entity::metrics:
      return "metrics";
  }
  return "?";
}

Mapping parse_mapping(std::string_view json, const std::string& file) {
  static const rapidjson::Document schema = [] {
    rapidjson::Document document;
    auto text = mapping_schema();
    document.Parse(text.data(), text.size());
    return document;
  }();
  if (auto at = connectors::json::too_deep(json)) {
    throw MappingError(file + ": the mapping " + connectors::json::too_deep_reason(*at));
  }
  rapidjson::Document document;
  document.Parse<rapidjson::kParseCommentsFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    // Line and column, counted from the offset RapidJSON gives.
    std::size_t offset = document.GetErrorOffset(), line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < json.size(); ++i) {
      if (json[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw MappingError(
        file + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
        ": not valid JSON: " + rapidjson::GetParseError_En(document.GetParseError()) + " (json)");
  }
  if (auto violation = schema_violation(document, schema))
    throw MappingError(file + ": " + *violation);
  return Compiler(file).compile(document);
}

Mapping load_mapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw MappingError(path + ": cannot read the mapping file (" +
                       std::string(std::error_code(errno, std::generic_category()).message()) +
                       "); a relative path is taken from the hub's working directory");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_mapping(text.str(), path);
}

}  // namespace rest_json
