// The entry file of the salesforce plugin: the provider, then its status map, settings schema
// and descriptor.
#include "plugins/salesforce/salesforce.h"

#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

#include "plugins/salesforce/api.h"
#include "plugins/salesforce/object_stream.h"
#include "plugins/salesforce/query_page.h"
#include "plugins/salesforce/record_mapping.h"
#include "plugins/salesforce/settings.h"
#include "plugins/salesforce/soql.h"

namespace salesforce {
namespace {

using campaign_hub::LogLevel;

// A date no row is modified after: check() runs the real queries and reads no rows.
constexpr const char* kNever = "4000-01-01T00:00:00Z";

std::string since_for(const campaign_hub::Host& host, const std::string& stream,
                      const Settings& settings) {
  auto saved = host.cursor(stream);
  if (!saved || saved->empty())
    return settings.start;
  auto literal = soql_datetime(*saved);
  if (!literal) {
    throw std::runtime_error("the saved cursor of stream " + stream + " ('" + *saved +
                             "') is not a SystemModstamp; reset it with `campaign-hub state "
                             "reset` to read this object again from settings.start");
  }
  return *literal;
}

}  // namespace

void Salesforce::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  const Settings settings = parse_settings(host.settings());
  SalesforceApi api(host, settings);
  const MappingOptions mapping{settings.campaign_kind, settings.org_currency};
  auto& log = host.logger();
  // Every object's query starts now, side by side; their rows are emitted one object after the
  // other, as before.
  std::vector<std::string> since;
  since.reserve(settings.objects.size());
  for (const std::string& object : settings.objects)
    since.push_back(since_for(host, object, settings));
  host.http();  // made before the feeds' threads share it
  std::vector<std::unique_ptr<PageFeed>> feeds;
  feeds.reserve(settings.objects.size());
  for (std::size_t i = 0; i < settings.objects.size(); ++i) {
    feeds.push_back(std::make_unique<PageFeed>(api, settings.api_version, settings.deletions,
                                               object_query(settings.objects[i], mapping),
                                               since[i]));
  }
  for (std::size_t i = 0; i < settings.objects.size(); ++i) {
    const std::string& object = settings.objects[i];
    RowHandler on_row;
    if (object == "Campaign") {
      on_row = [&](const rapidjson::Value& row) { emit.campaign(to_campaign(row, mapping)); };
    } else if (object == "CampaignMember") {
      on_row = [&](const rapidjson::Value& row) { emit.participant(to_participant(row)); };
    } else {
      on_row = [&](const rapidjson::Value& row) { emit.opportunity(to_opportunity(row, mapping)); };
    }
    const StreamProgress progress = read_stream(
        *feeds[i], on_row, [&](const std::string& cursor) { emit.checkpoint(object, cursor); });
    log.log(LogLevel::info, object + ": " + std::to_string(progress.rows) + " rows (" +
                                std::to_string(progress.deleted) + " deleted) in " +
                                std::to_string(progress.pages) +
                                " pages, SystemModstamp >= " + since[i]);
  }
  if (api.usage())
    log.log(LogLevel::info, "API usage of the org: " + *api.usage());
}

campaign_hub::CheckResult Salesforce::check(campaign_hub::Host& host) {
  try {
    const Settings settings = parse_settings(host.settings());
    SalesforceApi api(host, settings);
    const MappingOptions mapping{settings.campaign_kind, settings.org_currency};
    std::string objects;
    for (const std::string& object : settings.objects) {
      // The very query a sync sends, fields and all, so a field the org lacks shows here.
      auto response = api.get(query_url(settings.api_version, settings.deletions,
                                        incremental_soql(object_query(object, mapping), kNever)));
      parse_query_page(response.body, "Salesforce " + object);
      objects += (objects.empty() ? "" : ", ") + object;
    }
    return {true, "authenticated; " + objects + " queryable (API v" + settings.api_version +
                      (settings.deletions ? ", queryAll" : "") + ")" +
                      (api.usage() ? "; API usage " + *api.usage() : std::string())};
  } catch (const std::exception& error) {
    return {false, explain(error)};
  }
}

// Salesforce's default picklists (../shared/providers/salesforce.md). An org's own values go to
// quarantine, named, until the instance's status_overrides map them.
constexpr campaign_hub::StatusMapping status_map[] = {
    // Campaign.Status
    {"campaign", "Planned", "scheduled"},
    {"campaign", "In Progress", "active"},
    {"campaign", "Completed", "completed"},
    {"campaign", "Aborted", "cancelled"},
    // CampaignMember.Status: the default labels of a new campaign.
    {"participant", "Planned", "pending"},
    {"participant", "Sent", "active"},
    {"participant", "Received", "active"},
    {"participant", "Responded", "completed"},
    // Opportunity.StageName: the default sales process.
    {"opportunity", "Prospecting", "active"},
    {"opportunity", "Qualification", "active"},
    {"opportunity", "Needs Analysis", "active"},
    {"opportunity", "Value Proposition", "active"},
    {"opportunity", "Id. Decision Makers", "active"},
    {"opportunity", "Perception Analysis", "active"},
    {"opportunity", "Proposal/Price Quote", "active"},
    {"opportunity", "Negotiation/Review", "active"},
    {"opportunity", "Closed Won", "won"},
    {"opportunity", "Closed Lost", "closed"},
};

const campaign_hub::Descriptor descriptor{
    .name = "salesforce",
    .version = "1.0.0",
    .kind = "crm",
    .summary =
        "Salesforce campaigns, campaign members and opportunities, incremental on "
        "SystemModstamp, deletions by queryAll",
    .settings_schema = settings_schema,
    .status_map = status_map,
    .status_map_size = std::size(status_map),
    .capabilities = campaign_hub::capability_check,
};

}  // namespace salesforce

CAMPAIGN_HUB_PLUGIN(salesforce::Salesforce, salesforce::descriptor)
