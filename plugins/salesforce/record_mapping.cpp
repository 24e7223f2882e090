#include "plugins/salesforce/record_mapping.h"

#include <cmath>

#include "plugins/salesforce/query_page.h"

namespace salesforce {
namespace {

const rapidjson::Value* field(const rapidjson::Value& row, const char* name) {
  auto it = row.FindMember(name);
  return it == row.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

campaign_hub::Text text(const rapidjson::Value& row, const char* name) {
  const rapidjson::Value* value = field(row, name);
  if (value == nullptr || !value->IsString() || value->GetStringLength() == 0)
    return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

campaign_hub::Number number(const rapidjson::Value& row, const char* name) {
  const rapidjson::Value* value = field(row, name);
  if (value == nullptr || !value->IsNumber())
    return std::nullopt;
  return value->GetDouble();
}

campaign_hub::Count count(const rapidjson::Value& row, const char* name) {
  const rapidjson::Value* value = field(row, name);
  if (value == nullptr || !value->IsNumber())
    return std::nullopt;
  if (value->IsInt64())
    return value->GetInt64();
  double d = value->GetDouble();  // Salesforce sends some counts as 12.0
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
    return static_cast<std::int64_t>(d);
  return std::nullopt;
}

// LastModifiedDate is the user-visible change; SystemModstamp also moves on system updates.
campaign_hub::Text updated_at(const rapidjson::Value& row) {
  if (auto last = text(row, "LastModifiedDate"))
    return last;
  return text(row, "SystemModstamp");
}

}  // namespace

ObjectQuery object_query(std::string_view object, const MappingOptions& options) {
  if (object == "Campaign") {
    return {"Campaign",
            {"Id", "Name", "Type", "Status", "IsActive", "StartDate", "EndDate", "BudgetedCost",
             "ActualCost", "ExpectedResponse", "NumberSent", "NumberOfLeads",
             "NumberOfOpportunities", "NumberOfWonOpportunities", "ParentId", "OwnerId",
             "IsDeleted", "LastModifiedDate", "SystemModstamp"}};
  }
  if (object == "CampaignMember") {
    return {"CampaignMember",
            {"Id", "CampaignId", "ContactId", "LeadId", "Status", "HasResponded",
             "FirstRespondedDate", "IsDeleted", "SystemModstamp"}};
  }
  ObjectQuery query{
      "Opportunity",
      {"Id", "Name", "CampaignId", "AccountId", "StageName", "IsClosed", "IsWon", "Amount",
       "Probability", "CloseDate", "IsDeleted", "LastModifiedDate", "SystemModstamp"}};
  if (!options.org_currency)
    query.fields.insert(query.fields.begin() + 8, "CurrencyIsoCode");
  return query;
}

std::string row_id(const rapidjson::Value& row) {
  return text(row, "Id").value_or("");
}

bool row_deleted(const rapidjson::Value& row) {
  const rapidjson::Value* value = field(row, "IsDeleted");
  return value != nullptr && value->IsBool() && value->GetBool();
}

std::optional<std::string> row_modstamp(const rapidjson::Value& row) {
  auto stamp = text(row, "SystemModstamp");
  return stamp ? soql_datetime(*stamp) : std::nullopt;
}

campaign_hub::Campaign to_campaign(const rapidjson::Value& row, const MappingOptions& options) {
  campaign_hub::Campaign c;
  c.external_id = row_id(row);
  c.updated_at = updated_at(row);
  c.raw = to_json(row);
  if (row_deleted(row)) {
    c.deleted = true;  // a tombstone: the hub keeps what it knew
    return c;
  }
  c.name = text(row, "Name");
  c.kind = options.campaign_kind;
  c.status = text(row, "Status");
  c.owner = text(row, "OwnerId");
  c.start = text(row, "StartDate");
  c.end = text(row, "EndDate");
  c.budget = number(row, "BudgetedCost");
  c.spend = number(row, "ActualCost");
  c.opportunity_count = count(row, "NumberOfOpportunities");
  c.target_count = count(row, "NumberSent");
  return c;
}

campaign_hub::Participant to_participant(const rapidjson::Value& row) {
  campaign_hub::Participant p;
  p.external_id = row_id(row);
  p.campaign_id = text(row, "CampaignId").value_or("");
  p.raw = to_json(row);
  if (row_deleted(row)) {
    p.deleted = true;
    return p;
  }
  // The member is a Contact or a Lead; its name would cost a query per member, so the id it is.
  p.name = text(row, "ContactId");
  if (!p.name)
    p.name = text(row, "LeadId");
  p.status = text(row, "Status");
  p.finished_at = text(row, "FirstRespondedDate");
  return p;
}

campaign_hub::Opportunity to_opportunity(const rapidjson::Value& row,
                                         const MappingOptions& options) {
  campaign_hub::Opportunity o;
  o.external_id = row_id(row);
  o.updated_at = updated_at(row);
  o.raw = to_json(row);
  if (row_deleted(row)) {
    o.deleted = true;
    return o;
  }
  o.campaign_id = text(row, "CampaignId");
  o.title = text(row, "Name");
  o.organisation = text(row, "AccountId");
  o.status = text(row, "StageName");
  o.amount = number(row, "Amount");
  o.currency = options.org_currency ? options.org_currency : text(row, "CurrencyIsoCode");
  o.probability = number(row, "Probability");
  return o;
}

}  // namespace salesforce
