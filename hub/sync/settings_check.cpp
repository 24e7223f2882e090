#include "hub/sync/settings_check.h"

#include "hub/config/schema_check.h"

namespace hub {

std::optional<std::string> settings_error(const InstanceConfig& instance,
                                          const PluginInfo& plugin) {
  auto violation = schema_violation(instance.settings_json, plugin.settings_schema);
  if (!violation)
    return std::nullopt;
  return "instance '" + instance.name + "': settings " + *violation + " (plugin " + plugin.name +
         ")";
}

}  // namespace hub
