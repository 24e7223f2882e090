// A plugin of the right API version built against another standard library, exported by
// hand: the loader must refuse it by its build tag before it calls anything in it.
#include <memory>

#include "campaign_hub/plugin.h"

namespace wrong_abi {

const int api_version = campaign_hub::api_version;
const char* const build_tag = "plugin API " CAMPAIGN_HUB_STRINGIFY(
    CAMPAIGN_HUB_API_VERSION) "; libc++; " CAMPAIGN_HUB_MACHINE_ "; Clang 99.0.0";

const campaign_hub::Descriptor* describe() {
  return nullptr;  // never called: the tag is checked first
}

std::unique_ptr<campaign_hub::Provider> create() {
  return nullptr;
}

}  // namespace wrong_abi

BOOST_DLL_ALIAS(wrong_abi::api_version, campaign_hub_api_version)
BOOST_DLL_ALIAS(wrong_abi::build_tag, campaign_hub_build_tag)
BOOST_DLL_ALIAS(wrong_abi::describe, campaign_hub_describe)
BOOST_DLL_ALIAS(wrong_abi::create, campaign_hub_create)
