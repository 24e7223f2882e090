#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>

#include "connectors/json/settings_reader.h"
#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/plugin_scaffold.h"
#include "hub/logging/logging.h"
#include "hub/sync/settings_check.h"

namespace hub {
namespace {

std::string capability_names(unsigned capabilities) {
  std::string names;
  for (const auto& [bit, name] : {std::pair{campaign_hub::capability_check, "check"},
                                  std::pair{campaign_hub::capability_webhook, "webhook"}}) {
    if (capabilities & bit)
      names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return names.empty() ? "none" : names;
}

void print_plugin(std::ostream& out, const PluginInfo& info) {
  out << info.name << " " << info.version << " (" << info.kind << "): " << info.summary << "\n"
      << "  file          " << info.file.string() << "\n"
      << "  status map    " << info.status_map.size() << " entries\n"
      << "  capabilities  " << capability_names(info.capabilities) << "\n";
}

int list_plugins(Context& context) {
  int code = exit_code::success;
  std::set<std::string> seen;  // a plugin in an earlier folder hides one of the same name later
  for (const auto& dir : context.plugin_path()) {
    std::error_code error;
    // The system folders may not exist; the configured one must.
    if (&dir != &context.plugin_path().front() && !std::filesystem::is_directory(dir, error))
      continue;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      auto name = entry.path().filename().string();
      if (name.starts_with("lib") && name.ends_with(".so"))
        files.push_back(entry.path());
    }
    if (error) {
      std::cerr << dir.string() << ": " << error.message() << "\n";
      return exit_code::config_error;
    }
    std::sort(files.begin(), files.end());
    std::cout << "plugins in " << dir.string() << ":\n";
    for (const auto& file : files) {
      try {
        auto plugin = load_plugin(file);
        print_plugin(std::cout, plugin.info());
        if (!seen.insert(plugin.info().name).second)
          std::cout << "  hidden by the plugin of the same name in an earlier folder\n";
      } catch (const PluginError& failure) {
        std::cout << "error: " << failure.what() << "\n";
        code = exit_code::instance_failed;
      }
    }
    if (files.empty())
      std::cout << "(none)\n";
  }
  return code;
}

std::string indented(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out += "  " + text.substr(start, end - start) + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

int check_plugin(const std::string& file) {
  try {
    auto plugin = load_plugin(file);
    auto provider = plugin.create();  // a factory that throws is part of what is checked
    const auto& info = plugin.info();
    std::cout << "ok: " << info.name << " " << info.version << " (" << info.kind << ") from "
              << file << ", plugin API " << campaign_hub::api_version << ", "
              << info.status_map.size() << " status mappings, capabilities "
              << capability_names(info.capabilities) << "\n";
    // The reference comes from the schema the hub checks settings against: it cannot drift.
    std::cout << "\nsettings (the instance's \"settings\" object):\n"
              << indented(connectors::json::settings_reference(
                     connectors::json::SettingsSchema(info.settings_schema)));
    return exit_code::success;
  } catch (const PluginError& failure) {
    std::cout << failure.what() << "\n";
    return exit_code::instance_failed;
  }
}

// Writes plugin_scaffold(name) into a new folder `name` under the working directory.
int new_plugin(const std::string& name) {
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  try {
    files = plugin_scaffold(name);
  } catch (const std::invalid_argument& error) {
    std::cerr << "plugins new: " << error.what() << "\n";
    return exit_code::usage;
  }
  const std::filesystem::path folder = name;
  if (std::filesystem::exists(folder)) {
    std::cerr << "plugins new: " << std::filesystem::absolute(folder).string()
              << " exists already; nothing written\n";
    return exit_code::usage;
  }
  for (const auto& [relative, text] : files) {
    std::filesystem::create_directories((folder / relative).parent_path());
    std::ofstream out(folder / relative);
    out << text;
    if (!out) {
      std::cerr << "plugins new: cannot write " << (folder / relative).string() << "\n";
      return exit_code::config_error;
    }
  }
  std::cout << "wrote " << files.size() << " files to "
            << std::filesystem::absolute(folder).string() << "\nbuild it: cmake -S " << name
            << " -B " << name << "/build -DCMAKE_PREFIX_PATH=<plugin SDK prefix> && cmake --build "
            << name << "/build && ctest --test-dir " << name << "/build\n";
  return exit_code::success;
}

int check_instance(Context& context, const std::string& name) {
  const InstanceConfig* instance = context.config().instance(name);
  if (!instance) {
    throw ConfigError(context.config().file.string() + ": no instance named '" + name + "'");
  }
  if (!instance->secret_error.empty())
    throw ConfigError(instance->secret_error);
  const LoadedPlugin& plugin = context.plugins().get(instance->plugin);
  if (auto error = settings_error(*instance, plugin.info()))
    throw ConfigError(*error);
  if (!(plugin.info().capabilities & campaign_hub::capability_check)) {
    std::cout << name << ": settings valid; plugin " << plugin.info().name
              << " has no reachability check\n";
    return exit_code::success;
  }
  InstanceHost host(instance->name, instance->settings_json, instance->http_json, {},
                    context.http_factory());
  campaign_hub::CheckResult result;
  try {
    result = plugin.create()->check(host);
  } catch (const std::exception& error) {
    result = {false, error.what()};
  }
  std::cout << name << ": " << (result.ok ? "ok: " : "failed: ") << redact(result.message) << "\n";
  return result.ok ? exit_code::success : exit_code::instance_failed;
}

}  // namespace

void add_plugin_commands(CLI::App& app, Action& action) {
  auto* plugins = app.add_subcommand("plugins", "Inspect provider plugins");
  plugins->require_subcommand(1);
  plugins->add_subcommand("list", "List the plugins in the plugin folder")->callback([&action] {
    action = list_plugins;
  });
  auto file = std::make_shared<std::string>();
  auto* check = plugins->add_subcommand(
      "check", "Load a plugin file and report its descriptor, or exactly what is wrong");
  check->add_option("FILE", *file, "The plugin's shared library")->required();
  check->callback([&action, file] { action = [file](Context&) { return check_plugin(*file); }; });

  auto project = std::make_shared<std::string>();
  auto* scaffold = plugins->add_subcommand(
      "new", "Write a new out-of-tree plugin project (CMake, a plugin, its schema, a test)");
  scaffold->add_option("NAME", *project, "The plugin's name: lower-case letters, digits, '-'")
      ->required();
  scaffold->callback(
      [&action, project] { action = [project](Context&) { return new_plugin(*project); }; });

  auto* instances = app.add_subcommand("instances", "Inspect configured provider instances");
  instances->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto* reach = instances->add_subcommand(
      "check", "Check an instance's settings and run its plugin's reachability check");
  reach->add_option("NAME", *name, "The instance's name in the config")->required();
  reach->callback([&action, name] {
    action = [name](Context& context) { return check_instance(context, *name); };
  });
}

}  // namespace hub
