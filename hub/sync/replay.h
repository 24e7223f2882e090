// `quarantine replay`: runs kept raw records through the current mappings again (after an
// operator added a status override, say) and stores those that now pass.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hub/sync/sync_engine.h"

namespace hub {

struct ReplayResult {
  std::string instance;
  std::int64_t run_id = 0;
  std::int64_t examined = 0;
  std::int64_t stored = 0;
  std::int64_t still_quarantined = 0;
  std::string error;
};

// One result per instance that has unresolved quarantine rows (of `run_id`, when given).
// Each instance's replay is a run of its own, under its lease.
std::vector<ReplayResult> replay_quarantine(const Config& config, Database& database,
                                            PluginCatalog& plugins,
                                            std::optional<std::int64_t> run_id);

}  // namespace hub
