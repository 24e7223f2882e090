#include "ids.h"

#include <charconv>

#include "world.h"

namespace provider_sim {
namespace {

struct Scheme {
  const char* table;
  const char* prefix;
  std::uint32_t multiplier;
};

// Salesforce ids are 18 characters: a 3-character key prefix, then 15 more.
constexpr Scheme kSchemes[] = {
    {tables::connect_campaigns, "cmp_", 0x9E3779B1u},
    {tables::connect_opportunities, "opp_", 0x85EBCA77u},
    {tables::salesforce_campaigns, "701SIM0000", 0xC2B2AE3Du},
    {tables::salesforce_opportunities, "006SIM0000", 0x27D4EB2Fu},
    {tables::salesforce_members, "00vSIM0000", 0x165667B1u},
    {tables::mailchimp_campaigns, "0a", 0x2545F491u},
    {tables::clover_campaigns, "4c1e", 0x6A09E667u},
};

// HubSpot's deal ids are 12-digit numbers: a base plus the scrambled index.
constexpr std::uint64_t kDealBase = 400'000'000'000;
constexpr std::uint32_t kDealMultiplier = 0x3C6EF373u;

std::uint32_t inverse(std::uint32_t odd) {
  // Of an odd multiplier modulo 2^32, by Newton's iteration.
  std::uint32_t out = odd;
  for (int i = 0; i < 5; ++i)
    out *= 2 - odd * out;
  return out;
}

}  // namespace

std::string record_id(std::string_view table, std::int64_t index) {
  for (const Scheme& s : kSchemes) {
    if (table == s.table)
      return hex_id(s.prefix, index, s.multiplier);
  }
  if (table == tables::artis_campagnes)
    return "CAMP-2026-" + std::to_string(index + 1);
  if (table == tables::medica_campaigns)
    return "IM-" + std::to_string(index + 100);
  if (table == tables::bntouch_enrolments)
    return std::to_string(5000 + index);
  if (table == tables::hubspot_deals)
    return std::to_string(kDealBase + static_cast<std::uint32_t>(static_cast<std::uint32_t>(index) *
                                                                 kDealMultiplier));
  return "#" + std::to_string(index);
}

std::int64_t record_index(std::string_view table, std::string_view id) {
  std::int64_t value = -1;
  auto number = [&value](std::string_view digits) {
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size())
      value = -1;
  };
  if (id.rfind('#', 0) == 0) {
    number(id.substr(1));
    return value;
  }
  for (const Scheme& s : kSchemes) {
    if (table == s.table)
      return hex_id_index(id, s.prefix, s.multiplier);
  }
  if (table == tables::artis_campagnes && id.rfind("CAMP-2026-", 0) == 0) {
    number(id.substr(10));
    return value < 1 ? -1 : value - 1;
  }
  if (table == tables::medica_campaigns && id.rfind("IM-", 0) == 0) {
    number(id.substr(3));
    return value < 100 ? -1 : value - 100;
  }
  if (table == tables::bntouch_enrolments) {
    number(id);
    return value < 5000 ? -1 : value - 5000;
  }
  if (table == tables::hubspot_deals) {
    number(id);
    const auto base = static_cast<std::int64_t>(kDealBase);
    if (value < base || value - base > UINT32_MAX)
      return -1;
    const std::uint32_t index = static_cast<std::uint32_t>(value - base) * inverse(kDealMultiplier);
    return index;
  }
  return -1;
}

}  // namespace provider_sim
