#include "hub/supervise/run_report.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hub {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr const char* kKinds[] = {"progress", "result", "crash"};

void text(Writer& out, const char* key, std::string_view value) {
  out.Key(key);
  out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void integer(Writer& out, const char* key, std::int64_t value) {
  out.Key(key);
  out.Int64(value);
}

std::string string_of(const rapidjson::Value& object, const char* key) {
  auto found = object.FindMember(key);
  if (found == object.MemberEnd() || !found->value.IsString())
    return {};
  return {found->value.GetString(), found->value.GetStringLength()};
}

std::int64_t integer_of(const rapidjson::Value& object, const char* key) {
  auto found = object.FindMember(key);
  return found != object.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
}

}  // namespace

std::string encode_report(RunReport::Kind kind, const InstanceResult& result) {
  const RunSummary& run = result.summary;
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.StartObject();
  text(out, "report", kKinds[static_cast<int>(kind)]);
  text(out, "instance", result.instance);
  text(out, "outcome", outcome_name(result.outcome));
  text(out, "message", result.message);
  text(out, "state", run.state);
  integer(out, "read", run.read);
  integer(out, "inserted", run.inserted);
  integer(out, "updated", run.updated);
  integer(out, "unchanged", run.unchanged);
  integer(out, "quarantined", run.quarantined);
  integer(out, "http_requests", run.http_requests);
  integer(out, "http_retries", run.http_retries);
  integer(out, "http_bytes", run.http_bytes);
  integer(out, "rate_limit_wait_ms", run.rate_limit_wait_ms);
  text(out, "error", run.error);
  text(out, "details", run.details);
  out.Key("entities");
  out.StartObject();
  for (const auto& [entity, tally] : run.entities) {
    out.Key(entity.c_str(), static_cast<rapidjson::SizeType>(entity.size()));
    out.StartObject();
    integer(out, "read", tally.read);
    integer(out, "inserted", tally.inserted);
    integer(out, "updated", tally.updated);
    integer(out, "unchanged", tally.unchanged);
    integer(out, "quarantined", tally.quarantined);
    out.EndObject();
  }
  out.EndObject();
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string encode_crash(std::string_view what) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.StartObject();
  text(out, "report", "crash");
  text(out, "what", what);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::optional<RunReport> decode_report(std::string_view line) {
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::nullopt;
  const std::string kind = string_of(doc, "report");
  RunReport report;
  if (kind == "crash") {
    report.kind = RunReport::Kind::crash;
    report.crash = string_of(doc, "what");
    return report;
  }
  if (kind != "progress" && kind != "result")
    return std::nullopt;
  report.kind = kind == "result" ? RunReport::Kind::result : RunReport::Kind::progress;
  InstanceResult& result = report.result;
  result.instance = string_of(doc, "instance");
  const std::string outcome = string_of(doc, "outcome");
  result.outcome = outcome == "succeeded" ? Outcome::succeeded
                   : outcome == "partial" ? Outcome::partial
                   : outcome == "skipped" ? Outcome::skipped
                                          : Outcome::failed;
  result.message = string_of(doc, "message");
  RunSummary& run = result.summary;
  run.instance = result.instance;
  run.state = string_of(doc, "state");
  run.read = integer_of(doc, "read");
  run.inserted = integer_of(doc, "inserted");
  run.updated = integer_of(doc, "updated");
  run.unchanged = integer_of(doc, "unchanged");
  run.quarantined = integer_of(doc, "quarantined");
  run.http_requests = integer_of(doc, "http_requests");
  run.http_retries = integer_of(doc, "http_retries");
  run.http_bytes = integer_of(doc, "http_bytes");
  run.rate_limit_wait_ms = integer_of(doc, "rate_limit_wait_ms");
  run.error = string_of(doc, "error");
  run.details = string_of(doc, "details");
  auto entities = doc.FindMember("entities");
  if (entities != doc.MemberEnd() && entities->value.IsObject()) {
    for (const auto& entity : entities->value.GetObject()) {
      if (!entity.value.IsObject())
        continue;
      EntityTally& tally = run.entities[entity.name.GetString()];
      tally.read = integer_of(entity.value, "read");
      tally.inserted = integer_of(entity.value, "inserted");
      tally.updated = integer_of(entity.value, "updated");
      tally.unchanged = integer_of(entity.value, "unchanged");
      tally.quarantined = integer_of(entity.value, "quarantined");
    }
  }
  return report;
}

}  // namespace hub
