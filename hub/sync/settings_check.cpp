#include "hub/sync/settings_check.h"

#include "connectors/json/schema_check.h"

namespace hub {

std::optional<std::string> settings_error(const InstanceConfig& instance,
                                          const PluginInfo& plugin) {
  auto violation =
      connectors::json::schema_violation(instance.settings_json, plugin.settings_schema);
  if (!violation)
    return std::nullopt;
  return "instance '" + instance.name + "': settings " + *violation + " (plugin " + plugin.name +
         ")";
}

}  // namespace hub
