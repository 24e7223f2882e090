// One feed record (a RapidJSON value) to the plugin API's records, in the provider's words:
// the hub maps statuses, parses times and lower-cases e-mails.
#pragma once

#include <string>

#include <rapidjson/document.h>

#include "campaign_hub/records.h"

namespace connect_scouting {

// A campaign of GET /v1/campaigns; `{"id", "updated_at", "deleted": true}` gives a tombstone.
campaign_hub::Campaign map_campaign(const rapidjson::Value& record, const std::string& kind);

// An opportunity of GET /v1/opportunities.
campaign_hub::Opportunity map_opportunity(const rapidjson::Value& record);

// The text at `key` of an object, if it is a non-empty string.
campaign_hub::Text text_at(const rapidjson::Value& object, const char* key);

// The value as compact JSON text (UTF-8 kept as it is), for `raw`.
std::string json_text(const rapidjson::Value& value);

}  // namespace connect_scouting
