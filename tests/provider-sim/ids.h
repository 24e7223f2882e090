// Table names and the ids of their records. Ids are bijective in the record index, so that the
// control endpoint can find "campaign cmp_1a2b3c4d" without a lookup table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace provider_sim {

namespace tables {
inline constexpr const char* connect_campaigns = "connect.campaigns";
inline constexpr const char* connect_opportunities = "connect.opportunities";
inline constexpr const char* salesforce_campaigns = "salesforce.Campaign";
inline constexpr const char* salesforce_opportunities = "salesforce.Opportunity";
inline constexpr const char* salesforce_members = "salesforce.CampaignMember";
inline constexpr const char* mailchimp_campaigns = "mailchimp.campaigns";
inline constexpr const char* bntouch_enrolments = "bntouch.enrolments";
inline constexpr const char* clover_campaigns = "clover.campaigns";
inline constexpr const char* artis_campagnes = "artis.campagnes";
inline constexpr const char* medica_campaigns = "medica.campaigns";
inline constexpr const char* hubspot_deals = "hubspot.deals";
}  // namespace tables

// The provider's id of record `index` of `table`.
std::string record_id(std::string_view table, std::int64_t index);
// The index of the record with that id (or "#<index>"), or -1.
std::int64_t record_index(std::string_view table, std::string_view id);

}  // namespace provider_sim
