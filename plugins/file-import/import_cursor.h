// The file-import cursor: which files were imported, by name and content hash.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace file_import {

// Saved as {"<file name>": "<content hash>", ...} under the stream "files".
class ImportCursor {
 public:
  // An empty or absent cursor is a first sync. Throws std::runtime_error for any other text
  // that is not such an object.
  static ImportCursor parse(const std::optional<std::string>& saved);

  // Whether this exact content was imported under this name.
  bool imported(std::string_view name, std::string_view hash) const;
  void remember(const std::string& name, const std::string& hash);
  // Forgets files that are no longer there; returns whether it forgot any.
  bool forget_all_but(const std::set<std::string, std::less<>>& names);

  std::string to_json() const;

 private:
  std::map<std::string, std::string, std::less<>> hashes_;
};

}  // namespace file_import
