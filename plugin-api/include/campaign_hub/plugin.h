// The whole contract between the hub and a provider plugin. A plugin includes this header,
// implements Provider, fills a Descriptor, and ends its main file with CAMPAIGN_HUB_PLUGIN.
// See plugin-api/README.md for a complete minimal plugin.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "campaign_hub/host.h"
#include "campaign_hub/records.h"
#include "campaign_hub/statuses.h"

// The hub loads only plugins built for the same version. Raised when a change would break a
// plugin built against the previous headers. The CMake package's version is read from here.
#define CAMPAIGN_HUB_API_VERSION 4

// What a plugin's C++ objects must share with the hub's to cross the library boundary: the
// plugin API, the standard library and its ABI (std::string's layout differs between
// libstdc++'s two ABIs, and with libc++), and the machine. The compiler is named for the
// message only: GCC and Clang on the same libstdc++ interoperate.
#define CAMPAIGN_HUB_STRINGIFY_(x) #x
#define CAMPAIGN_HUB_STRINGIFY(x) CAMPAIGN_HUB_STRINGIFY_(x)
#if defined(_LIBCPP_VERSION)
#define CAMPAIGN_HUB_STDLIB_ "libc++"
#elif defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI
#define CAMPAIGN_HUB_STDLIB_ "libstdc++ cxx11 ABI"
#elif defined(__GLIBCXX__)
#define CAMPAIGN_HUB_STDLIB_ "libstdc++ old ABI"
#else
#define CAMPAIGN_HUB_STDLIB_ "an unknown standard library"
#endif
#if defined(__x86_64__)
#define CAMPAIGN_HUB_MACHINE_ "x86_64"
#elif defined(__aarch64__)
#define CAMPAIGN_HUB_MACHINE_ "aarch64"
#else
#define CAMPAIGN_HUB_MACHINE_ "another machine"
#endif
#if defined(__clang__)
#define CAMPAIGN_HUB_COMPILER_ "Clang " __clang_version__
#elif defined(__GNUC__)
#define CAMPAIGN_HUB_COMPILER_ "GCC " __VERSION__
#else
#define CAMPAIGN_HUB_COMPILER_ "another compiler"
#endif

namespace campaign_hub {

inline constexpr int api_version = CAMPAIGN_HUB_API_VERSION;

// "plugin API 1; libstdc++ cxx11 ABI; x86_64; GCC 12.2.0": the first three fields must equal
// the hub's.
inline constexpr const char build_tag[] =
    "plugin API " CAMPAIGN_HUB_STRINGIFY(CAMPAIGN_HUB_API_VERSION) "; " CAMPAIGN_HUB_STDLIB_
                                                                   "; " CAMPAIGN_HUB_MACHINE_
                                                                   "; " CAMPAIGN_HUB_COMPILER_;

// Optional capabilities, or-ed together in Descriptor::capabilities.
enum Capability : unsigned {
  capability_check = 1u << 0,    // Provider::check reaches and authenticates
  capability_webhook = 1u << 1,  // Provider::receive reads what the provider pushes
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

// One request a provider pushed to the hub's `POST /webhooks/{instance}`, as it came. The hub
// has verified it (the signature scheme and its secret are the instance's config, not the
// plugin's) and kept it durably before the plugin sees it, perhaps long after it arrived.
struct WebhookRequest {
  std::string method;  // "POST"
  std::string path;    // what follows /webhooks/{instance}: "" or "/..." (never the secret)
  std::string query;   // without the '?', as sent
  Headers headers;     // as sent, signature headers removed
  std::string body;

  // The first header of that name, compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// What a plugin made of a pushed request.
enum class WebhookResult {
  taken,    // it emitted what the request says (perhaps nothing new)
  ignored,  // not for the plugin: a ping, a test, an event type it does not use
};

// One provider instance. Created per run; `read` streams every record the provider has past
// the saved cursors into the emitter. Throw to fail the run: the hub catches, logs and moves
// on to the next instance; what was checkpointed before stays committed.
class BOOST_SYMBOL_VISIBLE Provider {
 public:
  virtual ~Provider() = default;
  virtual void read(Host& host, Emitter& emit) = 0;
  // Only called when the descriptor declares capability_check.
  virtual CheckResult check(Host& /*host*/) { return {false, "this plugin has no check"}; }
  // The status rules this instance's settings add to the descriptor's map (rest-json's mapping
  // file); the operator's status_overrides come over both. Called before `read`, and when
  // quarantine is replayed: read only `host.settings()`, never the network. Throw to fail.
  virtual std::vector<StatusRule> statuses(Host& /*host*/) { return {}; }
  // Only called when the descriptor declares capability_webhook: emits the records and
  // tombstones one pushed request carries, each with the provider's own updated time (the hub
  // never lets an older event overwrite a newer state), and answers `taken`; or answers
  // `ignored` for a request that is not for it. Read `host.settings()`, and `host.http()` only
  // when the event names a record without carrying it. Throw for a request it cannot read:
  // the hub keeps the request in quarantine with the message. Never call checkpoint or
  // listed_all here: an event is not a full read.
  virtual WebhookResult receive(Host& /*host*/, const WebhookRequest& /*request*/,
                                Emitter& /*emit*/) {
    return WebhookResult::ignored;
  }
};

// The symbols the hub looks up, in this order.
inline constexpr const char* api_version_symbol = "campaign_hub_api_version";
inline constexpr const char* build_tag_symbol = "campaign_hub_build_tag";
inline constexpr const char* describe_symbol = "campaign_hub_describe";
inline constexpr const char* create_symbol = "campaign_hub_create";

using DescribeFunction = const Descriptor*();
using CreateFunction = std::unique_ptr<Provider>();

}  // namespace campaign_hub

// Exports a plugin: its API version, its descriptor and a factory for ProviderType.
#define CAMPAIGN_HUB_PLUGIN(ProviderType, descriptor)                          \
  namespace campaign_hub_exports {                                             \
  const int api_version = ::campaign_hub::api_version;                         \
  const char* const build_tag = ::campaign_hub::build_tag;                     \
  const ::campaign_hub::Descriptor* describe() {                               \
    return &(descriptor);                                                      \
  }                                                                            \
  std::unique_ptr<::campaign_hub::Provider> create() {                         \
    return std::make_unique<ProviderType>();                                   \
  }                                                                            \
  }                                                                            \
  BOOST_DLL_ALIAS(campaign_hub_exports::api_version, campaign_hub_api_version) \
  BOOST_DLL_ALIAS(campaign_hub_exports::build_tag, campaign_hub_build_tag)     \
  BOOST_DLL_ALIAS(campaign_hub_exports::describe, campaign_hub_describe)       \
  BOOST_DLL_ALIAS(campaign_hub_exports::create, campaign_hub_create)
