#include "hub/supervise/replay_child.h"

#include <signal.h>
#include <sys/wait.h>

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/supervise/child_process.h"

namespace hub {

void write_replay_result(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                         const ReplayResult& result) {
  writer.StartObject();
  writer.Key("instance");
  writer.String(result.instance.c_str());
  writer.Key("run_id");
  writer.Int64(result.run_id);
  writer.Key("examined");
  writer.Int64(result.examined);
  writer.Key("stored");
  writer.Int64(result.stored);
  writer.Key("still_quarantined");
  writer.Int64(result.still_quarantined);
  writer.Key("error");
  if (result.error.empty())
    writer.Null();
  else
    writer.String(result.error.c_str());
  writer.EndObject();
}

std::string encode_replay_result(const ReplayResult& result) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write_replay_result(writer, result);
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

std::optional<ReplayResult> decode(const std::string& line) {
  rapidjson::Document document;
  document.Parse(line.c_str(), line.size());
  if (document.HasParseError() || !document.IsObject())
    return std::nullopt;
  const auto text = [&](const char* name) {
    auto found = document.FindMember(name);
    return found != document.MemberEnd() && found->value.IsString()
               ? std::string(found->value.GetString(), found->value.GetStringLength())
               : std::string();
  };
  const auto number = [&](const char* name) -> std::int64_t {
    auto found = document.FindMember(name);
    return found != document.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
  };
  return ReplayResult{text("instance"),
                      number("run_id"),
                      number("examined"),
                      number("stored"),
                      number("still_quarantined"),
                      text("error")};
}

}  // namespace

std::vector<ReplayResult> replay_in_child(const RunCommand& command,
                                          std::optional<std::int64_t> run_id,
                                          std::chrono::seconds timeout) {
  ChildSpec spec;
  spec.argv = {command.executable.string(), "--config", "-", "--config-origin",
               command.config_origin.string()};
  if (!command.log_level.empty())
    spec.argv.insert(spec.argv.end(), {"--log-level", command.log_level});
  if (!command.log_format.empty())
    spec.argv.insert(spec.argv.end(), {"--log-format", command.log_format});
  spec.argv.insert(spec.argv.end(), {"quarantine", "replay", "--report"});
  if (run_id)
    spec.argv.insert(spec.argv.end(), {"--run", std::to_string(*run_id)});
  spec.input = command.config_text;
  ChildProcess child(spec);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> lines;
  while (!child.wait(std::chrono::milliseconds(200), lines)) {
    if (std::chrono::steady_clock::now() > deadline) {
      child.signal(SIGKILL);
      while (!child.wait(std::chrono::milliseconds(200), lines)) {
      }
      throw std::runtime_error("the replay took longer than " + std::to_string(timeout.count()) +
                               " s and was stopped");
    }
  }
  std::vector<ReplayResult> results;
  for (const auto& line : lines) {
    if (auto result = decode(line))
      results.push_back(std::move(*result));
  }
  const int status = child.status();
  // 0: every record stored; 1: some still quarantined; 2: an instance failed (said in its
  // result). Anything else is the process's own failure.
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 2 ||
      (results.empty() && WEXITSTATUS(status) != 0)) {
    throw std::runtime_error("the replay's process " + describe_status(status));
  }
  return results;
}

}  // namespace hub
