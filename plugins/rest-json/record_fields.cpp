#include "plugins/rest-json/record_fields.h"

#include <array>
#include <cstdint>

namespace rest_json {
namespace {

using namespace campaign_hub;

template <class R>
using Member = std::variant<std::string R::*, Text R::*, Number R::*, Count R::*, bool R::*>;

template <class R>
struct Slot {
  FieldSlot slot;
  Member<R> member;
};

constexpr FieldType id = FieldType::id, text = FieldType::text, time = FieldType::time,
                    number = FieldType::number, count = FieldType::count,
                    boolean = FieldType::boolean;

const Slot<Campaign> kCampaign[] = {
    {{"external_id", id}, &Campaign::external_id},
    {{"name", text}, &Campaign::name},
    {{"kind", text}, &Campaign::kind},
    {{"status", text}, &Campaign::status},
    {{"owner", text}, &Campaign::owner},
    {{"department", text}, &Campaign::department},
    {{"manager_email", text}, &Campaign::manager_email},
    {{"start", time}, &Campaign::start},
    {{"end", time}, &Campaign::end},
    {{"review_by", time}, &Campaign::review_by},
    {{"description", text}, &Campaign::description},
    {{"budget", number}, &Campaign::budget},
    {{"spend", number}, &Campaign::spend},
    {{"currency", text}, &Campaign::currency},
    {{"expected_responses", count}, &Campaign::expected_responses},
    {{"opportunity_count", count}, &Campaign::opportunity_count},
    {{"connection_count", count}, &Campaign::connection_count},
    {{"target_count", count}, &Campaign::target_count},
    {{"created_at", time}, &Campaign::created_at},
    {{"updated_at", time}, &Campaign::updated_at},
    {{"deleted", boolean}, &Campaign::deleted},
};

const Slot<Opportunity> kOpportunity[] = {
    {{"external_id", id}, &Opportunity::external_id},
    {{"campaign_id", text}, &Opportunity::campaign_id},
    {{"title", text}, &Opportunity::title},
    {{"summary", text}, &Opportunity::summary},
    {{"organisation", text}, &Opportunity::organisation},
    {{"country", text}, &Opportunity::country},
    {{"contact_name", text}, &Opportunity::contact_name},
    {{"contact_email", text}, &Opportunity::contact_email},
    {{"status", text}, &Opportunity::status},
    {{"initiative", text}, &Opportunity::initiative},
    {{"amount", number}, &Opportunity::amount},
    {{"currency", text}, &Opportunity::currency},
    {{"probability", number}, &Opportunity::probability},
    {{"readiness_level", count}, &Opportunity::readiness_level},
    {{"attachment_count", count}, &Opportunity::attachment_count},
    {{"owner", text}, &Opportunity::owner},
    {{"submitted_at", time}, &Opportunity::submitted_at},
    {{"updated_at", time}, &Opportunity::updated_at},
    {{"deleted", boolean}, &Opportunity::deleted},
};

const Slot<Participant> kParticipant[] = {
    {{"external_id", id}, &Participant::external_id},
    {{"campaign_id", id}, &Participant::campaign_id},
    {{"name", text}, &Participant::name},
    {{"status", text}, &Participant::status},
    {{"started_by", text}, &Participant::started_by},
    {{"started_at", time}, &Participant::started_at},
    {{"finished_at", time}, &Participant::finished_at},
    {{"completion", number}, &Participant::completion},
    {{"assignee", text}, &Participant::assignee},
    {{"updated_at", time}, &Participant::updated_at},
    {{"deleted", boolean}, &Participant::deleted},
};

const Slot<Step> kStep[] = {
    {{"external_id", id}, &Step::external_id},
    {{"participant_id", id}, &Step::participant_id},
    {{"name", text}, &Step::name},
    {{"channel", text}, &Step::channel},
    {{"status", text}, &Step::status},
    {{"due_at", time}, &Step::due_at},
    {{"executed_at", time}, &Step::executed_at},
    {{"cancelled_at", time}, &Step::cancelled_at},
    {{"updated_at", time}, &Step::updated_at},
    {{"deleted", boolean}, &Step::deleted},
};

const Slot<Metrics> kMetrics[] = {
    {{"campaign_id", id}, &Metrics::campaign_id},
    {{"taken_at", time}, &Metrics::taken_at},
    {{"sent", count}, &Metrics::sent},
    {{"delivered", count}, &Metrics::delivered},
    {{"opens", count}, &Metrics::opens},
    {{"unique_opens", count}, &Metrics::unique_opens},
    {{"clicks", count}, &Metrics::clicks},
    {{"bounces", count}, &Metrics::bounces},
    {{"unsubscribes", count}, &Metrics::unsubscribes},
    {{"abuse_reports", count}, &Metrics::abuse_reports},
    {{"responses", count}, &Metrics::responses},
    {{"expected_responses", count}, &Metrics::expected_responses},
    {{"deals_won", count}, &Metrics::deals_won},
    {{"spend", number}, &Metrics::spend},
    {{"budget", number}, &Metrics::budget},
};

template <class R, std::size_t N>
std::array<FieldSlot, N> slots_of(const Slot<R> (&table)[N]) {
  std::array<FieldSlot, N> out;
  for (std::size_t i = 0; i < N; ++i)
    out[i] = table[i].slot;
  return out;
}

template <class R>
const auto& table_of() {
  if constexpr (std::is_same_v<R, Campaign>)
    return kCampaign;
  else if constexpr (std::is_same_v<R, Opportunity>)
    return kOpportunity;
  else if constexpr (std::is_same_v<R, Participant>)
    return kParticipant;
  else if constexpr (std::is_same_v<R, Step>)
    return kStep;
  else
    return kMetrics;
}

constexpr std::string_view kCampaignStatuses[] = {"draft",  "scheduled", "testing",   "active",
                                                  "paused", "completed", "cancelled", "failed"};
constexpr std::string_view kOpportunityStatuses[] = {"active", "on_hold", "won", "closed",
                                                     "declined"};
constexpr std::string_view kParticipantStatuses[] = {"pending", "active", "paused", "completed",
                                                     "removed"};
constexpr std::string_view kStepStatuses[] = {"pending", "done", "skipped", "cancelled", "failed"};

}  // namespace

std::span<const FieldSlot> entity_fields(Entity entity) {
  static const auto campaign = slots_of(kCampaign);
  static const auto opportunity = slots_of(kOpportunity);
  static const auto participant = slots_of(kParticipant);
  static const auto step = slots_of(kStep);
  static const auto metrics = slots_of(kMetrics);
  switch (entity) {
    case Entity::campaign:
      return campaign;
    case Entity::opportunity:
      return opportunity;
    case Entity::participant:
      return participant;
    case Entity::step:
      return step;
    case Entity::metrics:
      return metrics;
  }
  return {};
}

std::span<const std::string_view> canonical_statuses(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return kCampaignStatuses;
    case Entity::opportunity:
      return kOpportunityStatuses;
    case Entity::participant:
      return kParticipantStatuses;
    case Entity::step:
      return kStepStatuses;
    case Entity::metrics:
      break;
  }
  return {};
}

AnyRecord make_record(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return Campaign{};
    case Entity::opportunity:
      return Opportunity{};
    case Entity::participant:
      return Participant{};
    case Entity::step:
      return Step{};
    case Entity::metrics:
      break;
  }
  return Metrics{};
}

void set_field(AnyRecord& record, std::size_t slot, FieldValue value) {
  std::visit(
      [&](auto& r) {
        using R = std::decay_t<decltype(r)>;
        std::visit(
            [&](auto member) {
              using M = std::decay_t<decltype(r.*member)>;
              if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, Text>) {
                if (auto* s = std::get_if<std::string>(&value))
                  r.*member = std::move(*s);
              } else if constexpr (std::is_same_v<M, Number>) {
                if (auto* d = std::get_if<double>(&value))
                  r.*member = *d;
              } else if constexpr (std::is_same_v<M, Count>) {
                if (auto* n = std::get_if<std::int64_t>(&value))
                  r.*member = *n;
              } else {
                if (auto* b = std::get_if<bool>(&value))
                  r.*member = *b;
              }
            },
            table_of<R>()[slot].member);
      },
      record);
}

const std::string* text_field(const AnyRecord& record, std::size_t slot) {
  return std::visit(
      [&](const auto& r) -> const std::string* {
        using R = std::decay_t<decltype(r)>;
        return std::visit(
            [&](auto member) -> const std::string* {
              using M = std::decay_t<decltype(r.*member)>;
              if constexpr (std::is_same_v<M, std::string>) {
                return &(r.*member);
              } else if constexpr (std::is_same_v<M, Text>) {
                return (r.*member) ? &*(r.*member) : nullptr;
              } else {
                return nullptr;
              }
            },
            table_of<R>()[slot].member);
      },
      record);
}

std::string& raw_of(AnyRecord& record) {
  return std::visit([](auto& r) -> std::string& { return r.raw; }, record);
}

Text* attributes_of(AnyRecord& record) {
  return std::visit(
      [](auto& r) -> Text* {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Metrics>)
          return nullptr;
        else
          return &r.attributes;
      },
      record);
}

}  // namespace rest_json
