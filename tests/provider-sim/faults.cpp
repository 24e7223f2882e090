// Fault rules: parsed from JSON, matched per request, composed into one FaultPlan.
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "sim.h"

namespace provider_sim {
namespace {

constexpr const char* kKinds[] = {"status",    "delay",  "stall",        "reset", "truncate",
                                  "malformed", "repeat", "expire_token", "touch", "delete"};

[[noreturn]] void bad(std::size_t rule, const std::string& what) {
  throw std::invalid_argument("/faults/" + std::to_string(rule) + ": " + what);
}

}  // namespace

void Faults::set(std::string_view json) {
  std::vector<Rule> rules;
  if (!json.empty()) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (document.HasParseError()) {
      throw std::invalid_argument(std::string("faults: not valid JSON: ") +
                                  rapidjson::GetParseError_En(document.GetParseError()));
    }
    const rapidjson::Value* list = &document;
    if (document.IsObject() && document.HasMember("faults"))
      list = &document["faults"];
    if (!list->IsArray())
      throw std::invalid_argument("faults: expected [rules] or {\"faults\": [rules]}");
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const rapidjson::Value& v = (*list)[i];
      if (!v.IsObject())
        bad(i, "expected an object");
      Rule r;
      auto str = [&](const char* key, std::string& out) {
        if (!v.HasMember(key))
          return;
        if (!v[key].IsString())
          bad(i, std::string(key) + ": expected a string");
        out = v[key].GetString();
      };
      auto integer = [&](const char* key, auto& out) {
        if (!v.HasMember(key))
          return;
        if (!v[key].IsInt64())
          bad(i, std::string(key) + ": expected an integer");
        out = static_cast<std::remove_reference_t<decltype(out)>>(v[key].GetInt64());
      };
      auto number = [&](const char* key, double& out) {
        if (!v.HasMember(key))
          return;
        if (!v[key].IsNumber())
          bad(i, std::string(key) + ": expected a number");
        out = v[key].GetDouble();
      };
      str("kind", r.kind);
      bool known = false;
      for (const char* kind : kKinds)
        known = known || r.kind == kind;
      if (!known)
        bad(i, "kind: unknown fault \"" + r.kind + "\"");
      str("path", r.path);
      str("provider", r.provider);
      integer("after", r.after);
      integer("count", r.count);
      integer("every", r.every);
      if (r.every < 1)
        bad(i, "every: must be at least 1");
      integer("status", r.status);
      if (r.kind == "status" && (r.status < 100 || r.status > 599))
        bad(i, "status: 100 to 599");
      if (v.HasMember("retry_after")) {
        const auto& ra = v["retry_after"];
        if (ra.IsInt()) {
          r.retry_after = ra.GetInt();
        } else if (ra.IsString() && std::string_view(ra.GetString()).rfind("date:", 0) == 0) {
          r.retry_after = std::stoi(std::string(ra.GetString() + 5));
          r.retry_after_as_date = true;
        } else {
          bad(i, "retry_after: seconds, or \"date:SECONDS\" for an HTTP date that far ahead");
        }
      }
      integer("ms", r.ms);
      number("cut", r.cut);
      integer("records", r.records);
      number("fraction", r.fraction);
      str("table", r.table);
      str("id", r.id);
      if (r.kind == "delete" && (r.table.empty() || r.id.empty()))
        bad(i, "delete needs table and id");
      rules.push_back(std::move(r));
    }
  }
  std::lock_guard lock(mutex_);
  rules_ = std::move(rules);
}

std::string Faults::describe() const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  std::lock_guard lock(mutex_);
  w.StartObject();
  w.Key("faults");
  w.StartArray();
  for (const Rule& r : rules_) {
    w.StartObject();
    w.Key("kind");
    w.String(r.kind.c_str());
    w.Key("path");
    w.String(r.path.c_str());
    w.Key("after");
    w.Int64(r.after);
    w.Key("count");
    w.Int64(r.count);
    w.Key("every");
    w.Int64(r.every);
    w.Key("seen");
    w.Int64(r.seen);
    w.Key("applied");
    w.Int64(r.applied);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

FaultPlan Faults::plan(Provider provider, std::string_view path) {
  FaultPlan plan;
  std::lock_guard lock(mutex_);
  for (Rule& r : rules_) {
    if (!r.provider.empty() && r.provider != provider_name(provider))
      continue;
    if (path.substr(0, r.path.size()) != r.path)
      continue;
    std::int64_t n = r.seen++;
    if (n < r.after)
      continue;
    if ((n - r.after) % r.every != 0)
      continue;
    if (r.count >= 0 && r.applied >= r.count)
      continue;
    ++r.applied;
    plan.applied = true;
    if (r.kind == "status" && plan.status == 0) {
      plan.status = r.status;
      plan.retry_after_seconds = r.retry_after;
      plan.retry_after_as_date = r.retry_after_as_date;
    } else if (r.kind == "delay") {
      plan.delay_ms += r.ms;
    } else if (r.kind == "stall" || r.kind == "reset" || r.kind == "truncate" ||
               r.kind == "malformed") {
      if (plan.body == BodyFault::none) {
        plan.body = r.kind == "stall"      ? BodyFault::stall
                    : r.kind == "reset"    ? BodyFault::reset
                    : r.kind == "truncate" ? BodyFault::truncate
                                           : BodyFault::malformed;
        plan.cut = r.cut;
        if (r.ms > 0)
          plan.stall_ms = r.ms;
      }
    } else if (r.kind == "repeat") {
      plan.repeat = r.records > 0 ? r.records : 1;
    } else if (r.kind == "expire_token") {
      plan.expire_tokens = true;
    } else if (r.kind == "touch") {
      plan.touch = r.fraction;
      plan.touch_table = r.table;
    } else if (r.kind == "delete") {
      plan.remove_table = r.table;
      plan.remove_id = r.id;
    }
  }
  return plan;
}

}  // namespace provider_sim
