// Mailchimp bodies to canonical records: pure functions, no I/O, so that recorded bodies can be
// checked without a network.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_hub/records.h"

namespace mailchimp {

// A body the plugin cannot read: malformed JSON, a missing collection, a wrong type. The
// message names the request and the JSON pointer or parse offset.
class ResponseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One item of GET /campaigns, as a record and what the incremental sync needs to know of it.
struct ListedCampaign {
  campaign_hub::Campaign record;
  std::string send_time;  // empty when not sent ("" in Mailchimp's answer)
  // Of what the list says about delivery and figures (status, send_time, emails_sent,
  // report_summary): when it is unchanged, a finished campaign's report is not read again.
  std::string fingerprint;
  bool may_have_report = false;  // sent, being sent, cancelled or archived after sending
  bool unfinished = false;       // sending or canceling: its figures move on every sync
};

struct CampaignPage {
  std::int64_t total_items = 0;
  std::vector<ListedCampaign> campaigns;
};

// Parses a whole page before anything is emitted, so a bad page writes nothing. `request`
// names the page in errors ("GET campaigns?count=1000&offset=2000").
CampaignPage parse_campaign_page(std::string_view body, std::string_view request);

// GET /campaigns/{id}: one campaign, as the list gives it.
ListedCampaign parse_campaign(std::string_view body, std::string_view request);

// GET /reports/{id} to a metrics snapshot: sent = emails_sent, opens = opens.opens_total,
// unique_opens, clicks = clicks.clicks_total, bounces = hard + soft bounces (syntax errors
// were never sent), unsubscribes = unsubscribed, abuse_reports. raw is the report without
// `_links` and `list_stats` (audience-wide figures that move without this campaign).
campaign_hub::Metrics parse_report(std::string_view body, std::string_view campaign_id,
                                   std::string_view request);

// One line from an application/problem+json body: "404 Resource Not Found: The requested
// resource could not be found." Falls back to the first bytes of any other body.
std::string problem_message(std::string_view body, int status);

// Seconds since the epoch of an RFC 3339 time ("2026-05-21T19:10:48+00:00", read by
// connectors/time; a fraction of a second is dropped), or nothing.
std::optional<std::int64_t> epoch_seconds(std::string_view rfc3339);

}  // namespace mailchimp
