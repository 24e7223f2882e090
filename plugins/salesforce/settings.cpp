#include "plugins/salesforce/settings.h"

#include <algorithm>

#include "connectors/json/settings_reader.h"

#include "plugins/salesforce/soql.h"

namespace salesforce {

// Settings, declared once: the hub validates against this and prints it as the plugin's help.
// Where and how to connect (base URL, OAuth2 client, retries) is the instance's `http` object.
const char* const settings_schema = R"json({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "salesforce settings",
  "description": "Reads Campaign, CampaignMember and Opportunity from a Salesforce org with SOQL, incrementally on SystemModstamp. The connection (base_url, auth oauth2_client_credentials with use_instance_url) is the instance's http object.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "api_version": {
      "description": "The REST API version, as in /services/data/v59.0.",
      "type": "string",
      "pattern": "^[0-9]+\\.[0-9]$",
      "default": "59.0"
    },
    "objects": {
      "description": "The objects to read; they are always read in the order Campaign, CampaignMember, Opportunity.",
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {"enum": ["Campaign", "CampaignMember", "Opportunity"]},
      "default": ["Campaign", "CampaignMember", "Opportunity"]
    },
    "start": {
      "description": "On a first sync (or after state reset), read only rows modified at or after this date (2026-01-31) or date-time with an offset. Default: everything.",
      "type": "string",
      "minLength": 10,
      "default": "1970-01-01T00:00:00Z"
    },
    "batch_size": {
      "description": "Rows per page (Sforce-Query-Options batchSize); Salesforce may return fewer. Default: Salesforce's own, 2000.",
      "type": "integer",
      "minimum": 200,
      "maximum": 2000
    },
    "deletions": {
      "description": "Read with queryAll, which also returns deleted rows (IsDeleted), and mark them deleted in the hub.",
      "type": "boolean",
      "default": true
    },
    "campaign_kind": {
      "description": "The kind of every campaign read.",
      "enum": ["scouting", "email", "partner", "task", "multichannel"],
      "default": "partner"
    },
    "org_currency": {
      "description": "For an org without multi-currency: its currency (ISO 4217), given to every opportunity; CurrencyIsoCode is then not selected, since such an org has no such field.",
      "type": "string",
      "pattern": "^[A-Z]{3}$"
    },
    "limit_backoff": {
      "description": "Waiting when Salesforce answers REQUEST_LIMIT_EXCEEDED: base_delay_ms, doubled on each attempt up to max_delay_ms, for at most max_attempts attempts of a request.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 20, "default": 3},
        "base_delay_ms": {"type": "integer", "minimum": 0, "maximum": 3600000, "default": 10000},
        "max_delay_ms": {"type": "integer", "minimum": 0, "maximum": 3600000, "default": 60000}
      }
    }
  }
})json";

Settings parse_settings(std::string_view json) {
  static const connectors::json::SettingsSchema schema(settings_schema);
  const connectors::json::SettingsReader reader(json, schema);
  Settings settings;
  settings.api_version = reader.text("/api_version");
  // Always in the order campaigns first, whatever order the config lists them in.
  const std::vector<std::string> wanted = reader.texts("/objects");
  for (const char* known : {"Campaign", "CampaignMember", "Opportunity"}) {
    if (std::find(wanted.begin(), wanted.end(), known) != wanted.end())
      settings.objects.emplace_back(known);
  }
  const auto start = soql_datetime(reader.text("/start"));
  if (!start) {
    reader.refuse("/start", "must be a date (2026-01-31) or a date-time with an offset",
                  "date-time");
  }
  settings.start = *start;
  if (reader.given("/batch_size"))
    settings.batch_size = static_cast<int>(reader.integer("/batch_size"));
  settings.deletions = reader.boolean("/deletions");
  settings.campaign_kind = reader.text("/campaign_kind");
  if (reader.given("/org_currency"))
    settings.org_currency = reader.text("/org_currency");
  LimitBackoff& backoff = settings.limit_backoff;
  backoff.max_attempts = static_cast<int>(reader.integer("/limit_backoff/max_attempts"));
  backoff.base_delay_ms = static_cast<int>(reader.integer("/limit_backoff/base_delay_ms"));
  backoff.max_delay_ms = static_cast<int>(reader.integer("/limit_backoff/max_delay_ms"));
  return settings;
}

}  // namespace salesforce
