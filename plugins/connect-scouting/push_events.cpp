#include "push_events.h"

#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

#include "connectors/json/depth.h"
#include "record_mapping.h"

namespace connect_scouting {

campaign_hub::WebhookResult receive_event(const Settings& settings,
                                          const campaign_hub::WebhookRequest& request,
                                          campaign_hub::Emitter& emit) {
  if (auto offset = connectors::json::too_deep(request.body))
    throw std::runtime_error("the event " + connectors::json::too_deep_reason(*offset));
  rapidjson::Document event;
  event.Parse(request.body.data(), request.body.size());
  if (event.HasParseError() || !event.IsObject())
    throw std::runtime_error("the event is not a JSON object");
  const campaign_hub::Text type = text_at(event, "type");
  if (!type)
    throw std::runtime_error("the event has no type");
  const bool campaign = type->starts_with("campaign.");
  const bool opportunity = *type == "opportunity.created" || *type == "opportunity.updated";
  if (!campaign && !opportunity)
    return campaign_hub::WebhookResult::ignored;  // "ping", and types the feed may add
  auto data = event.FindMember("data");
  if (data == event.MemberEnd() || !data->value.IsObject())
    throw std::runtime_error(*type + ": the event has no data object");
  if (!text_at(data->value, "id"))
    throw std::runtime_error(*type + ": data.id is missing");
  if (campaign) {
    campaign_hub::Campaign record = map_campaign(data->value, settings.campaign_kind);
    if (*type == "campaign.deleted")
      record.deleted = true;
    emit.campaign(std::move(record));
  } else {
    emit.opportunity(map_opportunity(data->value));
  }
  return campaign_hub::WebhookResult::taken;
}

}  // namespace connect_scouting
