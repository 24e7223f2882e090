// `quarantine replay` in a process of its own, for the API's replay button: the plugins that
// map the kept records are loaded by that child, never by the listener's process, so that a
// plugin that crashes fails only the replay. The child (`campaign-hub quarantine replay
// --report`) writes one JSON line per instance's result on its fd 3.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/supervise/supervisor.h"
#include "hub/sync/replay.h"

namespace hub {

// One result as a JSON object (its error null when there is none): the line the child writes,
// and each of the API's results.
void write_replay_result(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                         const ReplayResult& result);
std::string encode_replay_result(const ReplayResult& result);

// Runs the replay (of `run_id`'s records, or of every kept one) with `command`'s executable and
// config; killed after `timeout`. Throws std::runtime_error when the child failed or said
// nothing it should.
std::vector<ReplayResult> replay_in_child(const RunCommand& command,
                                          std::optional<std::int64_t> run_id,
                                          std::chrono::seconds timeout);

}  // namespace hub
