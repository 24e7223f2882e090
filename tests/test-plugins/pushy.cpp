// plugin-api/README.md's webhook example, word for word, so that it cannot rot: a provider that
// pushes {"type": "campaign.updated", "data": {...the campaign...}}. The loader's tests call
// its receive across the library boundary.
#include <campaign_hub/plugin.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>
#include <string>

namespace {

std::string text(const rapidjson::Value& object, const char* name) {
  auto member = object.FindMember(name);
  return member != object.MemberEnd() && member->value.IsString() ? member->value.GetString() : "";
}

class Pushy : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host&, campaign_hub::Emitter&) override {}  // pull: see above

  campaign_hub::WebhookResult receive(campaign_hub::Host&,
                                      const campaign_hub::WebhookRequest& request,
                                      campaign_hub::Emitter& emit) override {
    rapidjson::Document event;
    event.Parse(request.body.data(), request.body.size());
    if (event.HasParseError() || !event.IsObject())
      throw std::runtime_error("the event is not a JSON object");
    const std::string type = text(event, "type");
    if (type != "campaign.updated" && type != "campaign.deleted")
      return campaign_hub::WebhookResult::ignored;  // "ping", and types we do not use
    auto data = event.FindMember("data");
    if (data == event.MemberEnd() || !data->value.IsObject())
      throw std::runtime_error(type + ": no data object");
    campaign_hub::Campaign campaign;
    campaign.external_id = text(data->value, "id");
    if (campaign.external_id.empty())
      throw std::runtime_error(type + ": data.id is missing");
    campaign.updated_at = text(data->value, "updated_at");  // which state is newer
    if (type == "campaign.deleted") {
      campaign.deleted = true;  // a tombstone: the hub keeps what it knew
    } else {
      campaign.name = text(data->value, "name");
      campaign.status = text(data->value, "state");  // the provider's word
    }
    rapidjson::StringBuffer raw;
    rapidjson::Writer<rapidjson::StringBuffer> writer(raw);
    data->value.Accept(writer);
    campaign.raw.assign(raw.GetString(), raw.GetSize());
    emit.campaign(std::move(campaign));
    return campaign_hub::WebhookResult::taken;
  }
};

constexpr campaign_hub::StatusMapping kStatuses[] = {{"campaign", "Live", "active"},
                                                     {"campaign", "Over", "completed"}};

const campaign_hub::Descriptor kDescriptor{
    .name = "pushy",
    .version = "1.0.0",
    .kind = "crm",
    .summary = "Takes the campaigns its provider pushes",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
    .capabilities = campaign_hub::capability_webhook,
};

}  // namespace

CAMPAIGN_HUB_PLUGIN(Pushy, kDescriptor)
