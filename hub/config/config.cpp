#include "hub/config/config.h"

#include <openssl/sha.h>

#include <charconv>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/http/client.h"
#include "connectors/json/depth.h"
#include "connectors/json/schema_check.h"
#include "connectors/json/settings_reader.h"
#include "connectors/text/secret_redactor.h"
#include "hub/config/secrets.h"
#include "hub/model/statuses.h"
#include "hub/schedule/schedule.h"

namespace hub {
namespace {

using connectors::json::as_view;
using connectors::json::first_violation;
using connectors::json::member;
using connectors::json::quoted;
using connectors::json::to_json;

using rapidjson::Value;

constexpr std::string_view kDefaultDatabaseUrl = "sqlite3://campaign-hub.db";

// The schema is parsed once; the document stays alive because error messages read the
// failing keyword's arguments (minimum, enum values...) from it.
struct CompiledSchema {
  rapidjson::Document document;
  std::unique_ptr<rapidjson::SchemaDocument> schema;

  CompiledSchema() {
    const std::string_view text = config_schema();
    document.Parse(text.data(), text.size());
    if (document.HasParseError()) {
      throw std::logic_error("the built-in config schema is not valid JSON: " +
                             std::string(rapidjson::GetParseError_En(document.GetParseError())));
    }
    schema = std::make_unique<rapidjson::SchemaDocument>(document);
  }
};

const CompiledSchema& compiled_schema() {
  static const CompiledSchema compiled;
  return compiled;
}

std::string shown_pointer(std::string_view pointer) {
  return pointer.empty() ? std::string("(root)") : std::string(pointer);
}

[[noreturn]] void fail(const std::string& origin, std::string_view pointer,
                       const std::string& sentence, std::string_view rule) {
  throw ConfigError(origin + ": " + shown_pointer(pointer) + ": " + sentence + " (" +
                    std::string(rule) + ")");
}

void validate_against_schema(const rapidjson::Document& doc, const std::string& origin) {
  const CompiledSchema& compiled = compiled_schema();
  if (auto violation = first_violation(doc, compiled.document, *compiled.schema)) {
    fail(origin, violation->pointer, violation->sentence, violation->keyword);
  }
}

// RapidJSON keeps every copy of a repeated key; the config would then silently use the first.
void reject_duplicate_keys(const Value& value, const std::string& pointer,
                           const std::string& origin) {
  if (value.IsObject()) {
    std::set<std::string_view> seen;
    for (const auto& each : value.GetObject()) {
      const std::string_view name = as_view(each.name);
      const std::string at = append_pointer(pointer, name);
      if (!seen.insert(name).second) {
        fail(origin, at, "property " + quoted(name) + " is written twice; keep one",
             "duplicate key");
      }
      reject_duplicate_keys(each.value, at, origin);
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      reject_duplicate_keys(value[i], append_pointer(pointer, std::to_string(i)), origin);
    }
  }
}

void check_schedule(const Value& schedule, const std::string& at, const std::string& origin) {
  const Value* every = member(schedule, "every");
  const Value* cron = member(schedule, "cron");
  if ((every != nullptr) == (cron != nullptr)) {
    fail(origin, at,
         every ? "give either every or cron, not both"
               : "say when to run: every (\"15m\") or cron (\"0 9 * * 1-5\")",
         "exactly one of every, cron");
  }
  // Parsed now, so that a bad schedule stops the config at start and at reload alike. The
  // message names the field ("cron '61 * * * *': minute: ...", "unknown time zone ...").
  ScheduleSpec spec;
  spec.every = every ? std::string(as_view(*every)) : "";
  spec.cron = cron ? std::string(as_view(*cron)) : "";
  if (const Value* zone = member(schedule, "time_zone")) {
    spec.time_zone = as_view(*zone);
  }
  if (const Value* jitter = member(schedule, "jitter")) {
    try {
      spec.jitter = parse_jitter(as_view(*jitter));
    } catch (const ScheduleError& error) {
      fail(origin, at + "/jitter", error.what(), "duration");
    }
  }
  try {
    Schedule::parse(spec);
  } catch (const ScheduleError& error) {
    fail(origin, at, error.what(), "schedule");
  }
}

// Rules the schema cannot say. They read the document before secrets are resolved, so a
// message can quote a value without ever quoting a secret.
// A copy of `value` in which each string holding a secret placeholder is a stand-in that any
// string setting accepts, an https URL: the secret's value is not known before it is resolved,
// and a message must never quote it.
Value placeholders_stood_in(const Value& value, rapidjson::Document::AllocatorType& allocator) {
  if (value.IsString()) {
    const std::string_view text = as_view(value);
    if (text.find("${env:") != std::string_view::npos ||
        text.find("${file:") != std::string_view::npos)
      return Value("https://secret.invalid", allocator);
  }
  Value copy(rapidjson::kNullType);
  if (value.IsObject()) {
    copy.SetObject();
    for (const auto& each : value.GetObject())
      copy.AddMember(Value(each.name, allocator), placeholders_stood_in(each.value, allocator),
                     allocator);
  } else if (value.IsArray()) {
    copy.SetArray();
    for (const auto& each : value.GetArray())
      copy.PushBack(placeholders_stood_in(each, allocator), allocator);
  } else {
    copy.CopyFrom(value, allocator);
  }
  return copy;
}

// The `http` object as the HTTP connector reads it, so that a wrong one stops the config rather
// than the instance's first run. Its messages are "http/<pointer>: <sentence> (<rule>)".
void check_http(const Value& http, const std::string& at, const std::string& origin) {
  rapidjson::Document copy;
  static_cast<Value&>(copy) = placeholders_stood_in(http, copy.GetAllocator());
  try {
    connectors::http::parse_settings(to_json(copy));
  } catch (const connectors::json::SettingsError& error) {
    fail(origin, at + error.pointer(), error.sentence(), error.rule());
  }
}

void check_instances(const Value& doc, const std::string& origin) {
  const Value* instances = member(doc, "instances");
  if (instances == nullptr) {
    return;
  }
  std::map<std::string_view, std::string> names;  // name -> pointer of its first use
  for (rapidjson::SizeType i = 0; i < instances->Size(); ++i) {
    const Value& instance = (*instances)[i];
    const std::string at = "/instances/" + std::to_string(i);
    const std::string_view name = as_view(instance["name"]);
    auto [first, inserted] = names.emplace(name, at + "/name");
    if (!inserted) {
      fail(origin, at + "/name",
           "instance name " + quoted(name) + " is already used at " + first->second +
               "; each instance needs its own name",
           "unique names");
    }
    if (const Value* schedule = member(instance, "schedule")) {
      check_schedule(*schedule, at + "/schedule", origin);
    }
    if (const Value* http = member(instance, "http")) {
      check_http(*http, at + "/http", origin);
    }
    if (const Value* missing = member(instance, "status_when_missing")) {
      for (const auto& entry : missing->GetObject()) {
        const std::string_view entity_name = as_view(entry.name);
        const std::string_view canonical = as_view(entry.value);
        if (is_canonical_status(entity_name, canonical))
          continue;
        std::string allowed;
        for (std::string_view status : canonical_statuses(entity_name))
          allowed += (allowed.empty() ? "" : ", ") + std::string(status);
        fail(origin, append_pointer(at + "/status_when_missing", entity_name),
             quoted(canonical) + " is not a canonical " + std::string(entity_name) +
                 " status; use one of " + allowed,
             "canonical status");
      }
    }
    const Value* overrides = member(instance, "status_overrides");
    if (overrides == nullptr) {
      continue;
    }
    for (const auto& entity : overrides->GetObject()) {
      const std::string_view entity_name = as_view(entity.name);
      const std::string entity_at = append_pointer(at + "/status_overrides", entity_name);
      for (const auto& entry : entity.value.GetObject()) {
        const std::string_view canonical = as_view(entry.value);
        if (is_canonical_status(entity_name, canonical)) {
          continue;
        }
        std::string allowed;
        for (std::string_view status : canonical_statuses(entity_name)) {
          allowed += (allowed.empty() ? "" : ", ") + std::string(status);
        }
        fail(origin, append_pointer(entity_at, as_view(entry.name)),
             quoted(canonical) + " is not a canonical " + std::string(entity_name) +
                 " status; use one of " + allowed,
             "canonical status");
      }
    }
  }
}

std::filesystem::path anchored_folder(const std::string& written,
                                      const std::filesystem::path& base_dir) {
  std::filesystem::path path(written);
  if (path.is_relative()) {
    path = base_dir / path;
  }
  path = std::filesystem::absolute(path).lexically_normal();
  if (!path.has_filename() && path.has_relative_path()) {
    path = path.parent_path();  // "plugins/" -> "plugins"
  }
  return path;
}

std::filesystem::path anchored_file(const std::string& written,
                                    const std::filesystem::path& base_dir) {
  std::filesystem::path path(written);
  return path.is_relative() ? (base_dir / path).lexically_normal() : path;
}

std::string string_or(const Value* value, std::string_view fallback) {
  return value != nullptr ? std::string(as_view(*value)) : std::string(fallback);
}

InstanceConfig read_instance(const Value& instance) {
  InstanceConfig out;
  out.name = as_view(instance["name"]);
  out.plugin = as_view(instance["plugin"]);
  if (const Value* settings = member(instance, "settings")) {
    out.settings_json = to_json(*settings);
  }
  if (const Value* http = member(instance, "http")) {
    out.http_json = to_json(*http);
  }
  if (const Value* overrides = member(instance, "status_overrides")) {
    for (const auto& entity : overrides->GetObject()) {
      auto& map = out.status_overrides[std::string(as_view(entity.name))];
      for (const auto& entry : entity.value.GetObject()) {
        map[std::string(as_view(entry.name))] = as_view(entry.value);
      }
    }
  }
  if (const Value* missing = member(instance, "status_when_missing")) {
    for (const auto& entry : missing->GetObject())
      out.status_when_missing[std::string(as_view(entry.name))] = as_view(entry.value);
  }
  if (const Value* batch_size = member(instance, "batch_size")) {
    out.batch_size = static_cast<std::size_t>(batch_size->GetInt64());
  }
  out.default_initiative =
      string_or(member(instance, "default_initiative"), out.default_initiative);
  if (const Value* detect = member(instance, "detect_deletions"))
    out.detect_deletions = detect->GetBool();
  if (const Value* schedule = member(instance, "schedule")) {
    ScheduleConfig when;
    when.every = string_or(member(*schedule, "every"), "");
    when.cron = string_or(member(*schedule, "cron"), "");
    when.time_zone = string_or(member(*schedule, "time_zone"), when.time_zone);
    when.jitter = string_or(member(*schedule, "jitter"), when.jitter);
    out.schedule = when;
  }
  if (const Value* timeout = member(instance, "run_timeout_seconds")) {
    out.run_timeout_seconds = timeout->GetInt();
  }
  if (const Value* limit = member(instance, "memory_limit_mib")) {
    out.memory_limit_mib = limit->GetInt();
  }
  if (const Value* webhook = member(instance, "webhook")) {
    WebhookConfig in;
    in.scheme = as_view((*webhook)["scheme"]);
    in.secret = as_view((*webhook)["secret"]);
    if (const Value* tolerance = member(*webhook, "tolerance_seconds"))
      in.tolerance_seconds = tolerance->GetInt();
    if (const Value* cap = member(*webhook, "max_body_bytes"))
      in.max_body_bytes = static_cast<std::size_t>(cap->GetInt64());
    in.public_url = string_or(member(*webhook, "public_url"), "");
    if (const Value* window = member(*webhook, "dedup_hours"))
      in.dedup_hours = window->GetInt();
    out.webhook = std::move(in);
  }
  return out;
}

std::string line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

const InstanceConfig* Config::instance(std::string_view name) const {
  auto found = std::find_if(instances.begin(), instances.end(),
                            [&](const InstanceConfig& each) { return each.name == name; });
  return found == instances.end() ? nullptr : &*found;
}

std::string Config::redact(std::string_view text) const {
  connectors::text::SecretRedactor redactor;
  for (const auto& secret : secrets)
    redactor.add(secret);
  return redactor.redact(text);
}

// API tokens are secrets: written in the file only as a ${env:} or ${file:} reference, or as
// their SHA-256; two tokens never share a name.
void check_tokens(const Value& doc, const std::string& origin) {
  const Value* serve = member(doc, "serve");
  const Value* tokens = serve != nullptr ? member(*serve, "tokens") : nullptr;
  if (tokens == nullptr)
    return;
  std::set<std::string> names;
  for (rapidjson::SizeType i = 0; i < tokens->Size(); ++i) {
    const Value& token = (*tokens)[i];
    const std::string at = "/serve/tokens/" + std::to_string(i);
    const std::string name(as_view(token["name"]));
    if (!names.insert(name).second)
      fail(origin, at + "/name", quoted(std::string_view(name)) + " names two tokens",
           "unique names");
    const bool has_token = member(token, "token") != nullptr;
    if (has_token == (member(token, "sha256") != nullptr))
      fail(origin, at,
           "give the token as \"token\" (a ${env:} or ${file:} reference) or as "
           "\"sha256\", one of them",
           "token");
    if (has_token) {
      const std::string_view text = as_view(token["token"]);
      if (!(text.starts_with("${env:") || text.starts_with("${file:")) || !text.ends_with("}")) {
        fail(origin, at + "/token",
             "a token is a secret: write ${env:NAME} or ${file:/path}, or its sha256 "
             "(campaign-hub tokens hash), never the token itself",
             "secret");
      }
    }
  }
}

std::array<unsigned char, 32> token_digest(std::string_view token) {
  std::array<unsigned char, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
  return digest;
}

Config parse_config(std::string_view json, const std::filesystem::path& origin) {
  const std::string where = origin.empty() ? std::string("config") : origin.string();

  if (auto at = connectors::json::too_deep(json)) {
    throw ConfigError(where + ":" + line_and_column(json, *at) + ": the config " +
                      connectors::json::too_deep_reason(*at));
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    throw ConfigError(where + ":" + line_and_column(json, doc.GetErrorOffset()) + ": " +
                      rapidjson::GetParseError_En(doc.GetParseError()) + " (JSON syntax)");
  }
  reject_duplicate_keys(doc, "", where);
  validate_against_schema(doc, where);
  check_instances(doc, where);
  check_tokens(doc, where);

  Config config;
  config.file = origin;
  config.text = json;
  const SecretSources sources{where, origin.parent_path()};
  // An instance's secrets are its own: one that cannot be resolved fails that instance when
  // it is used, not every command (`runs list` needs no provider's token). The rest of the
  // file (the database URL) is resolved at once.
  std::vector<std::string> instance_errors;
  if (Value* instances = doc.HasMember("instances") ? &doc["instances"] : nullptr) {
    for (rapidjson::SizeType i = 0; i < instances->Size(); ++i) {
      try {
        resolve_secrets((*instances)[i], doc.GetAllocator(), "/instances/" + std::to_string(i),
                        sources, config.secrets);
        instance_errors.emplace_back();
      } catch (const ConfigError& error) {
        instance_errors.emplace_back(error.what());
      }
    }
    Value kept;
    kept.Swap(*instances);  // resolved above: kept out of the whole-file pass
    resolve_secrets(doc, doc.GetAllocator(), "", sources, config.secrets);
    instances->Swap(kept);
  } else {
    resolve_secrets(doc, doc.GetAllocator(), "", sources, config.secrets);
  }

  const Value* database = member(doc, "database");
  config.database_url =
      string_or(database != nullptr ? member(*database, "url") : nullptr, kDefaultDatabaseUrl);
  if (const Value* plugin_dir = member(doc, "plugin_dir")) {
    config.plugin_dir = anchored_folder(std::string(as_view(*plugin_dir)), origin.parent_path());
  }
  if (const Value* logging = member(doc, "logging")) {
    config.logging.level = string_or(member(*logging, "level"), config.logging.level);
    config.logging.format = string_or(member(*logging, "format"), config.logging.format);
  }
  if (const Value* serve = member(doc, "serve")) {
    ServeConfig& out = config.serve;
    out.listen = string_or(member(*serve, "listen"), out.listen);
    if (const Value* tls = member(*serve, "tls")) {
      const auto base = origin.parent_path();
      out.tls_certificate = anchored_file(std::string(as_view((*tls)["certificate"])), base);
      out.tls_private_key = anchored_file(std::string(as_view((*tls)["private_key"])), base);
    }
    auto integer = [&](const char* key, int& into) {
      if (const Value* value = member(*serve, key)) {
        into = value->GetInt();
      }
    };
    if (const Value* tokens = member(*serve, "tokens")) {
      for (const auto& token : tokens->GetArray()) {
        ApiToken kept;
        kept.name = as_view(token["name"]);
        const std::string_view role = as_view(token["role"]);
        kept.role = role == "manager"       ? Role::manager
                    : role == "contributor" ? Role::contributor
                                            : Role::viewer;
        if (const Value* secret = member(token, "token")) {
          kept.sha256 = token_digest(as_view(*secret));
        } else {
          const std::string_view hex = as_view(token["sha256"]);
          for (std::size_t i = 0; i < kept.sha256.size(); ++i) {
            unsigned byte = 0;
            std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, byte, 16);
            kept.sha256[i] = static_cast<unsigned char>(byte);
          }
        }
        out.tokens.push_back(std::move(kept));
      }
    }
    integer("max_parallel_runs", out.max_parallel_runs);
    integer("grace_period_seconds", out.grace_period_seconds);
    integer("retry_first_seconds", out.retry_first_seconds);
    integer("retry_max_seconds", out.retry_max_seconds);
    integer("lease_seconds", out.lease_seconds);
  }
  if (const Value* instances = member(doc, "instances")) {
    for (const auto& instance : instances->GetArray()) {
      config.instances.push_back(read_instance(instance));
      config.instances.back().secret_error = instance_errors[config.instances.size() - 1];
    }
  }
  return config;
}

Config load_config(const std::filesystem::path& file) {
  const std::string where = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw ConfigError(where + ": cannot open: " + std::strerror(EISDIR));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw ConfigError(where + ": cannot open: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw ConfigError(where + ": cannot read: " + std::strerror(errno));
  }
  return parse_config(text.str(), file);
}

}  // namespace hub
