#include "record_mapping.h"

#include <cmath>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace connect_scouting {
namespace {

const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject())
    return nullptr;
  auto found = object.FindMember(key);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

// A count the feed sends as an integer (an integral number like 12.0 is taken too).
campaign_hub::Count count_at(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = member(object, key);
  if (value == nullptr)
    return std::nullopt;
  if (value->IsInt64())
    return value->GetInt64();
  if (value->IsDouble() && std::trunc(value->GetDouble()) == value->GetDouble() &&
      std::fabs(value->GetDouble()) < 9.0e15) {
    return static_cast<std::int64_t>(value->GetDouble());
  }
  return std::nullopt;
}

// `object.key.field`, e.g. campaign_manager.email; a null or absent person gives nothing.
campaign_hub::Text nested_text(const rapidjson::Value& object, const char* key, const char* field) {
  const rapidjson::Value* inner = member(object, key);
  return inner != nullptr && inner->IsObject() ? text_at(*inner, field) : std::nullopt;
}

bool is_tombstone(const rapidjson::Value& record) {
  const rapidjson::Value* deleted = member(record, "deleted");
  return deleted != nullptr && deleted->IsBool() && deleted->GetBool();
}

}  // namespace

campaign_hub::Text text_at(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = member(object, key);
  if (value == nullptr || !value->IsString() || value->GetStringLength() == 0)
    return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

campaign_hub::Campaign map_campaign(const rapidjson::Value& record, const std::string& kind) {
  campaign_hub::Campaign campaign;
  campaign.external_id = text_at(record, "id").value_or("");
  campaign.updated_at = text_at(record, "updated_at");
  campaign.raw = json_text(record);
  if (is_tombstone(record)) {
    campaign.deleted = true;  // the hub keeps what it knew and clears its opportunities' link
    return campaign;
  }
  campaign.name = text_at(record, "title");
  campaign.kind = kind;
  campaign.status = text_at(record, "status");
  campaign.owner = nested_text(record, "owner", "name");
  campaign.department = text_at(record, "department");
  campaign.manager_email = nested_text(record, "campaign_manager", "email");
  campaign.start = text_at(record, "start_date");
  campaign.end = text_at(record, "end_date");
  campaign.review_by = text_at(record, "review_by");
  campaign.description = text_at(record, "description");
  campaign.opportunity_count = count_at(record, "opportunity_count");
  campaign.connection_count = count_at(record, "connection_count");
  campaign.created_at = text_at(record, "created_at");
  // The one field the canonical model has no column for: who runs the feed ("Connect").
  if (auto provider = text_at(record, "provider")) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("provider");
    writer.String(provider->data(), static_cast<rapidjson::SizeType>(provider->size()));
    writer.EndObject();
    campaign.attributes.emplace(buffer.GetString(), buffer.GetSize());
  }
  return campaign;
}

campaign_hub::Opportunity map_opportunity(const rapidjson::Value& record) {
  campaign_hub::Opportunity opportunity;
  opportunity.external_id = text_at(record, "id").value_or("");
  opportunity.updated_at = text_at(record, "updated_at");
  opportunity.raw = json_text(record);
  opportunity.campaign_id = text_at(record, "campaign_id");
  if (is_tombstone(record)) {
    opportunity.deleted = true;
    return opportunity;
  }
  opportunity.title = text_at(record, "title");
  opportunity.summary = text_at(record, "summary");
  opportunity.organisation = nested_text(record, "institution", "name");
  opportunity.country = nested_text(record, "institution", "country");
  opportunity.contact_name = nested_text(record, "submitted_by", "name");
  opportunity.contact_email = nested_text(record, "submitted_by", "email");
  opportunity.status = text_at(record, "status");
  opportunity.readiness_level = count_at(record, "trl");
  if (const rapidjson::Value* attachments = member(record, "attachments");
      attachments != nullptr && attachments->IsArray()) {
    opportunity.attachment_count = static_cast<std::int64_t>(attachments->Size());
  }
  opportunity.submitted_at = text_at(record, "submitted_at");
  // initiative stays empty: the hub puts every imported opportunity in the instance's
  // default initiative.
  return opportunity;
}

}  // namespace connect_scouting
