#include "hub/cli/context.h"

#include <cstdlib>
#include <iostream>
#include <iterator>

#include <unistd.h>

#include "hub/logging/logging.h"
#include "hub/store/migrations.h"
#include "hub/sync/http_factory.h"
#include "hub/sync/run_recorder.h"

namespace hub {
namespace {

std::filesystem::path executable_dir() {
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::current_path() : self.parent_path();
}

Config read_config(const std::string& given, const std::string& origin) {
  if (given == "-") {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    return parse_config(text, origin.empty() ? "(standard input)" : origin);
  }
  std::string path = given;
  if (path.empty()) {
    if (const char* from_env = std::getenv("CAMPAIGN_HUB_CONFIG"))
      path = from_env;
  }
  if (path.empty() && std::filesystem::exists("campaign-hub.json"))
    path = "campaign-hub.json";
  if (path.empty())
    return parse_config("{}", "(built-in defaults)");
  return load_config(path);
}

std::filesystem::path find_plugin_dir(const Config& config) {
  if (!config.plugin_dir.empty())
    return config.plugin_dir;
  if (const char* from_env = std::getenv("CAMPAIGN_HUB_PLUGIN_DIR"))
    return from_env;
  auto beside = executable_dir();
  for (auto candidate : {beside.parent_path() / "plugins",
                         beside.parent_path() / "lib" / "campaign-hub" / "plugins"}) {
    if (std::filesystem::is_directory(candidate))
      return candidate;
  }
  return beside.parent_path() / "plugins";
}

}  // namespace

Context::Context(const GlobalOptions& options)
    : options_(options), config_(read_config(options.config_path, options.config_origin)) {
  add_secrets(config_.secrets);
  set_lease_time(std::chrono::seconds(config_.serve.lease_seconds));
  setup_logging(options.log_level.empty() ? config_.logging.level : options.log_level,
                options.log_format.empty() ? config_.logging.format : options.log_format);
  plugin_path_.push_back(find_plugin_dir(config_));
  for (std::filesystem::path system :
       {"/usr/local/lib/campaign-hub/plugins", "/usr/lib/campaign-hub/plugins"}) {
    std::error_code error;
    bool same = std::filesystem::equivalent(plugin_path_.front(), system, error);
    if (!same && plugin_path_.front() != system)
      plugin_path_.push_back(system);
  }
}

Database& Context::database() {
  if (!database_) {
    database_ = std::make_unique<Database>(config_.database_url);
    migrate(*database_);
  }
  return *database_;
}

HttpFactory Context::http_factory() const {
  return connector_http_factory();
}

PluginCatalog& Context::plugins() {
  if (!plugins_)
    plugins_ = std::make_unique<PluginCatalog>(plugin_path_);
  return *plugins_;
}

}  // namespace hub
