// The records a plugin emits: plain data, in the provider's own words.
//
// A plugin fills these with what the provider said. The hub does the rest: it maps `status`
// through the plugin's status map (plus the operator's overrides), turns times into UTC,
// trims strings, lower-cases e-mails and checks ranges. A field the provider does not have
// stays empty (std::nullopt); nothing is guessed.
//
// Times and dates are text as the provider sent them: RFC 3339 with an offset or `Z`
// ("2026-03-01T09:30:00+01:00"), a date ("2026-03-01"), or an epoch in seconds ("1767225600").
//
// `attributes` holds what the provider says that no canonical field names (a HubSpot deal's
// pipeline, a Connect campaign's provider name): a JSON object as text, `{"pipeline":
// "default"}`, stored in a JSON column that SQL can query. Anything else is refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace campaign_hub {

using Text = std::optional<std::string>;
using Number = std::optional<double>;
using Count = std::optional<std::int64_t>;

// A campaign run by, or delivered through, a provider.
struct Campaign {
  std::string external_id;  // the provider's id; required
  Text name;
  Text kind;    // scouting, email, partner, task or multichannel
  Text status;  // the provider's status text, mapped by the hub
  Text owner;
  Text department;
  Text manager_email;  // the provider's account manager
  Text start;
  Text end;
  Text review_by;
  Text description;
  Number budget;
  Number spend;
  Text currency;  // ISO 4217, of budget and spend
  Count expected_responses;
  Count opportunity_count;
  Count connection_count;
  Count target_count;
  Text created_at;  // provider's timestamps
  Text updated_at;
  Text attributes;       // a JSON object of the provider's other fields
  bool deleted = false;  // a tombstone: only external_id (and updated_at) need be set
  std::string raw;       // the provider's record as JSON text, kept as it came
};

// Something a campaign produced: a submission, a deal, a lead.
struct Opportunity {
  std::string external_id;  // required
  Text campaign_id;         // the provider's campaign id; may name one not synced yet
  Text title;
  Text summary;  // the submitter's abstract
  Text organisation;
  Text country;  // ISO 3166-1 alpha-2, of the organisation
  Text contact_name;
  Text contact_email;
  Text status;
  Text initiative;  // empty: the instance's default initiative
  Number amount;
  Text currency;           // ISO 4217
  Number probability;      // 0 to 100
  Count readiness_level;   // technology readiness level (TRL), 1 to 9
  Count attachment_count;  // documents attached to the submission
  Text owner;              // who handles it at the provider: a name, an e-mail or an id
  Text submitted_at;
  Text updated_at;
  Text attributes;
  bool deleted = false;
  std::string raw;
};

// A partner or company enrolled in a campaign.
struct Participant {
  std::string external_id;  // required
  std::string campaign_id;  // required
  Text name;
  Text status;
  Text started_by;  // "automatic" or "manual"
  Text started_at;
  Text finished_at;
  Number completion;  // percent, 0 to 100
  Text assignee;
  Text updated_at;  // when the provider last changed the enrolment
  Text attributes;
  bool deleted = false;
  std::string raw;
};

// An action or journey event for a participant.
struct Step {
  std::string external_id;     // required
  std::string participant_id;  // required
  Text name;
  Text channel;
  Text status;
  Text due_at;
  Text executed_at;
  Text cancelled_at;
  Text updated_at;
  Text attributes;
  bool deleted = false;
  std::string raw;
};

// The figures a provider reports for a campaign, as of one sync.
struct Metrics {
  std::string campaign_id;  // required
  Text taken_at;            // empty: the time of the sync
  Count sent;
  Count delivered;
  Count opens;
  Count unique_opens;
  Count clicks;
  Count bounces;
  Count unsubscribes;
  Count abuse_reports;
  Count responses;
  Count expected_responses;
  Count deals_won;  // opportunities the campaign turned into signed business
  Number spend;
  Number budget;
  std::string raw;
};

}  // namespace campaign_hub
