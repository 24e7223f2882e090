// An instance's settings checked against the JSON Schema its plugin declares, before the
// plugin ever sees them.
#pragma once

#include <optional>
#include <string>

#include "hub/config/config.h"
#include "hub/loader/plugin_loader.h"

namespace hub {

// The message names the instance, the JSON pointer under its settings and the rule.
std::optional<std::string> settings_error(const InstanceConfig& instance, const PluginInfo& plugin);

}  // namespace hub
