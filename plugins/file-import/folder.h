// Which files of the folder to import, in which format, as which entity.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/file-import/record_mapping.h"
#include "plugins/file-import/settings.h"

namespace file_import {

enum class FileFormat { csv, ndjson };

struct ImportFile {
  std::string name;  // the file name in the folder, the cursor's key
  std::filesystem::path path;
  FileFormat format = FileFormat::csv;
  std::optional<Entity> entity;  // nullopt: neither the name nor `files` says
  // Why it is not read, when it is not: a link that leads out of the folder, or to something
  // that is not a regular file. Such a file is never opened.
  std::string refused;
};

// `*` matches any run of characters, `?` any one; ASCII case is ignored, as on the desktops
// spreadsheets come from.
bool glob_match(std::string_view pattern, std::string_view name);

// NDJSON for names ending .ndjson or .jsonl, CSV for every other name.
FileFormat format_for(std::string_view name);

// The first `files` rule that matches, else the name's start: "campaign..." or
// "opportunit..." (any case).
std::optional<Entity> entity_for(std::string_view name, const Settings& settings);

// The regular files of settings.folder (not its subfolders, not hidden files) that match a
// pattern, sorted by name. Throws std::runtime_error when the folder cannot be listed.
std::vector<ImportFile> list_import_files(const Settings& settings);

}  // namespace file_import
