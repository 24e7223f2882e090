#include "hub/model/canonical.h"

#include <array>
#include <charconv>

namespace hub {
namespace {

Value text_of(const campaign_hub::Number& number) {
  return number ? Value(number_text(*number)) : std::nullopt;
}
Value text_of(const campaign_hub::Count& count) {
  return count ? Value(number_text(*count)) : std::nullopt;
}
Value text_of(bool flag) {
  return flag ? "1" : "0";
}
Value raw_of(const std::string& raw) {
  return raw.empty() ? std::nullopt : Value(raw);
}

}  // namespace

std::string_view entity_name(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return "campaign";
    case Entity::opportunity:
      return "opportunity";
    case Entity::participant:
      return "participant";
    case Entity::step:
      return "step";
    case Entity::metrics:
      return "metrics";
  }
  return "unknown";
}

std::optional<Entity> entity_from_name(std::string_view name) {
  for (auto entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step,
                      Entity::metrics}) {
    if (entity_name(entity) == name)
      return entity;
  }
  return std::nullopt;
}

std::string_view table_name(Entity entity) {
  switch (entity) {
    case Entity::campaign:
      return "campaigns";
    case Entity::opportunity:
      return "opportunities";
    case Entity::participant:
      return "participants";
    case Entity::step:
      return "steps";
    case Entity::metrics:
      return "metrics_snapshots";
  }
  return "unknown";
}

std::string number_text(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string number_text(std::int64_t value) {
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

CanonicalRecord to_canonical(const campaign_hub::Campaign& r, Value status) {
  return {Entity::campaign,
          r.external_id,
          status,
          {r.name,
           r.kind,
           status,
           r.status,
           r.owner,
           r.department,
           r.manager_email,
           r.start,
           r.end,
           r.review_by,
           r.description,
           text_of(r.budget),
           text_of(r.spend),
           r.currency,
           text_of(r.expected_responses),
           text_of(r.opportunity_count),
           text_of(r.connection_count),
           text_of(r.target_count),
           r.created_at,
           r.updated_at,
           r.attributes,
           text_of(r.deleted),
           raw_of(r.raw)}};
}

CanonicalRecord to_canonical(const campaign_hub::Opportunity& r, Value status,
                             const std::string& default_initiative) {
  return {Entity::opportunity,
          r.external_id,
          status,
          {r.campaign_id,
           r.initiative ? r.initiative : Value(default_initiative),
           r.title,
           r.summary,
           r.organisation,
           r.country,
           r.contact_name,
           r.contact_email,
           status,
           r.status,
           text_of(r.amount),
           r.currency,
           text_of(r.probability),
           text_of(r.readiness_level),
           text_of(r.attachment_count),
           r.owner,
           r.submitted_at,
           r.updated_at,
           r.attributes,
           text_of(r.deleted),
           raw_of(r.raw)}};
}

CanonicalRecord to_canonical(const campaign_hub::Participant& r, Value status) {
  return {Entity::participant,
          r.external_id,
          status,
          {r.campaign_id, r.name, status, r.status, r.started_by, r.started_at, r.finished_at,
           text_of(r.completion), r.assignee, r.updated_at, r.attributes, text_of(r.deleted),
           raw_of(r.raw)}};
}

CanonicalRecord to_canonical(const campaign_hub::Step& r, Value status) {
  return {Entity::step,
          r.external_id,
          status,
          {r.participant_id, r.name, r.channel, status, r.status, r.due_at, r.executed_at,
           r.cancelled_at, r.updated_at, r.attributes, text_of(r.deleted), raw_of(r.raw)}};
}

CanonicalRecord to_canonical(const campaign_hub::Metrics& r) {
  return {Entity::metrics,
          r.campaign_id,
          std::nullopt,
          {r.taken_at, text_of(r.sent), text_of(r.delivered), text_of(r.opens),
           text_of(r.unique_opens), text_of(r.clicks), text_of(r.bounces), text_of(r.unsubscribes),
           text_of(r.abuse_reports), text_of(r.responses), text_of(r.expected_responses),
           text_of(r.deals_won), text_of(r.spend), text_of(r.budget), raw_of(r.raw)}};
}

}  // namespace hub
