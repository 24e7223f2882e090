// The config loader: the bytes are a config file. hub::parse_config parses, checks against the
// schema and resolves secrets; a ConfigError is the answer to a bad file, anything else a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hub/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // A folder that does not exist anchors relative paths: a relative ${file:...} finds nothing.
    hub::Config config = hub::parse_config(text, "/nonexistent/campaign-hub-fuzz/config.json");
    for (const auto& instance : config.instances) {
      (void)config.instance(instance.name);
      (void)config.redact(instance.settings_json);
    }
  } catch (const hub::ConfigError&) {
  }
  return 0;
}
