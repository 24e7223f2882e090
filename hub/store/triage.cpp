#include "hub/store/triage.h"

#include <algorithm>

#include "hub/model/time.h"

namespace hub {
namespace {

using Text = std::optional<std::string>;

// An empty text given by a person clears the field.
Text cleared(const Text& given) {
  return given && given->empty() ? std::nullopt : given;
}

bool exists(Database& database, const char* table, const std::string& instance,
            const std::string& id) {
  int count = 0;
  database.session() << "SELECT COUNT(*) FROM " << table
                     << " WHERE instance = :i AND external_id = :e",
      soci::use(instance), soci::use(id), soci::into(count);
  return count > 0;
}

void log_change(Database& database, const std::string& instance, const char* entity,
                const std::string& id, const char* field, const Text& from, const Text& to,
                const std::string& by, const std::string& at) {
  if (from == to)
    return;
  soci::indicator from_null = from ? soci::i_ok : soci::i_null;
  soci::indicator to_null = to ? soci::i_ok : soci::i_null;
  const std::string from_text = from.value_or(""), to_text = to.value_or("");
  database.session() << "INSERT INTO hub_field_events (instance, entity, external_id, field, "
                        "from_value, to_value, changed_by, changed_at) VALUES (:i, :n, :e, :f, "
                        ":a, :b, :by, :at)",
      soci::use(instance), soci::use(std::string(entity)), soci::use(id),
      soci::use(std::string(field)), soci::use(from_text, from_null), soci::use(to_text, to_null),
      soci::use(by), soci::use(at);
}

}  // namespace

Triage set_triage(Database& database, const TriageChange& change) {
  if (!change.initiative && !change.state && !change.note)
    throw BadChange("triage", "nothing to change: give initiative, state or note");
  if (change.state &&
      std::find(kTriageStates.begin(), kTriageStates.end(), *change.state) == kTriageStates.end()) {
    throw BadChange("state", "'" + *change.state +
                                 "' is not a triage state; one of new, reviewing, shortlisted, "
                                 "rejected");
  }
  if (change.changed_by.empty())
    throw BadChange("changed_by", "a change needs who made it");
  soci::transaction transaction(database.session());
  if (!exists(database, "opportunities", change.instance, change.external_id)) {
    throw NoSuchRecord("no opportunity '" + change.external_id + "' in instance '" +
                       change.instance + "'");
  }
  Triage before;
  bool stored = false;
  {
    std::string initiative, state, note, by, at;
    soci::indicator initiative_null = soci::i_null, note_null = soci::i_null;
    database.session() << "SELECT initiative, state, note, changed_by, changed_at FROM "
                          "opportunity_triage WHERE instance = :i AND external_id = :e",
        soci::use(change.instance), soci::use(change.external_id),
        soci::into(initiative, initiative_null), soci::into(state), soci::into(note, note_null),
        soci::into(by), soci::into(at);
    stored = database.session().got_data();
    if (stored) {
      if (initiative_null == soci::i_ok)
        before.initiative = initiative;
      before.state = state;
      if (note_null == soci::i_ok)
        before.note = note;
    }
  }
  Triage after = before;
  if (change.initiative)
    after.initiative = cleared(change.initiative);
  if (change.state)
    after.state = *change.state;
  if (change.note)
    after.note = cleared(change.note);
  after.changed_by = change.changed_by;
  after.changed_at = utc_now();

  soci::indicator initiative_null = after.initiative ? soci::i_ok : soci::i_null;
  soci::indicator note_null = after.note ? soci::i_ok : soci::i_null;
  const std::string initiative = after.initiative.value_or("");
  const std::string note = after.note.value_or("");
  if (stored) {
    database.session() << "UPDATE opportunity_triage SET initiative = :n, state = :s, note = "
                          ":t, changed_by = :b, changed_at = :a WHERE instance = :i AND "
                          "external_id = :e",
        soci::use(initiative, initiative_null), soci::use(after.state), soci::use(note, note_null),
        soci::use(after.changed_by), soci::use(after.changed_at), soci::use(change.instance),
        soci::use(change.external_id);
  } else {
    database.session() << "INSERT INTO opportunity_triage (instance, external_id, initiative, "
                          "state, note, changed_by, changed_at) VALUES (:i, :e, :n, :s, :t, :b, "
                          ":a)",
        soci::use(change.instance), soci::use(change.external_id),
        soci::use(initiative, initiative_null), soci::use(after.state), soci::use(note, note_null),
        soci::use(after.changed_by), soci::use(after.changed_at);
  }
  log_change(database, change.instance, "opportunity", change.external_id, "initiative",
             before.initiative, after.initiative, after.changed_by, after.changed_at);
  log_change(database, change.instance, "opportunity", change.external_id, "triage_state",
             before.state, after.state, after.changed_by, after.changed_at);
  log_change(database, change.instance, "opportunity", change.external_id, "note", before.note,
             after.note, after.changed_by, after.changed_at);
  transaction.commit();
  return after;
}

void set_campaign_owner(Database& database, const std::string& instance,
                        const std::string& external_id, const std::string& owner,
                        const std::string& changed_by) {
  if (changed_by.empty())
    throw BadChange("changed_by", "a change needs who made it");
  soci::transaction transaction(database.session());
  if (!exists(database, "campaigns", instance, external_id))
    throw NoSuchRecord("no campaign '" + external_id + "' in instance '" + instance + "'");
  std::string stored_owner;
  soci::indicator stored_null = soci::i_null;
  database.session() << "SELECT owner FROM campaign_assignments WHERE instance = :i AND "
                        "external_id = :e",
      soci::use(instance), soci::use(external_id), soci::into(stored_owner, stored_null);
  const bool stored = database.session().got_data();
  const Text before = stored && stored_null == soci::i_ok ? Text(stored_owner) : std::nullopt;
  const Text after = cleared(Text(owner));
  const std::string now = utc_now();
  soci::indicator after_null = after ? soci::i_ok : soci::i_null;
  const std::string after_text = after.value_or("");
  if (stored) {
    database.session() << "UPDATE campaign_assignments SET owner = :o, changed_by = :b, "
                          "changed_at = :a WHERE instance = :i AND external_id = :e",
        soci::use(after_text, after_null), soci::use(changed_by), soci::use(now),
        soci::use(instance), soci::use(external_id);
  } else {
    database.session() << "INSERT INTO campaign_assignments (instance, external_id, owner, "
                          "changed_by, changed_at) VALUES (:i, :e, :o, :b, :a)",
        soci::use(instance), soci::use(external_id), soci::use(after_text, after_null),
        soci::use(changed_by), soci::use(now);
  }
  log_change(database, instance, "campaign", external_id, "owner", before, after, changed_by, now);
  transaction.commit();
}

}  // namespace hub
