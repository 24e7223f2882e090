// The hub's own fields on records, which no sync writes (issue 12, Inpart's semantics): a
// person moves an opportunity to another initiative, gives it a triage state and a note, or
// names a campaign's owner where the provider has none. Each change says who and when, and is
// logged (hub_field_events); provider changes keep landing beside it.
#pragma once

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hub/store/database.h"

namespace hub {

inline constexpr std::array<std::string_view, 4> kTriageStates = {"new", "reviewing", "shortlisted",
                                                                  "rejected"};

// A change a person asks for: what is given changes, what is not stays. An empty text clears
// the initiative (back to the instance's) or the note.
struct TriageChange {
  std::string instance;
  std::string external_id;
  std::optional<std::string> initiative;
  std::optional<std::string> state;
  std::optional<std::string> note;
  std::string changed_by;
};

struct Triage {
  std::optional<std::string> initiative;  // none: the one the sync gave
  std::string state = "new";
  std::optional<std::string> note;
  std::string changed_by;
  std::string changed_at;
};

// The record a change names does not exist.
class NoSuchRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A change that cannot be made as asked (an unknown state, nothing to change): the field and
// why.
class BadChange : public std::invalid_argument {
 public:
  BadChange(std::string field, std::string reason)
      : std::invalid_argument(field + ": " + reason),
        field_(std::move(field)),
        reason_(std::move(reason)) {}
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

// Applies the change in one transaction and answers the opportunity's triage as it now is.
// Throws NoSuchRecord, BadChange.
Triage set_triage(Database& database, const TriageChange& change);

// Sets (or, with an empty owner, clears) the owner the hub keeps for a campaign.
void set_campaign_owner(Database& database, const std::string& instance,
                        const std::string& external_id, const std::string& owner,
                        const std::string& changed_by);

}  // namespace hub
