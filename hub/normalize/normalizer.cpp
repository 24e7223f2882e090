#include "hub/normalize/normalizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <utility>

#include <rapidjson/reader.h>

#include "campaign_hub/ascii.h"
#include "connectors/json/depth.h"
#include "connectors/text/trim.h"
#include "hub/model/time.h"
#include "hub/model/utf8.h"

namespace hub {
namespace {

using campaign_hub::Count;
using campaign_hub::Number;
using campaign_hub::Text;

constexpr std::size_t kMaxIdLength = 255;
constexpr std::array<std::string_view, 5> kCampaignKinds = {"scouting", "email", "partner", "task",
                                                            "multichannel"};

// Thrown inside the normalizer only, caught in normalize().
struct Reject {
  Rejection rejection;
};

[[noreturn]] void reject(std::string field, std::string reason) {
  throw Reject{{std::move(field), std::move(reason)}};
}

void trim(Text& text) {
  if (!text)
    return;
  auto view = connectors::text::trimmed(*text);
  if (view.empty()) {
    text.reset();
  } else if (view.size() != text->size()) {
    *text = std::string(view);
  }
}

void require_id(std::string& id, const char* field) {
  id = std::string(connectors::text::trimmed(id));
  if (id.empty())
    reject(field, std::string(field) + " is missing");
  if (id.size() > kMaxIdLength) {
    reject(field, std::string(field) + " is longer than 255 characters");
  }
}

void to_time(Text& value, const char* field) {
  trim(value);
  if (!value)
    return;
  auto result = normalize_time(*value);
  if (auto* error = std::get_if<TimeError>(&result))
    reject(field, field + (": " + error->message));
  *value = std::move(std::get<std::string>(result));
}

void to_email(Text& value, const char* field) {
  trim(value);
  if (!value)
    return;
  std::string& email = *value;
  email = campaign_hub::ascii_lower(email);
  auto at = email.find('@');
  bool valid = at != std::string::npos && at > 0 && at + 1 < email.size() &&
               email.find('@', at + 1) == std::string::npos &&
               email.find_first_of(" \t<>,;") == std::string::npos;
  if (!valid)
    reject(field, std::string(field) + ": '" + email + "' is not an e-mail address");
}

void in_range(const Number& value, const char* field, double low, double high) {
  if (!value)
    return;
  if (!std::isfinite(*value))
    reject(field, std::string(field) + " is not a finite number");
  if (*value < low || *value > high) {
    reject(field, std::string(field) + ": " + number_text(*value) + " is outside " +
                      number_text(low) + " to " + number_text(high));
  }
}

void finite(const Number& value, const char* field) {
  in_range(value, field, -1e15, 1e15);
}

void not_negative(const Count& value, const char* field) {
  if (value && *value < 0) {
    reject(field, std::string(field) + ": " + number_text(*value) + " is negative");
  }
}

void lower_case(Text& value) {
  if (!value)
    return;
  *value = campaign_hub::ascii_lower(*value);
}

void upper_case(Text& value) {
  std::transform(value->begin(), value->end(), value->begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
}

// A code of `letters` ASCII letters, upper-cased: "eur" -> "EUR", "fr" -> "FR".
void to_code(Text& value, const char* field, std::size_t letters, const char* standard) {
  trim(value);
  if (!value)
    return;
  upper_case(value);
  if (value->size() != letters || !std::all_of(value->begin(), value->end(), [](unsigned char c) {
        return c >= 'A' && c <= 'Z';
      })) {
    reject(field, std::string(field) + ": '" + *value + "' is not an " + standard + " code");
  }
}

void in_count_range(const Count& value, const char* field, std::int64_t low, std::int64_t high) {
  if (value && (*value < low || *value > high)) {
    reject(field, std::string(field) + ": " + number_text(*value) + " is outside " +
                      number_text(low) + " to " + number_text(high));
  }
}

// What a read of an attributes text found, event by event (no document, no recursion).
struct AttributesShape : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, AttributesShape> {
  bool object = false;  // the text is one object
  bool empty = false;   // with no members
  bool nul = false;     // a string or key holds U+0000
  int events = 0;

  bool StartObject() {
    object = object || events == 0;
    ++events;
    return true;
  }
  bool EndObject(rapidjson::SizeType members) {
    empty = events == 1 && members == 0;
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    nul = nul || std::memchr(text, 0, length) != nullptr;
    return Default();
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return String(text, length, copy);
  }
  bool Default() {
    ++events;
    return true;
  }
};

// A JSON object, or nothing (for `{}` too). Refused past the depth every JSON text from
// outside is held to, and with a U+0000 in it, which PostgreSQL's JSONB cannot keep.
void to_attributes(Text& value) {
  trim(value);
  if (!value)
    return;
  if (auto deep = connectors::json::too_deep(*value))
    reject("attributes", "attributes " + connectors::json::too_deep_reason(*deep));
  rapidjson::Reader reader;
  rapidjson::StringStream in(value->c_str());
  AttributesShape shape;
  if (reader.Parse<rapidjson::kParseIterativeFlag>(in, shape).IsError() || !shape.object)
    reject("attributes", "attributes: not a JSON object");
  if (shape.nul)
    reject("attributes", "attributes: a text in it holds U+0000, which cannot be stored");
  if (shape.empty)
    value.reset();
}

}  // namespace

Normalizer::Normalizer(StatusTable statuses, std::string provider, std::string instance,
                       std::string default_initiative)
    : statuses_(std::move(statuses)),
      provider_(std::move(provider)),
      instance_(std::move(instance)),
      default_initiative_(std::move(default_initiative)) {}

Normalized Normalizer::normalize(AnyRecord any) const {
  // The provider's status text, trimmed, to the canonical status; never guessed. The text
  // itself stays in raw_status.
  auto canonical = [&](Text& status, std::string_view entity, bool deleted) -> Value {
    trim(status);
    if (!status && deleted)
      return std::nullopt;  // a tombstone keeps the status it had
    if (auto mapped = statuses_.find(entity, status))
      return mapped;
    if (!status) {
      reject("status", std::string(entity) + " has no status; instance '" + instance_ +
                           "' has no when_missing for it: set status_when_missing." +
                           std::string(entity));
    }
    reject("status", "unknown " + std::string(entity) + " status '" + *status + "' from " +
                         provider_ + ": map it in status_overrides." + std::string(entity) +
                         " of instance '" + instance_ + "'");
  };

  try {
    auto result = std::visit(
        [&](auto& r) -> CanonicalRecord {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, campaign_hub::Campaign>) {
            require_id(r.external_id, "external_id");
            for (Text* text : {&r.name, &r.owner, &r.department, &r.description})
              trim(*text);
            trim(r.kind);
            lower_case(r.kind);
            if (r.kind && std::find(kCampaignKinds.begin(), kCampaignKinds.end(), *r.kind) ==
                              kCampaignKinds.end()) {
              reject("kind", "kind: '" + *r.kind +
                                 "' is not one of scouting, email, partner, task, multichannel");
            }
            to_email(r.manager_email, "manager_email");
            to_code(r.currency, "currency", 3, "ISO 4217");
            to_attributes(r.attributes);
            to_time(r.start, "start");
            to_time(r.end, "end");
            to_time(r.review_by, "review_by");
            to_time(r.created_at, "created_at");
            to_time(r.updated_at, "updated_at");
            finite(r.budget, "budget");
            finite(r.spend, "spend");
            not_negative(r.expected_responses, "expected_responses");
            not_negative(r.opportunity_count, "opportunity_count");
            not_negative(r.connection_count, "connection_count");
            not_negative(r.target_count, "target_count");
            if (r.deleted && !r.name) {
              // A tombstone carries only its id: keep the status it had.
              return to_canonical(r, std::nullopt);
            }
            return to_canonical(r, canonical(r.status, "campaign", r.deleted));
          } else if constexpr (std::is_same_v<T, campaign_hub::Opportunity>) {
            require_id(r.external_id, "external_id");
            for (Text* text : {&r.campaign_id, &r.title, &r.summary, &r.organisation,
                               &r.contact_name, &r.initiative, &r.owner}) {
              trim(*text);
            }
            to_email(r.contact_email, "contact_email");
            to_code(r.currency, "currency", 3, "ISO 4217");
            to_code(r.country, "country", 2, "ISO 3166-1 alpha-2");
            to_attributes(r.attributes);
            finite(r.amount, "amount");
            in_range(r.probability, "probability", 0, 100);
            in_count_range(r.readiness_level, "readiness_level", 1, 9);
            not_negative(r.attachment_count, "attachment_count");
            to_time(r.submitted_at, "submitted_at");
            to_time(r.updated_at, "updated_at");
            return to_canonical(r, canonical(r.status, "opportunity", r.deleted),
                                default_initiative_);
          } else if constexpr (std::is_same_v<T, campaign_hub::Participant>) {
            require_id(r.external_id, "external_id");
            require_id(r.campaign_id, "campaign_id");
            for (Text* text : {&r.name, &r.assignee})
              trim(*text);
            trim(r.started_by);
            lower_case(r.started_by);
            if (r.started_by && *r.started_by != "automatic" && *r.started_by != "manual") {
              reject("started_by",
                     "started_by: '" + *r.started_by + "' is not 'automatic' or 'manual'");
            }
            to_time(r.started_at, "started_at");
            to_time(r.finished_at, "finished_at");
            to_time(r.updated_at, "updated_at");
            in_range(r.completion, "completion", 0, 100);
            to_attributes(r.attributes);
            return to_canonical(r, canonical(r.status, "participant", r.deleted));
          } else if constexpr (std::is_same_v<T, campaign_hub::Step>) {
            require_id(r.external_id, "external_id");
            require_id(r.participant_id, "participant_id");
            for (Text* text : {&r.name, &r.channel})
              trim(*text);
            to_time(r.due_at, "due_at");
            to_time(r.executed_at, "executed_at");
            to_time(r.cancelled_at, "cancelled_at");
            to_time(r.updated_at, "updated_at");
            to_attributes(r.attributes);
            return to_canonical(r, canonical(r.status, "step", r.deleted));
          } else {
            require_id(r.campaign_id, "campaign_id");
            to_time(r.taken_at, "taken_at");
            const std::pair<const Count*, const char*> counts[] = {
                {&r.sent, "sent"},
                {&r.delivered, "delivered"},
                {&r.opens, "opens"},
                {&r.unique_opens, "unique_opens"},
                {&r.clicks, "clicks"},
                {&r.bounces, "bounces"},
                {&r.unsubscribes, "unsubscribes"},
                {&r.abuse_reports, "abuse_reports"},
                {&r.responses, "responses"},
                {&r.expected_responses, "expected_responses"},
                {&r.deals_won, "deals_won"}};
            for (auto [count, field] : counts)
              not_negative(*count, field);
            finite(r.spend, "spend");
            finite(r.budget, "budget");
            return to_canonical(r);
          }
        },
        any);
    // PostgreSQL refuses NUL and invalid UTF-8 where SQLite keeps them: refused here, for
    // every backend alike, naming the field.
    if (auto why = unstorable_text(result.external_id))
      reject("external_id", "external_id " + *why);
    const auto names = columns(result.entity);
    for (std::size_t i = 0; i < result.values.size() && i < names.size(); ++i) {
      if (!result.values[i])
        continue;
      if (auto why = unstorable_text(*result.values[i]))
        reject(std::string(names[i].name), std::string(names[i].name) + " " + *why);
    }
    return {std::move(result), {}};
  } catch (const Reject& rejected) {
    return {std::nullopt, rejected.rejection};
  }
}

}  // namespace hub
