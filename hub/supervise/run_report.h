// What a run's process tells its supervisor, one JSON object per line on a pipe: the counts
// after each batch ("progress"), the result at the end ("result"), and, when it is dying of
// std::terminate, why ("crash").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hub/sync/run_types.h"

namespace hub {

struct RunReport {
  enum class Kind { progress, result, crash };
  Kind kind = Kind::result;
  InstanceResult result;  // progress, result
  std::string crash;      // crash: what the process said before it died
};

// One line, ending in '\n'.
std::string encode_report(RunReport::Kind kind, const InstanceResult& result);
std::string encode_crash(std::string_view what);
// Nothing for a line that is not a report (the supervisor then ignores it).
std::optional<RunReport> decode_report(std::string_view line);

}  // namespace hub
