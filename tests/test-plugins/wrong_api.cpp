// A plugin built for plugin API 1, the one before this hub's, exported by hand. Its descriptor is
// invalid too (struct_size 0): if the loader read the descriptor before checking the version, the
// test would see "descriptor invalid" instead of the version mismatch.
#include <memory>

#include "campaign_hub/plugin.h"

namespace wrong_api {

const int api_version = 1;

const campaign_hub::Descriptor* describe() {
  static campaign_hub::Descriptor descriptor = [] {
    campaign_hub::Descriptor result;
    result.struct_size = 0;
    result.name = "wrong-api";
    return result;
  }();
  return &descriptor;
}

std::unique_ptr<campaign_hub::Provider> create() {
  return nullptr;
}

}  // namespace wrong_api

BOOST_DLL_ALIAS(wrong_api::api_version, campaign_hub_api_version)
BOOST_DLL_ALIAS(wrong_api::describe, campaign_hub_describe)
BOOST_DLL_ALIAS(wrong_api::create, campaign_hub_create)
