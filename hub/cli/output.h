// How commands print what they read: aligned tables for people, CSV and JSON for tools.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "hub/store/reports.h"
#include "hub/store/run_log.h"
#include "hub/sync/sync_engine.h"

namespace hub {

void print_table(std::ostream& out, const Table& table);

// One CSV record (RFC 4180: quoted when it holds a comma, quote or line break).
void write_csv_row(std::ostream& out, const std::vector<std::optional<std::string>>& values);
void write_csv_row(std::ostream& out, const std::vector<std::string>& values);

// One JSON object per call, members in column order; null for a missing value.
std::string json_object(const std::vector<std::string>& columns,
                        const std::vector<std::optional<std::string>>& values);

void print_run(std::ostream& out, const RunSummary& run);
void print_sync_result(std::ostream& out, const InstanceResult& result);

}  // namespace hub
