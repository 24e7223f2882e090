// Loads provider plugins (shared libraries) with Boost.DLL and checks them before use.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_hub/plugin.h"

namespace boost::dll {
class shared_library;
}

namespace hub {

struct StatusEntry {
  std::string entity;
  std::string provider;
  std::string canonical;
};

// The descriptor, copied out of the library into hub-owned strings.
struct PluginInfo {
  std::filesystem::path file;
  std::string name;
  std::string version;
  std::string kind;
  std::string summary;
  std::string settings_schema;
  std::vector<StatusEntry> status_map;
  unsigned capabilities = 0;
};

// One line: "<file>: <cause>".
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LoadedPlugin {
 public:
  const PluginInfo& info() const { return info_; }
  // A new provider whose deleter keeps the library loaded. Throws PluginError when the
  // plugin's factory throws or returns nothing.
  std::shared_ptr<campaign_hub::Provider> create() const;

 private:
  friend LoadedPlugin load_plugin(const std::filesystem::path& file);
  PluginInfo info_;
  std::shared_ptr<boost::dll::shared_library> library_;
  std::function<campaign_hub::CreateFunction> factory_;
};

// Throws PluginError naming the file and the cause: file missing, not a shared library,
// symbol missing, API version or build tag mismatch (both named), descriptor invalid.
LoadedPlugin load_plugin(const std::filesystem::path& file);

// Why a plugin built as `plugin` (its campaign_hub::build_tag) cannot run in a hub built as
// `hub`, in one line; nothing when their plugin API, standard library ABI and machine match.
std::optional<std::string> build_tag_mismatch(std::string_view plugin, std::string_view hub);

// Lower-case letters, digits and '-', starting with a letter or digit: what a plugin may be
// called in a config.
bool is_plugin_name(std::string_view name);

// Where the plugin called `name` lives in `dir`: dir/lib<name>.so.
std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view name);

// Copies a descriptor into hub-owned strings and checks it. Throws PluginError
// "<file>: descriptor invalid: <field>: <why>". load_plugin calls it; exposed so that a
// descriptor can be checked without building a library around it.
PluginInfo read_descriptor(const campaign_hub::Descriptor& descriptor,
                           const std::filesystem::path& file);

// Loads the plugin a config calls `name` from the first folder of `path` that has
// plugin_file(folder, name); its descriptor must carry that name. Throws PluginError naming
// the file and the cause, or every folder searched when none has it.
LoadedPlugin load_named_plugin(std::span<const std::filesystem::path> path,
                               const std::string& name);
inline LoadedPlugin load_named_plugin(const std::filesystem::path& dir, const std::string& name) {
  return load_named_plugin(std::span(&dir, 1), name);
}

}  // namespace hub
