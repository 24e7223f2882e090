#include "plugins/file-import/folder.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace file_import {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with(std::string_view name, std::string_view suffix) {
  return name.size() >= suffix.size() &&
         glob_match(suffix, name.substr(name.size() - suffix.size()));
}

bool starts_with(std::string_view name, std::string_view prefix) {
  return name.size() >= prefix.size() && glob_match(prefix, name.substr(0, prefix.size()));
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0;
  std::size_t n = 0;
  // Where the last `*` was, and how much of the name it has taken so far, to backtrack to.
  std::size_t star = std::string_view::npos;
  std::size_t star_name = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(name[n]))) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_name = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++star_name;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

FileFormat format_for(std::string_view name) {
  return ends_with(name, ".ndjson") || ends_with(name, ".jsonl") ? FileFormat::ndjson
                                                                 : FileFormat::csv;
}

std::optional<Entity> entity_for(std::string_view name, const Settings& settings) {
  for (const auto& rule : settings.files) {
    if (glob_match(rule.match, name)) {
      return rule.entity;
    }
  }
  if (starts_with(name, "campaign")) {
    return Entity::campaign;
  }
  if (starts_with(name, "opportunit")) {
    return Entity::opportunity;
  }
  return std::nullopt;
}

std::vector<ImportFile> list_import_files(const Settings& settings) {
  namespace fs = std::filesystem;
  const fs::path& folder = settings.folder;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw std::runtime_error("folder " + folder.string() +
                             (fs::exists(folder, error) ? " is not a folder" : " does not exist") +
                             " (settings.folder)");
  }
  std::vector<ImportFile> files;
  const fs::path inside = fs::weakly_canonical(folder, error);
  fs::directory_iterator entries(folder, error);
  for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
    const std::string name = entries->path().filename().string();
    const bool wanted = std::any_of(settings.patterns.begin(), settings.patterns.end(),
                                    [&](const auto& pattern) { return glob_match(pattern, name); });
    std::error_code status_error;
    const auto own = entries->symlink_status(status_error);
    if (name.starts_with(".") || !wanted ||
        (own.type() != fs::file_type::regular && own.type() != fs::file_type::symlink)) {
      continue;
    }
    ImportFile file{name, entries->path(), format_for(name), entity_for(name, settings), ""};
    if (own.type() == fs::file_type::symlink) {
      // Only a link to a regular file of this very folder is followed: a link to
      // /etc/passwd must not be read, nor quoted in an error.
      const fs::path target = fs::weakly_canonical(entries->path(), status_error);
      if (status_error || target.parent_path() != inside) {
        file.refused = "a link to a file outside the folder; not read";
      } else if (!fs::is_regular_file(target, status_error)) {
        file.refused = "a link to something that is not a regular file; not read";
      }
    }
    files.push_back(std::move(file));
  }
  if (error) {
    throw std::runtime_error("cannot list folder " + folder.string() + ": " + error.message());
  }
  std::sort(files.begin(), files.end(),
            [](const ImportFile& a, const ImportFile& b) { return a.name < b.name; });
  return files;
}

}  // namespace file_import
