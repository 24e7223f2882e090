// A mapping file, checked and compiled once when it loads: every JSON pointer, template, time
// format, zone and status map is parsed here, so reading a page only walks the compiled form.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include "campaign_hub/statuses.h"
#include "plugins/rest-json/times.h"

namespace rest_json {

// A mapping that cannot be used. what() is one line: "<file>: <pointer>: <sentence> (<rule>)".
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Entity { campaign, opportunity, participant, step, metrics };
std::string_view entity_name(Entity entity);

enum class Shape { array, object_by_id, one };

// A value in the record chain: `depth` 0 is the record itself, 1 its parent, and so on;
// `key` means the member name of a record in an object_by_id collection.
struct Ref {
  int depth = 0;
  bool key = false;
  rapidjson::Pointer pointer;
  std::string text;  // as written, for messages
};

// "{/a}-{^/b}": literal text and references, in order.
struct Template {
  std::vector<std::variant<std::string, Ref>> parts;
};

struct FieldRule {
  enum class Source { pointer, constant, template_text, sum, count, lookup };
  std::string field;     // canonical field name; for an attribute, its key
  std::size_t slot = 0;  // index in the entity's field table (record_fields.h); unused for
                         // an attribute
  bool attribute = false;
  std::string where;  // the rule's JSON pointer in the mapping file
  Source source = Source::pointer;
  Ref ref;                 // pointer; sum and count: the array; lookup: the key
  std::size_t lookup = 0;  // lookup: its index in Mapping::lookups
  Ref of;                  // sum: the member of each element
  Template text;           // template
  std::variant<std::string, double, bool> constant;
  std::optional<TimeFormat> format;
  std::optional<Zone> zone;
};

struct RecordRule {
  Entity entity = Entity::campaign;
  std::string where;
  rapidjson::Pointer records;
  std::string records_text;
  Shape shape = Shape::array;
  std::vector<FieldRule> fields;
  // The provider's other fields, into the record's `attributes` object: key -> where from.
  std::vector<FieldRule> attributes;
  std::vector<RecordRule> nested;
};

struct Paging {
  enum class Kind { none, next_url, link_header, offset, page, cursor };
  Kind kind = Kind::none;
  std::string next;  // pointer text: next_url, cursor
  std::string param;
  std::string offset_param = "offset";
  std::string limit_param = "limit";
  std::int64_t limit = 100;
  std::string total;  // pointer text
  std::string page_param = "page";
  std::string size_param;  // none: not sent
  std::int64_t size = 0;
  std::string pages;  // pointer text
  std::int64_t first_page = 1;
  std::int64_t max_pages = 100000;
  // cursor, offset and page: the token, offset or page number (and its limit or size) go in
  // the JSON request body as top-level members instead of the query.
  bool in_body = false;
};

// A JSON request body: the text of its template, and the strings in it that take values (a
// parent record's field, {cursor}), by their JSON pointer in the body.
struct Body {
  std::string json;  // an object; empty: no body
  std::vector<std::pair<std::string, Template>> strings;
};

struct Incremental {
  std::string field;
  std::size_t slot = 0;
  std::vector<std::pair<std::string, Template>> query;  // {cursor} is a literal part marker
  Body body;  // members added to the request body when a cursor is saved
  TimeFormat format;
  bool sorted = false;
  // A child stream: one cursor per parent record (named after the child's request path),
  // instead of one for the whole stream, committed once every parent was read.
  bool per_parent = false;
};

struct Stream : RecordRule {
  std::string name;
  std::string method = "GET";  // or POST, for search APIs
  Template path;
  std::vector<std::pair<std::string, Template>> query;
  Body body;
  Paging paging;
  std::optional<Incremental> incremental;
  bool lists_all = false;  // a full read lists every live record of the entity
  std::vector<Stream> children;
};

// A dictionary read before the streams: key -> value, for fields that hold an id of something
// else (an owner id to the owner's e-mail). Read like a stream (request, records, paging).
struct Lookup {
  std::string name;
  Stream request;  // its request, records, shape and paging; no fields
  rapidjson::Pointer key;
  bool key_is_member = false;  // "#key": the member name in an object_by_id collection
  rapidjson::Pointer value;
  std::string key_text, value_text;  // as written, for messages
};

// What a pushed event of one type makes (the mapping's /webhook/on/<type>): a record of a pull
// stream, built by that stream's own rule, found in the event or read back from the provider;
// or a tombstone.
struct WebhookAction {
  enum class Kind { record, fetch, remove };
  std::string type;   // the event type, as the provider sends it
  std::string where;  // the action's pointer in the mapping, for messages
  Kind kind = Kind::record;
  // Named after the pull stream whose rule builds the record. record: the stream's rule, reading
  // the one record at `records` in the event; fetch: the stream's rule, with a GET whose path and
  // query take the event's values ({/objectId}), reading the one record at `records` in the answer;
  // remove: external_id and updated_at from the event, and deleted true.
  Stream rule;
  std::string path_text;      // fetch: the path as written, for messages
  bool uses_lookups = false;  // the rule reads a lookup: the lookups are read first
};

// How the provider pushes (the mapping's /webhook). The hub verifies the signature with the
// instance's `webhook` config; `scheme` says which one the instance must set.
struct Webhook {
  std::string scheme;  // standard-webhooks, hubspot-v3 or url-secret
  // Where the events are in the body: an array; none when the body is one event.
  std::optional<rapidjson::Pointer> events;
  std::string events_text;
  rapidjson::Pointer type;  // in each event: its type
  std::string type_text;
  std::vector<WebhookAction> actions;
};

struct Mapping {
  std::string file;  // as named in messages
  std::string provider;
  std::optional<std::string> base_url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string auth_hint;  // "basic", "api_key (header X-Api-Key)", ... or ""
  std::optional<Zone> zone;
  std::vector<Lookup> lookups;
  std::vector<Stream> streams;
  std::optional<Webhook> webhook;
  // Every record rule's status map, for the hub to apply (Provider::statuses): a record keeps
  // the provider's word, and no two rules of one entity disagree on a text.
  std::vector<campaign_hub::StatusRule> statuses;
};

// Parses, validates against config/rest-json-mapping.schema.json and compiles. `file` names
// the mapping in messages. Throws MappingError.
Mapping parse_mapping(std::string_view json, const std::string& file);
Mapping load_mapping(const std::string& path);

// The compiled-in schema and presets (generated from config/ at build time).
std::string_view mapping_schema();
// The preset's JSON text, or nothing; names: bntouch, clover, artis, interactive-medica.
std::optional<std::string_view> preset(std::string_view name);
std::vector<std::string_view> preset_names();

// A member name as a JSON pointer token (RFC 6901: ~ and / escaped).
std::string pointer_token(std::string_view name);

// Template text for "{cursor}" in incremental queries.
inline constexpr std::string_view cursor_marker =
    "\x01"
    "cursor";

}  // namespace rest_json
