// Reads one file, CSV or NDJSON, and emits a record per row.
#pragma once

#include <cstddef>
#include <string>

#include "campaign_hub/host.h"
#include "plugins/file-import/folder.h"
#include "plugins/file-import/settings.h"

namespace file_import {

struct FileImported {
  std::string hash;          // of exactly the bytes that were read
  std::size_t records = 0;   // emitted
  std::size_t rejected = 0;  // rows sent to quarantine (a number cell that is not a number)
};

// Emits one record of file.entity (which must be set) per row, each with the row as `raw`.
// A row with a value that should be a number but is not is rejected to quarantine under that
// field, the reason naming file, line, column and text. Throws std::runtime_error naming the file
// and line when the file cannot be read or parsed, before emitting any of its rows: the file is
// read once to check it, then again to emit.
FileImported import_file(const ImportFile& file, const Settings& settings,
                         campaign_hub::Emitter& emit, campaign_hub::Logger& log);

}  // namespace file_import
