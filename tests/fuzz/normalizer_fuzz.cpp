// The normalizer: the first byte names the entity ('c'ampaign, 'o'pportunity, 'p'articipant,
// 's'tep, 'm'etrics; any other byte modulo 5), the rest is the record in the hub's own JSON form
// (hub::record_from_json, what quarantine replay reads; NaN and Infinity allowed). The record
// goes through hub::Normalizer, which must pass it or say why not, and never throw. A record
// quarantine writes must read back as the same record (a number may move by its last bits).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "hub/model/record_json.h"
#include "hub/normalize/normalizer.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

hub::Entity entity_for(std::uint8_t byte) {
  switch (byte) {
    case 'c':
      return hub::Entity::campaign;
    case 'o':
      return hub::Entity::opportunity;
    case 'p':
      return hub::Entity::participant;
    case 's':
      return hub::Entity::step;
    case 'm':
      return hub::Entity::metrics;
    default:
      return static_cast<hub::Entity>(byte % hub::kEntityCount);
  }
}

// A plugin's status map (Connect's vocabulary and a few more), as the hub builds it.
const hub::Normalizer& normalizer() {
  static const hub::Normalizer instance(
      hub::StatusTable()
          .add("campaign", "Draft", "draft")
          .add("campaign", "On-going", "active")
          .add("campaign", "Closed", "completed")
          .add("campaign", "Prêt à tester", "testing",
               campaign_hub::StatusMatch::accent_insensitive)
          .add("opportunity", "Active", "active")
          .add("opportunity", "On-hold", "on_hold")
          .add("opportunity", "Closed", "closed")
          .add("opportunity", "Declined", "declined", campaign_hub::StatusMatch::case_insensitive)
          .add("participant", "Active", "active")
          .add("participant", "Finished", "completed")
          .add("step", "sent", "done")
          .add("step", "skipped", "skipped")
          .when_missing("step", "pending"),
      "fuzz", "fuzz-instance", "Imported");
  return instance;
}

// Whether two record_to_json texts hold the same fields and values. A number may differ in its
// last bits (up to 4 units in the last place): RapidJSON's default reader (record_from_json's)
// is not correctly rounded, so 49.319110789302435 comes back as 49.31911078930244 and
// 7.522337199999998e146 as 7.5223371999999979e146 (tests/fuzz/README.md, known defects).
bool same_record(std::string_view a, std::string_view b) {
  rapidjson::Document first, second;
  first.Parse<rapidjson::kParseNanAndInfFlag>(a.data(), a.size());
  second.Parse<rapidjson::kParseNanAndInfFlag>(b.data(), b.size());
  if (first.HasParseError() || second.HasParseError() || !first.IsObject() || !second.IsObject() ||
      first.MemberCount() != second.MemberCount())
    return false;
  for (const auto& member : first.GetObject()) {
    const auto other = second.FindMember(member.name);
    if (other == second.MemberEnd())
      return false;
    const rapidjson::Value& x = member.value;
    const rapidjson::Value& y = other->value;
    if (x.IsDouble() && y.IsDouble()) {
      double p = x.GetDouble();
      const double q = y.GetDouble();
      bool near = p == q || (std::isnan(p) && std::isnan(q));
      for (int step = 0; step < 4 && !near; ++step) {
        p = std::nextafter(p, q);
        near = p == q;
      }
      if (!near)
        return false;
    } else if (x != y) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const hub::Entity entity = entity_for(data[0]);
  const std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
  hub::AnyRecord record;
  try {
    record = hub::record_from_json(entity, json);
  } catch (const std::invalid_argument&) {
    return 0;  // not a record of that entity: replay reports it the same way
  }

  // Quarantine keeps record_to_json of what the plugin emitted; replay must read it back.
  const std::string kept = hub::record_to_json(record);
  try {
    const std::string again = hub::record_to_json(hub::record_from_json(entity, kept));
    if (!same_record(kept, again))
      fuzz::broken_promise("normalizer",
                           "a quarantined record reads back changed: " + kept + " became " + again);
  } catch (const std::invalid_argument& error) {
    fuzz::broken_promise("normalizer", std::string("a quarantined record cannot be read back (") +
                                           error.what() + "): " + kept);
  }

  const hub::Normalized result = normalizer().normalize(std::move(record));
  if (result.record) {
    if (result.record->entity != entity)
      fuzz::broken_promise("normalizer", "the canonical record is of another entity");
    if (result.record->values.size() != hub::columns(entity).size())
      fuzz::broken_promise("normalizer", "the canonical record does not have one value a column");
  } else if (result.rejection.field.empty() || result.rejection.reason.empty()) {
    fuzz::broken_promise("normalizer", "a record was refused without a field and a reason");
  }
  return 0;
}
