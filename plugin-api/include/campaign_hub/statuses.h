// How a provider's status words become canonical statuses: a plugin's fixed map (in its
// Descriptor) and, for a plugin whose words come from its settings, the rules it gives per
// instance (Provider::statuses). The hub does the mapping; a plugin emits the provider's word.
#pragma once

#include <optional>
#include <string>

namespace campaign_hub {

// One entry of a plugin's fixed status map, matched exactly. The operator can override any
// entry in config (status_overrides).
struct StatusMapping {
  const char* entity;     // "campaign", "opportunity", "participant" or "step"
  const char* provider;   // the provider's status text, exactly as it is sent
  const char* canonical;  // a canonical status of that entity (see plugin-api/README.md)
};

// How a provider's status text is compared with a rule's. Outer spaces never count.
enum class StatusMatch {
  exact,               // byte for byte
  case_insensitive,    // also ignores case (ASCII and Latin-1 letters: É = é)
  accent_insensitive,  // also ignores Latin-1 accents (é = e, œ = oe), ’ = ', runs of spaces
};

// One rule of an instance's status map.
struct StatusRule {
  std::string entity;                   // as in StatusMapping
  std::optional<std::string> provider;  // std::nullopt: a record that has no status at all
  std::string canonical;
  StatusMatch match = StatusMatch::exact;
};

}  // namespace campaign_hub
