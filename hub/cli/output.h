// How commands print what they read: aligned tables for people, CSV and JSON for tools.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "hub/query/views.h"
#include "hub/store/reports.h"
#include "hub/store/run_log.h"
#include "hub/sync/sync_engine.h"

namespace hub {

void print_table(std::ostream& out, const Table& table);
// The columns of a view's table a person reads in a terminal, in that order (those the table
// has); every column when `shown` is empty.
void print_view(std::ostream& out, const views::TypedTable& table,
                const std::vector<std::string>& shown = {});

void print_run(std::ostream& out, const RunSummary& run);
void print_sync_result(std::ostream& out, const InstanceResult& result);

}  // namespace hub
