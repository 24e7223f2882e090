// A plugin that loads but cannot create its provider. The environment variable
// CAMPAIGN_HUB_TEST_FACTORY chooses how the factory fails:
//   unset or "exception"  throws std::runtime_error("no credentials in /etc/throwing.conf")
//   "int"                 throws 42, which is not a std::exception
//   "null"                returns no provider
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "campaign_hub/plugin.h"

namespace throwing_factory {

const int api_version = campaign_hub::api_version;
const char* const build_tag = campaign_hub::build_tag;

const campaign_hub::Descriptor descriptor = {
    .name = "throwing-factory",
    .version = "0.1.0",
    .kind = "scouting",
    .summary = "A factory that fails",
};

const campaign_hub::Descriptor* describe() {
  return &descriptor;
}

std::unique_ptr<campaign_hub::Provider> create() {
  const char* mode = std::getenv("CAMPAIGN_HUB_TEST_FACTORY");
  const std::string_view how = mode ? mode : "exception";
  if (how == "int") {
    throw 42;
  }
  if (how == "null") {
    return nullptr;
  }
  throw std::runtime_error("no credentials in /etc/throwing.conf");
}

}  // namespace throwing_factory

BOOST_DLL_ALIAS(throwing_factory::api_version, campaign_hub_api_version)
BOOST_DLL_ALIAS(throwing_factory::build_tag, campaign_hub_build_tag)
BOOST_DLL_ALIAS(throwing_factory::describe, campaign_hub_describe)
BOOST_DLL_ALIAS(throwing_factory::create, campaign_hub_create)
