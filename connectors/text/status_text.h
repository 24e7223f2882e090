// The one way a provider's status text is compared with the keys of a status map, shared by
// the hub's status table and rest-json's mapping check.
#pragma once

#include <string>
#include <string_view>

#include "campaign_hub/statuses.h"

namespace connectors::text {

// The form of `text` under which two texts that `match` treats as equal are equal.
std::string fold_status(std::string_view text, campaign_hub::StatusMatch match);

}  // namespace connectors::text
