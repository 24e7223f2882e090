#include "hub/loader/plugin_loader.h"

#include <dlfcn.h>

#include <cstddef>
#include <exception>
#include <set>
#include <system_error>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <boost/dll/shared_library.hpp>
#include <boost/dll/shared_library_load_mode.hpp>

#include "hub/model/statuses.h"

namespace hub {
namespace {

// The last field this hub reads: a descriptor shorter than this comes from headers that
// predate it, and reading on would run past the plugin's struct.
constexpr std::size_t kDescriptorSizeRead = offsetof(campaign_hub::Descriptor, capabilities) +
                                            sizeof(campaign_hub::Descriptor::capabilities);

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& cause) {
  throw PluginError(file.string() + ": " + cause);
}

[[noreturn]] void invalid(const std::filesystem::path& file, const std::string& field,
                          const std::string& why) {
  fail(file, "descriptor invalid: " + field + ": " + why);
}

bool is_set(const char* text) {
  return text != nullptr && *text != '\0';
}

std::string joined(std::span<const std::string_view> words) {
  std::string out;
  for (auto word : words) {
    if (!out.empty()) {
      out += ", ";
    }
    out += word;
  }
  return out;
}

// dlerror() after a failed dlopen, without the path it starts with: the message already
// names the file.
std::string load_failure_reason(const std::string& path) {
  const char* reason = dlerror();
  if (reason == nullptr) {
    return {};
  }
  std::string text = reason;
  // Boost.DLL opens a bare file name as "./<name>".
  for (const std::string& prefix : {path + ": ", "./" + path + ": "}) {
    if (text.starts_with(prefix)) {
      text.erase(0, prefix.size());
      break;
    }
  }
  return text;
}

void check_settings_schema(const char* schema, const std::filesystem::path& file) {
  if (schema == nullptr) {
    invalid(file, "settings_schema", "missing (a plugin without settings keeps the default)");
  }
  rapidjson::Document document;
  document.Parse(schema);
  if (document.HasParseError()) {
    invalid(file, "settings_schema",
            std::string("not JSON: ") + rapidjson::GetParseError_En(document.GetParseError()) +
                " (at offset " + std::to_string(document.GetErrorOffset()) + ")");
  }
  if (!document.IsObject()) {
    invalid(file, "settings_schema", "not a JSON Schema: the top level must be an object");
  }
  // RapidJSON 1.1 reports no errors in a schema itself; building it still catches what would
  // only fail on the first validation.
  rapidjson::SchemaDocument built(document);
  (void)built;
}

std::vector<StatusEntry> read_status_map(const campaign_hub::Descriptor& descriptor,
                                         const std::filesystem::path& file) {
  if (descriptor.status_map == nullptr) {
    if (descriptor.status_map_size != 0) {
      invalid(file, "status_map",
              "null, but status_map_size is " + std::to_string(descriptor.status_map_size));
    }
    return {};
  }
  std::vector<StatusEntry> entries;
  entries.reserve(descriptor.status_map_size);
  // (entity, provider text) -> index of the entry that mapped it first
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
    const campaign_hub::StatusMapping& mapping = descriptor.status_map[i];
    const std::string field = "status_map[" + std::to_string(i) + "]";
    if (!is_set(mapping.entity)) {
      invalid(file, field, "entity missing");
    }
    StatusEntry entry{mapping.entity, mapping.provider ? mapping.provider : "",
                      mapping.canonical ? mapping.canonical : ""};
    if (canonical_statuses(entry.entity).empty()) {
      invalid(file, field,
              "entity '" + entry.entity + "' is not one of " + joined(status_entities()));
    }
    if (entry.provider.empty()) {
      invalid(file, field, "provider status text is empty");
    }
    if (!is_canonical_status(entry.entity, entry.canonical)) {
      invalid(file, field,
              "'" + entry.provider + "' maps to '" + entry.canonical + "', not a " + entry.entity +
                  " status (" + joined(canonical_statuses(entry.entity)) + ")");
    }
    auto [earlier, inserted] = seen.try_emplace({entry.entity, entry.provider}, i);
    if (!inserted) {
      invalid(file, field,
              "'" + entry.provider + "' is mapped twice for " + entry.entity +
                  " (also status_map[" + std::to_string(earlier->second) + "])");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

bool is_plugin_name(std::string_view name) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !lower_or_digit(name.front())) {
    return false;
  }
  for (char c : name) {
    if (!lower_or_digit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

PluginInfo read_descriptor(const campaign_hub::Descriptor& descriptor,
                           const std::filesystem::path& file) {
  if (descriptor.struct_size < kDescriptorSizeRead) {
    invalid(file, "struct_size",
            std::to_string(descriptor.struct_size) + " bytes, this hub reads " +
                std::to_string(kDescriptorSizeRead) +
                ": rebuild the plugin against this hub's plugin-api headers");
  }
  PluginInfo info;
  info.file = file;
  if (descriptor.name == nullptr) {
    invalid(file, "name", "missing");
  }
  info.name = descriptor.name;
  if (!is_plugin_name(info.name)) {
    invalid(
        file, "name",
        "'" + info.name + "' must match ^[a-z0-9][a-z0-9-]*$ (lower-case letters, digits, '-')");
  }
  if (!is_set(descriptor.version)) {
    invalid(file, "version", "missing");
  }
  info.version = descriptor.version;
  if (!is_set(descriptor.kind)) {
    invalid(file, "kind", "missing");
  }
  info.kind = descriptor.kind;
  info.summary = descriptor.summary ? descriptor.summary : "";
  check_settings_schema(descriptor.settings_schema, file);
  info.settings_schema = descriptor.settings_schema;
  info.status_map = read_status_map(descriptor, file);
  info.capabilities = descriptor.capabilities;
  return info;
}

std::optional<std::string> build_tag_mismatch(std::string_view plugin, std::string_view hub) {
  // The first three fields ("plugin API 4; libstdc++ cxx11 ABI; x86_64") must match; the
  // compiler after them is named only.
  auto binary_part = [](std::string_view tag) {
    std::size_t at = std::string_view::npos;
    for (int separator = 0, from = 0; separator < 3; ++separator) {
      at = tag.find("; ", static_cast<std::size_t>(from));
      if (at == std::string_view::npos)
        break;
      from = static_cast<int>(at) + 2;
    }
    return tag.substr(0, at);
  };
  if (binary_part(plugin) == binary_part(hub))
    return std::nullopt;
  return "built as \"" + std::string(plugin) + "\", this hub as \"" + std::string(hub) +
         "\"; rebuild it with the hub's compiler settings";
}

LoadedPlugin load_plugin(const std::filesystem::path& file) {
  std::error_code exists_error;
  if (!std::filesystem::exists(file, exists_error) && !exists_error) {
    fail(file, "no such file");
  }

  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_error;
  // rtld_now: an unresolved symbol fails here, with a message, instead of aborting the hub
  // in the middle of a sync when lazy binding first meets it.
  library->load(boost::dll::fs::path(file.native()), load_error, boost::dll::load_mode::rtld_now);
  if (load_error || !library->is_loaded()) {
    std::string reason = load_failure_reason(file.string());
    if (reason.empty()) {
      reason = load_error.message();
    }
    const bool bad_format = reason.find("ELF") != std::string::npos ||
                            reason.find("file too short") != std::string::npos ||
                            reason.find("Is a directory") != std::string::npos;
    fail(file, (bad_format ? "not a shared library (" : "cannot be loaded (") + reason + ")");
  }

  auto require = [&](const char* symbol) {
    if (!library->has(symbol)) {
      fail(file, std::string("symbol ") + symbol +
                     " missing (a plugin exports it by ending its main file with "
                     "CAMPAIGN_HUB_PLUGIN)");
    }
  };

  // The version first: nothing else in a library built for other headers can be trusted.
  require(campaign_hub::api_version_symbol);
  const int version = library->get_alias<const int>(campaign_hub::api_version_symbol);
  if (version != campaign_hub::api_version) {
    fail(file, "built for plugin API " + std::to_string(version) + ", this hub speaks " +
                   std::to_string(campaign_hub::api_version) +
                   "; rebuild it against this hub's plugin-api headers");
  }
  // Then the build: objects cross the boundary only between the same library ABIs.
  if (!library->has(campaign_hub::build_tag_symbol)) {
    fail(file, std::string("no build tag (") + campaign_hub::build_tag_symbol +
                   "): built against older plugin-api headers; rebuild it against this hub's");
  }
  const char* tag = library->get_alias<const char* const>(campaign_hub::build_tag_symbol);
  if (auto mismatch = build_tag_mismatch(tag == nullptr ? "" : tag, campaign_hub::build_tag)) {
    fail(file, *mismatch);
  }
  require(campaign_hub::describe_symbol);
  require(campaign_hub::create_symbol);

  auto& describe =
      library->get_alias<campaign_hub::DescribeFunction>(campaign_hub::describe_symbol);
  const campaign_hub::Descriptor* descriptor = nullptr;
  try {
    descriptor = describe();
  } catch (const std::exception& error) {
    fail(file, std::string("describe threw: ") + error.what());
  } catch (...) {
    fail(file, "describe threw something that is not a std::exception");
  }
  if (descriptor == nullptr) {
    fail(file, "descriptor invalid: describe returned null");
  }

  LoadedPlugin plugin;
  plugin.info_ = read_descriptor(*descriptor, file);
  plugin.factory_ = library->get_alias<campaign_hub::CreateFunction>(campaign_hub::create_symbol);
  plugin.library_ = std::move(library);
  return plugin;
}

std::shared_ptr<campaign_hub::Provider> LoadedPlugin::create() const {
  if (!library_ || !factory_) {
    throw PluginError("LoadedPlugin::create: no plugin loaded");
  }
  // The exception object and its what() live in the library, which library_ keeps loaded
  // until the message is copied out.
  std::unique_ptr<campaign_hub::Provider> provider;
  try {
    provider = factory_();
  } catch (const std::exception& error) {
    throw PluginError(info_.file.string() + ": factory threw: " + error.what());
  } catch (...) {
    throw PluginError(info_.file.string() +
                      ": factory threw something that is not a "
                      "std::exception");
  }
  if (!provider) {
    throw PluginError(info_.file.string() + ": factory returned no provider");
  }
  // The provider's destructor and vtable are code in the library: the deleter keeps the
  // library loaded until the last copy of the pointer is gone.
  return std::shared_ptr<campaign_hub::Provider>(
      provider.release(), [library = library_](campaign_hub::Provider* object) { delete object; });
}

std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view name) {
  return dir / ("lib" + std::string(name) + ".so");
}

LoadedPlugin load_named_plugin(std::span<const std::filesystem::path> path,
                               const std::string& name) {
  if (!is_plugin_name(name)) {
    throw PluginError("plugin '" + name + "': not a plugin name (lower-case letters, digits, '-')");
  }
  std::filesystem::path file;
  std::string searched;
  for (const auto& folder : path) {
    std::error_code error;
    if (std::filesystem::exists(plugin_file(folder, name), error)) {
      file = plugin_file(folder, name);
      break;
    }
    searched += (searched.empty() ? "" : ", ") + folder.string();
  }
  if (file.empty()) {
    // One folder: its file, as before ("no such file"); several: every folder searched.
    if (path.size() == 1)
      file = plugin_file(path.front(), name);
    else
      throw PluginError("plugin '" + name + "': no lib" + name + ".so in " + searched);
  }
  LoadedPlugin plugin = load_plugin(file);
  if (plugin.info().name != name) {
    fail(file, "its descriptor names the plugin '" + plugin.info().name +
                   "', the config asks for '" + name + "'");
  }
  return plugin;
}

}  // namespace hub
