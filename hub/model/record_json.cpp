#include "hub/model/record_json.h"

#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hub {
namespace {

using namespace campaign_hub;

// One list of fields per record type, used both to write and to read.
template <class F>
void fields(Campaign& r, F&& f) {
  f("external_id", r.external_id);
  f("name", r.name);
  f("kind", r.kind);
  f("status", r.status);
  f("owner", r.owner);
  f("department", r.department);
  f("manager_email", r.manager_email);
  f("start", r.start);
  f("end", r.end);
  f("review_by", r.review_by);
  f("description", r.description);
  f("budget", r.budget);
  f("spend", r.spend);
  f("currency", r.currency);
  f("expected_responses", r.expected_responses);
  f("opportunity_count", r.opportunity_count);
  f("connection_count", r.connection_count);
  f("target_count", r.target_count);
  f("created_at", r.created_at);
  f("updated_at", r.updated_at);
  f("attributes", r.attributes);
  f("deleted", r.deleted);
  f("raw", r.raw);
}
template <class F>
void fields(Opportunity& r, F&& f) {
  f("external_id", r.external_id);
  f("campaign_id", r.campaign_id);
  f("title", r.title);
  f("summary", r.summary);
  f("organisation", r.organisation);
  f("country", r.country);
  f("contact_name", r.contact_name);
  f("contact_email", r.contact_email);
  f("status", r.status);
  f("initiative", r.initiative);
  f("amount", r.amount);
  f("currency", r.currency);
  f("probability", r.probability);
  f("readiness_level", r.readiness_level);
  f("attachment_count", r.attachment_count);
  f("owner", r.owner);
  f("submitted_at", r.submitted_at);
  f("updated_at", r.updated_at);
  f("attributes", r.attributes);
  f("deleted", r.deleted);
  f("raw", r.raw);
}
template <class F>
void fields(Participant& r, F&& f) {
  f("external_id", r.external_id);
  f("campaign_id", r.campaign_id);
  f("name", r.name);
  f("status", r.status);
  f("started_by", r.started_by);
  f("started_at", r.started_at);
  f("finished_at", r.finished_at);
  f("completion", r.completion);
  f("assignee", r.assignee);
  f("updated_at", r.updated_at);
  f("attributes", r.attributes);
  f("deleted", r.deleted);
  f("raw", r.raw);
}
template <class F>
void fields(Step& r, F&& f) {
  f("external_id", r.external_id);
  f("participant_id", r.participant_id);
  f("name", r.name);
  f("channel", r.channel);
  f("status", r.status);
  f("due_at", r.due_at);
  f("executed_at", r.executed_at);
  f("cancelled_at", r.cancelled_at);
  f("updated_at", r.updated_at);
  f("attributes", r.attributes);
  f("deleted", r.deleted);
  f("raw", r.raw);
}
template <class F>
void fields(Metrics& r, F&& f) {
  f("campaign_id", r.campaign_id);
  f("taken_at", r.taken_at);
  f("sent", r.sent);
  f("delivered", r.delivered);
  f("opens", r.opens);
  f("unique_opens", r.unique_opens);
  f("clicks", r.clicks);
  f("bounces", r.bounces);
  f("unsubscribes", r.unsubscribes);
  f("abuse_reports", r.abuse_reports);
  f("responses", r.responses);
  f("expected_responses", r.expected_responses);
  f("deals_won", r.deals_won);
  f("spend", r.spend);
  f("budget", r.budget);
  f("raw", r.raw);
}

// NaN and infinity are written (as JSON5-style literals) so that a record quarantined for
// holding one can still be read back and replayed.
using Writer = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                 rapidjson::CrtAllocator, rapidjson::kWriteNanAndInfFlag>;

struct WriteField {
  Writer& out;
  void key(const char* name) { out.Key(name); }
  void operator()(const char* name, const std::string& value) {
    key(name);
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  void operator()(const char* name, const Text& value) {
    if (!value)
      return;
    (*this)(name, *value);
  }
  void operator()(const char* name, const Number& value) {
    if (!value)
      return;
    key(name);
    out.Double(*value);
  }
  void operator()(const char* name, const Count& value) {
    if (!value)
      return;
    key(name);
    out.Int64(*value);
  }
  void operator()(const char* name, bool value) {
    key(name);
    out.Bool(value);
  }
};

struct ReadField {
  const rapidjson::Value& in;
  const rapidjson::Value* find(const char* name) {
    auto member = in.FindMember(name);
    return member == in.MemberEnd() || member->value.IsNull() ? nullptr : &member->value;
  }
  void fail(const char* name, const char* expected) {
    throw std::invalid_argument(std::string("field '") + name + "' is not " + expected);
  }
  void operator()(const char* name, std::string& value) {
    if (auto* v = find(name)) {
      if (!v->IsString())
        fail(name, "a string");
      value.assign(v->GetString(), v->GetStringLength());
    }
  }
  void operator()(const char* name, Text& value) {
    if (auto* v = find(name)) {
      if (!v->IsString())
        fail(name, "a string");
      value.emplace(v->GetString(), v->GetStringLength());
    }
  }
  void operator()(const char* name, Number& value) {
    if (auto* v = find(name)) {
      if (!v->IsNumber())
        fail(name, "a number");
      value = v->GetDouble();
    }
  }
  void operator()(const char* name, Count& value) {
    if (auto* v = find(name)) {
      if (!v->IsInt64())
        fail(name, "an integer");
      value = v->GetInt64();
    }
  }
  void operator()(const char* name, bool& value) {
    if (auto* v = find(name)) {
      if (!v->IsBool())
        fail(name, "true or false");
      value = v->GetBool();
    }
  }
};

template <class Record>
Record read_record(const rapidjson::Value& object) {
  Record record;
  fields(record, ReadField{object});
  return record;
}

}  // namespace

Entity entity_of(const AnyRecord& record) {
  static constexpr Entity kByIndex[] = {Entity::campaign, Entity::opportunity, Entity::participant,
                                        Entity::step, Entity::metrics};
  return kByIndex[record.index()];
}

std::string record_to_json(const AnyRecord& record) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.StartObject();
  std::visit(
      [&](const auto& r) {
        auto copy = r;  // fields() takes a mutable record so one list serves both ways
        fields(copy, WriteField{out});
      },
      record);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

AnyRecord record_from_json(Entity entity, std::string_view json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseNanAndInfFlag>(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    throw std::invalid_argument("not a JSON object");
  }
  switch (entity) {
    case Entity::campaign:
      return read_record<Campaign>(document);
    case Entity::opportunity:
      return read_record<Opportunity>(document);
    case Entity::participant:
      return read_record<Participant>(document);
    case Entity::step:
      return read_record<Step>(document);
    case Entity::metrics:
      return read_record<Metrics>(document);
  }
  throw std::invalid_argument("unknown entity");
}

}  // namespace hub
