// `campaign-hub plugins new NAME`: an out-of-tree plugin project that builds against the
// installed plugin SDK (the `plugin-dev` component) and passes its own test as generated.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace hub {

// The project's files, relative to its folder, and their text. `name` must be a plugin name
// (lower-case letters, digits, '-'); throws std::invalid_argument otherwise.
std::vector<std::pair<std::filesystem::path, std::string>> plugin_scaffold(const std::string& name);

}  // namespace hub
