// A plugin record as JSON, every field by its name: what quarantine keeps, so that
// `quarantine replay` can run the record through the current mappings again.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "campaign_hub/records.h"
#include "hub/model/canonical.h"

namespace hub {

using AnyRecord =
    std::variant<campaign_hub::Campaign, campaign_hub::Opportunity, campaign_hub::Participant,
                 campaign_hub::Step, campaign_hub::Metrics>;

Entity entity_of(const AnyRecord& record);
std::string record_to_json(const AnyRecord& record);
// Throws std::invalid_argument when the text is not a record of that entity.
AnyRecord record_from_json(Entity entity, std::string_view json);

}  // namespace hub
