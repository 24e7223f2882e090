// Salesforce rows to the hub's records: Campaign -> campaign, CampaignMember -> participant,
// Opportunity -> opportunity. Values are passed in the provider's words; the hub maps statuses
// and times. A row with IsDeleted = true (queryAll) becomes a tombstone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "campaign_hub/records.h"
#include "plugins/salesforce/soql.h"

namespace salesforce {

struct MappingOptions {
  std::string campaign_kind = "partner";
  std::optional<std::string> org_currency;  // when set, CurrencyIsoCode is not selected
};

// The fields selected for `object` ("Campaign", "CampaignMember", "Opportunity").
ObjectQuery object_query(std::string_view object, const MappingOptions& options);

campaign_hub::Campaign to_campaign(const rapidjson::Value& row, const MappingOptions& options);
campaign_hub::Participant to_participant(const rapidjson::Value& row);
campaign_hub::Opportunity to_opportunity(const rapidjson::Value& row,
                                         const MappingOptions& options);

// SystemModstamp of a row as a SOQL literal (soql_datetime), if it has a readable one.
std::optional<std::string> row_modstamp(const rapidjson::Value& row);
bool row_deleted(const rapidjson::Value& row);
std::string row_id(const rapidjson::Value& row);

}  // namespace salesforce
