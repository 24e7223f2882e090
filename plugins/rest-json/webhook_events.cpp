#include "plugins/rest-json/webhook_events.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "connectors/json/depth.h"
#include "connectors/json/schema_check.h"
#include "plugins/rest-json/record_builder.h"
#include "plugins/rest-json/stream_reader.h"

namespace rest_json {

using connectors::json::quoted;

namespace {

using rapidjson::Value;
using Kind = WebhookAction::Kind;

// Passes everything on, counting records and rejects: a request that made none was not for us.
class CountingEmitter : public campaign_hub::Emitter {
 public:
  explicit CountingEmitter(campaign_hub::Emitter& to) : to_(to) {}

  std::size_t emitted = 0;

  void campaign(campaign_hub::Campaign record) override {
    ++emitted;
    to_.campaign(std::move(record));
  }
  void opportunity(campaign_hub::Opportunity record) override {
    ++emitted;
    to_.opportunity(std::move(record));
  }
  void participant(campaign_hub::Participant record) override {
    ++emitted;
    to_.participant(std::move(record));
  }
  void step(campaign_hub::Step record) override {
    ++emitted;
    to_.step(std::move(record));
  }
  void metrics(campaign_hub::Metrics record) override {
    ++emitted;
    to_.metrics(std::move(record));
  }
  void checkpoint(std::string_view stream, std::string_view cursor) override {
    to_.checkpoint(stream, cursor);
  }
  void reject(std::string_view entity, std::string_view external_id, std::string_view field,
              std::string_view reason, std::string raw) override {
    ++emitted;
    to_.reject(entity, external_id, field, reason, std::move(raw));
  }
  void listed_all(std::string_view entity) override { to_.listed_all(entity); }

 private:
  campaign_hub::Emitter& to_;
};

// An event of the body and the action its type names.
struct Planned {
  const Value* event = nullptr;
  const WebhookAction* action = nullptr;
};

class EventReader {
 public:
  EventReader(const Mapping& mapping, const Webhook& webhook)
      : mapping_(mapping), webhook_(webhook) {}

  // The events the mapping has an action for, each checked for what its action needs.
  std::vector<Planned> plan(const Value& body) const {
    std::vector<Planned> planned;
    if (!webhook_.events) {
      if (!body.IsObject())
        throw std::runtime_error("the body is not a JSON object (one event)");
      plan_one(body, "the event", planned);
      return planned;
    }
    const Value* events = webhook_.events->Get(body);
    if (events == nullptr || !events->IsArray()) {
      throw std::runtime_error(
          (webhook_.events_text.empty()
               ? std::string("the body is not an array of events")
               : "the body has no array of events at " + webhook_.events_text) +
          " (" + mapping_.file + ": /webhook/events)");
    }
    for (rapidjson::SizeType i = 0; i < events->Size(); ++i) {
      plan_one((*events)[i], "the event at " + webhook_.events_text + "/" + std::to_string(i),
               planned);
    }
    return planned;
  }

 private:
  void plan_one(const Value& event, const std::string& name, std::vector<Planned>& planned) const {
    if (!event.IsObject())
      throw std::runtime_error(name + " is not a JSON object");
    const Value* type = webhook_.type.Get(event);
    if (type == nullptr || !type->IsString()) {
      throw std::runtime_error(name + " has no type (a string) at " + webhook_.type_text + " (" +
                               mapping_.file + ": /webhook/type)");
    }
    const std::string_view type_text(type->GetString(), type->GetStringLength());
    const auto action =
        std::find_if(webhook_.actions.begin(), webhook_.actions.end(),
                     [&](const WebhookAction& each) { return each.type == type_text; });
    if (action == webhook_.actions.end())
      return;  // a ping, or a type the mapping does not take
    check_needs(event, name + " (" + action->type + ")", *action);
    planned.push_back({&event, &*action});
  }

  // Throws when the event lacks what its action reads: the record, a value of the read-back
  // path, the id of a deletion.
  void check_needs(const Value& event, const std::string& name, const WebhookAction& action) const {
    const Scope scope{&event, {}, nullptr};
    switch (action.kind) {
      case Kind::record: {
        const Value* record = action.rule.records.Get(event);
        if (record == nullptr || !record->IsObject()) {
          throw std::runtime_error(name + ": no record (an object) at " +
                                   quoted(action.rule.records_text) + " (" + mapping_.file + ": " +
                                   action.where + "/record)");
        }
        return;
      }
      case Kind::fetch:
        for (const auto& part : action.rule.path.parts) {
          if (const Ref* ref = std::get_if<Ref>(&part);
              ref != nullptr && !render({{part}}, scope)) {
            throw std::runtime_error(name + ": no value at " + ref->text + " for the path " +
                                     quoted(action.path_text) + " (" + mapping_.file + ": " +
                                     action.where + "/fetch/path)");
          }
        }
        return;
      case Kind::remove: {
        const FieldRule& id = action.rule.fields.front();  // external_id: the schema needs it
        const bool found =
            id.source == FieldRule::Source::template_text
                ? render(id.text, scope).has_value()
                : id.source != FieldRule::Source::pointer || render({{id.ref}}, scope).has_value();
        if (!found) {
          const bool pointer = id.source == FieldRule::Source::pointer;
          throw std::runtime_error(name + ": no external_id" +
                                   (pointer ? " at " + id.ref.text : "") + " for the deletion (" +
                                   mapping_.file + ": " + id.where + ")");
        }
        return;
      }
    }
  }

  const Mapping& mapping_;
  const Webhook& webhook_;
};

}  // namespace

std::string webhook_summary(const Webhook& webhook) {
  return "webhook: " + std::to_string(webhook.actions.size()) + " event type(s), signed " +
         webhook.scheme + " (the instance's webhook.scheme)";
}

campaign_hub::WebhookResult receive_events(const Mapping& mapping, const Settings& settings,
                                           campaign_hub::Host& host,
                                           const campaign_hub::WebhookRequest& request,
                                           campaign_hub::Emitter& emit) {
  if (!mapping.webhook) {
    throw std::runtime_error(mapping.file +
                             ": the mapping has no webhook section, so this instance cannot take "
                             "pushed events (config/providers/README.md, Webhooks)");
  }
  if (auto offset = connectors::json::too_deep(request.body))
    throw std::runtime_error("the body " + connectors::json::too_deep_reason(*offset));
  rapidjson::Document body;
  body.Parse(request.body.data(), request.body.size());
  if (body.HasParseError()) {
    throw std::runtime_error("the body is not JSON at offset " +
                             std::to_string(body.GetErrorOffset()) + ": " +
                             rapidjson::GetParseError_En(body.GetParseError()));
  }
  // Every event is checked before the first is emitted: a body the plugin cannot read leaves
  // nothing half written.
  const std::vector<Planned> planned = EventReader(mapping, *mapping.webhook).plan(body);
  CountingEmitter counted(emit);
  StreamReader reader(mapping, settings, host, &counted);
  if (std::any_of(planned.begin(), planned.end(),
                  [](const Planned& each) { return each.action->uses_lookups; }))
    reader.read_lookups();
  for (const Planned& each : planned) {
    if (each.action->kind == Kind::fetch)
      reader.read_back(each.action->rule, *each.event);
    else
      reader.emit_from(each.action->rule, *each.event);
  }
  reader.note_counts();
  return counted.emitted > 0 ? campaign_hub::WebhookResult::taken
                             : campaign_hub::WebhookResult::ignored;
}

}  // namespace rest_json
