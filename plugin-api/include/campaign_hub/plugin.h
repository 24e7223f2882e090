// The whole contract between the hub and a provider plugin. A plugin includes this header,
// implements Provider, fills a Descriptor, and ends its main file with CAMPAIGN_HUB_PLUGIN.
// See plugin-api/README.md for a complete minimal plugin.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <boost/dll/alias.hpp>

#include "campaign_hub/host.h"
#include "campaign_hub/records.h"

namespace campaign_hub {

// The hub loads only plugins built for the same version. Raised when a change would break a
// plugin built against the previous headers.
inline constexpr int api_version = 1;

// One entry of a plugin's default status map. The operator can override any entry in config.
struct StatusMapping {
  const char* entity;     // "campaign", "opportunity", "participant" or "step"
  const char* provider;   // the provider's status text, exactly as it is sent
  const char* canonical;  // a canonical status of that entity (see plugin-api/README.md)
};

// Optional capabilities, or-ed together in Descriptor::capabilities.
enum Capability : unsigned {
  capability_check = 1u << 0,  // Provider::check reaches and authenticates
};

struct Descriptor {
  // Set by the initializer; lets a later hub tell which fields this plugin knows.
  std::size_t struct_size = sizeof(Descriptor);
  const char* name = nullptr;     // the plugin's name in config: lower-case, digits and '-'
  const char* version = nullptr;  // the plugin's own version, e.g. "1.2.0"
  const char* kind = nullptr;     // scouting, email, crm, partner, file, multichannel
  const char* summary = nullptr;  // one line for `campaign-hub plugins list`
  const char* settings_schema = "{\"type\":\"object\"}";  // JSON Schema (draft 4) of `settings`
  const StatusMapping* status_map = nullptr;
  std::size_t status_map_size = 0;
  unsigned capabilities = 0;
};

struct CheckResult {
  bool ok = false;
  std::string message;  // one line: what was reached, as whom, or what failed
};

// One provider instance. Created per run; `read` streams every record the provider has past
// the saved cursors into the emitter. Throw to fail the run: the hub catches, logs and moves
// on to the next instance; what was checkpointed before stays committed.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual void read(Host& host, Emitter& emit) = 0;
  // Only called when the descriptor declares capability_check.
  virtual CheckResult check(Host& /*host*/) { return {false, "this plugin has no check"}; }
};

// The symbols the hub looks up, in this order.
inline constexpr const char* api_version_symbol = "campaign_hub_api_version";
inline constexpr const char* describe_symbol = "campaign_hub_describe";
inline constexpr const char* create_symbol = "campaign_hub_create";

using DescribeFunction = const Descriptor*();
using CreateFunction = std::unique_ptr<Provider>();

}  // namespace campaign_hub

// Exports a plugin: its API version, its descriptor and a factory for ProviderType.
#define CAMPAIGN_HUB_PLUGIN(ProviderType, descriptor)                          \
  namespace campaign_hub_exports {                                             \
  const int api_version = ::campaign_hub::api_version;                         \
  const ::campaign_hub::Descriptor* describe() {                               \
    return &(descriptor);                                                      \
  }                                                                            \
  std::unique_ptr<::campaign_hub::Provider> create() {                         \
    return std::make_unique<ProviderType>();                                   \
  }                                                                            \
  }                                                                            \
  BOOST_DLL_ALIAS(campaign_hub_exports::api_version, campaign_hub_api_version) \
  BOOST_DLL_ALIAS(campaign_hub_exports::describe, campaign_hub_describe)       \
  BOOST_DLL_ALIAS(campaign_hub_exports::create, campaign_hub_create)
