#include "plugins/salesforce/settings.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "plugins/salesforce/soql.h"

namespace salesforce {
namespace {

[[noreturn]] void bad(const std::string& pointer, const std::string& what) {
  throw std::invalid_argument("settings" + pointer + ": " + what);
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

int integer(const rapidjson::Value& object, const char* name, const std::string& pointer,
            int fallback, int low, int high) {
  const rapidjson::Value* value = member(object, name);
  if (value == nullptr)
    return fallback;
  if (!value->IsInt() || value->GetInt() < low || value->GetInt() > high) {
    bad(pointer + "/" + name,
        "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return value->GetInt();
}

std::string text(const rapidjson::Value& object, const char* name, std::string fallback) {
  const rapidjson::Value* value = member(object, name);
  if (value == nullptr)
    return fallback;
  if (!value->IsString() || value->GetStringLength() == 0)
    bad(std::string("/") + name, "expected a non-empty string");
  return value->GetString();
}

}  // namespace

Settings parse_settings(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    throw std::invalid_argument(std::string("settings: not valid JSON: ") +
                                rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject())
    bad("", "expected an object");
  Settings settings;
  settings.api_version = text(document, "api_version", settings.api_version);
  if (const rapidjson::Value* objects = member(document, "objects")) {
    if (!objects->IsArray() || objects->Empty())
      bad("/objects", "expected a non-empty array");
    settings.objects.clear();
    // Always in the order campaigns first, whatever order the config lists them in.
    for (const char* known : {"Campaign", "CampaignMember", "Opportunity"}) {
      for (const auto& name : objects->GetArray()) {
        if (name.IsString() && std::string_view(name.GetString()) == known) {
          settings.objects.emplace_back(known);
          break;
        }
      }
    }
    if (settings.objects.size() != objects->Size())
      bad("/objects", "each of Campaign, CampaignMember, Opportunity at most once, nothing else");
  }
  if (const rapidjson::Value* start = member(document, "start")) {
    auto literal = start->IsString() ? soql_datetime(start->GetString()) : std::nullopt;
    if (!literal)
      bad("/start", "expected a date (2026-01-31) or a date-time with an offset");
    settings.start = *literal;
  }
  if (member(document, "batch_size") != nullptr)
    settings.batch_size = integer(document, "batch_size", "", 2000, 200, 2000);
  if (const rapidjson::Value* deletions = member(document, "deletions")) {
    if (!deletions->IsBool())
      bad("/deletions", "expected true or false");
    settings.deletions = deletions->GetBool();
  }
  settings.campaign_kind = text(document, "campaign_kind", settings.campaign_kind);
  if (member(document, "org_currency") != nullptr)
    settings.org_currency = text(document, "org_currency", "");
  if (const rapidjson::Value* backoff = member(document, "limit_backoff")) {
    if (!backoff->IsObject())
      bad("/limit_backoff", "expected an object");
    LimitBackoff& b = settings.limit_backoff;
    b.max_attempts = integer(*backoff, "max_attempts", "/limit_backoff", b.max_attempts, 1, 20);
    b.base_delay_ms =
        integer(*backoff, "base_delay_ms", "/limit_backoff", b.base_delay_ms, 0, 3'600'000);
    b.max_delay_ms =
        integer(*backoff, "max_delay_ms", "/limit_backoff", b.max_delay_ms, 0, 3'600'000);
  }
  return settings;
}

}  // namespace salesforce
