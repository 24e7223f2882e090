// A mapping with a mistake: each kind of mistake gets one line naming the file, the JSON
// pointer and what is expected, in the streams and in the webhook section. The presets load.
#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/webhook_events.h"

#include <string>

#include <gtest/gtest.h>

namespace rest_json {
namespace {

const std::string kSource = CAMPAIGN_HUB_SOURCE_DIR;

// A valid one-stream mapping with `stream_extra` added to the stream and `fields` as fields.
std::string mapping(const std::string& stream_extra,
                    const std::string& fields = R"({"external_id": "/id", "status": "/state"})",
                    const std::string& top_extra = "") {
  return R"({"provider": "Test", )" + top_extra + R"("streams": [{"name": "campaigns",
    "entity": "campaign", "request": {"path": "/v1/campaigns"}, "records": "/items",
    "fields": )" +
         fields + (stream_extra.empty() ? "" : ", " + stream_extra) + "}]}";
}

std::string error_of(const std::string& json) {
  try {
    parse_mapping(json, "test.json");
  } catch (const MappingError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(MappingErrorTest, WrongTypeNamesThePointerAndTheType) {
  EXPECT_EQ(error_of(mapping(R"("paging": {"kind": "offset", "limit_param": 5, "total": "/t"})")),
            "test.json: /streams/0/paging/limit_param: must be a string, not an integer (type)");
}

TEST(MappingErrorTest, NotJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\"provider\": \"x\",\n  \"streams\": [}"),
            "test.json: line 2, column 15: not valid JSON: Invalid value. (json)");
}

TEST(MappingErrorTest, NestedTooDeepIsRefusedBeforeParsing) {
  EXPECT_EQ(error_of("{\"provider\": " + std::string(100000, '[') + std::string(100000, ']') + "}"),
            "test.json: the mapping is nested deeper than 256 levels (at byte 268)");
}

TEST(MappingErrorTest, UnknownPropertyListsTheKnownOnes) {
  EXPECT_EQ(error_of(mapping(R"("pagination": {})")),
            "test.json: /streams/0/pagination: unknown property \"pagination\"; known properties: "
            "description, name, entity, request, records, records_are, paging, incremental, "
            "lists_all, fields, attributes, statuses, nested, children (additionalProperties)");
}

TEST(MappingErrorTest, MissingRequiredProperty) {
  EXPECT_EQ(error_of(R"({"provider": "x"})"),
            "test.json: (root): missing required property \"streams\" (required)");
}

TEST(MappingErrorTest, UnknownEntity) {
  std::string json = mapping("");
  json.replace(json.find("\"campaign\""), 10, "\"campaigns\"");
  EXPECT_EQ(error_of(json),
            "test.json: /streams/0/entity: must be one of \"campaign\", \"opportunity\", "
            "\"participant\", \"step\", \"metrics\", not \"campaigns\" (enum)");
}

TEST(MappingErrorTest, UnknownCanonicalField) {
  EXPECT_EQ(error_of(mapping("", R"({"external_id": "/id", "titel": "/t"})")),
            "test.json: /streams/0/fields/titel: unknown campaign field \"titel\"; known fields: "
            "external_id, name, kind, status, owner, department, manager_email, start, end, "
            "review_by, description, budget, spend, currency, expected_responses, "
            "opportunity_count, connection_count, target_count, created_at, updated_at, deleted "
            "(a field of the provider's own goes in attributes) (field)");
}

TEST(MappingErrorTest, MissingIdField) {
  std::string json = mapping("", R"({"name": "/n"})");
  json.replace(json.find("\"campaign\""), 10, "\"participant\"");
  EXPECT_EQ(error_of(json),
            "test.json: /streams/0/fields: missing field \"external_id\", which every participant "
            "needs (required)");
}

TEST(MappingErrorTest, PointerWithoutSlash) {
  EXPECT_EQ(error_of(mapping("", R"({"external_id": "id"})")),
            "test.json: /streams/0/fields/external_id: \"id\" is not a JSON pointer: it must "
            "start with '/' (\"/id\"), '^' for the parent record (\"^/id\"), or be \"#key\" "
            "(pointer)");
}

TEST(MappingErrorTest, ParentPointerInATopLevelStream) {
  EXPECT_EQ(error_of(mapping("", R"({"external_id": "^/id"})")),
            "test.json: /streams/0/fields/external_id: \"^/id\" goes 1 record(s) up, but only 0 "
            "parent record(s) are around it here (pointer)");
}

TEST(MappingErrorTest, UnclosedTemplate) {
  EXPECT_EQ(error_of(mapping("", R"({"external_id": "{/a}-{/b"})")),
            "test.json: /streams/0/fields/external_id: \"{/a}-{/b\": '{' at character 6 is not "
            "closed (template)");
}

TEST(MappingErrorTest, BadTimeFormat) {
  EXPECT_EQ(error_of(mapping(
                "", R"({"external_id": "/id", "start": {"pointer": "/s", "format": "DD.MM.YY"}})")),
            "test.json: /streams/0/fields/start/format: \"DD.MM.YY\" has 'Y', which is not part "
            "of YYYY, MM, DD, HH or SS; formats are rfc3339, epoch_seconds, epoch_milliseconds "
            "or a pattern such as DD/MM/YYYY HH:MM (format)");
}

TEST(MappingErrorTest, LocalTimeWithoutZone) {
  EXPECT_EQ(
      error_of(mapping(
          "",
          R"({"external_id": "/id", "start": {"pointer": "/s", "format": "DD/MM/YYYY HH:MM"}})")),
      "test.json: /streams/0/fields/start/format: \"DD/MM/YYYY HH:MM\" is a local time: "
      "give its time_zone here or at /time_zone (time_zone)");
}

TEST(MappingErrorTest, UnknownZone) {
  std::string error =
      error_of(mapping("", R"({"external_id": "/id"})", R"("time_zone": "Europe/Pariss", )"));
  EXPECT_EQ(error.substr(0, error.find(';')),
            "test.json: /time_zone: unknown time zone \"Europe/Pariss\"");
  EXPECT_TRUE(error.ends_with("(time_zone)"));
}

TEST(MappingErrorTest, FormatOnANumber) {
  EXPECT_EQ(error_of(mapping(
                "", R"({"external_id": "/id", "budget": {"pointer": "/b", "format": "rfc3339"}})")),
            "test.json: /streams/0/fields/budget/format: a format applies to time fields only, "
            "and \"budget\" is not one (format)");
}

TEST(MappingErrorTest, StatusNotCanonical) {
  EXPECT_EQ(error_of(mapping(R"("statuses": {"map": {"Live": "running"}})")),
            "test.json: /streams/0/statuses/map/Live: \"running\" is not a campaign status; use "
            "one of draft, scheduled, testing, active, paused, completed, cancelled, failed "
            "(status)");
}

TEST(MappingErrorTest, StatusKeysThatReadTheSame) {
  EXPECT_EQ(
      error_of(mapping(
          R"("statuses": {"match": "accent-insensitive", "map": {"Terminée": "completed", "Terminee": "failed"}})")),
      "test.json: /streams/0/statuses/map/Terminee: \"Terminee\" and \"Terminée\" read the "
      "same under accent-insensitive matching but map to different statuses (status)");
}

TEST(MappingErrorTest, PagingKindNeedsItsFields) {
  EXPECT_EQ(error_of(mapping(R"("paging": {"kind": "cursor", "param": "page_token"})")),
            "test.json: /streams/0/paging: missing required property \"next\" for paging kind "
            "\"cursor\" (required)");
  EXPECT_EQ(error_of(mapping(R"("paging": {"kind": "page", "pages": "/pages", "total": "/t"})")),
            "test.json: /streams/0/paging/total: \"total\" does not apply to paging kind \"page\" "
            "(paging)");
}

TEST(MappingErrorTest, IncrementalFieldMustBeAMappedTime) {
  EXPECT_EQ(error_of(mapping(
                R"("incremental": {"field": "updated_at", "query": {"since": "{cursor}"}})")),
            "test.json: /streams/0/incremental/field: \"updated_at\" is not in this stream's "
            "fields; the cursor is the largest value of a mapped time field (incremental)");
  EXPECT_EQ(
      error_of(mapping(R"("incremental": {"field": "status", "query": {"since": "{cursor}"}})")),
      "test.json: /streams/0/incremental/field: \"status\" is not a time field (incremental)");
}

TEST(MappingErrorTest, IncrementalQueryMustSendTheCursor) {
  EXPECT_EQ(
      error_of(mapping(R"("incremental": {"field": "updated_at", "query": {"since": "yesterday"}})",
                       R"({"external_id": "/id", "updated_at": "/u"})")),
      "test.json: /streams/0/incremental: neither a query parameter nor the body sends "
      "{cursor} (incremental)");
}

TEST(MappingErrorTest, ChildStreamPathTakesParentFields) {
  std::string child = R"("children": [{"name": "tasks", "entity": "participant",
    "request": {"path": "/v1/campaigns/{/uuid}/tasks"}, "records": "/items",
    "fields": {"external_id": "/id", "campaign_id": "^/uuid"}}])";
  EXPECT_EQ(error_of(mapping(child)), "(no error)");
  std::string top_level_ref = mapping("");
  top_level_ref.replace(top_level_ref.find("/v1/campaigns"), 13, "/v1/{/x}");
  EXPECT_EQ(error_of(top_level_ref),
            "test.json: /streams/0/request/path: \"/v1/{/x}\": {/x} takes a parent record's field, "
            "and a top-level stream has no parent record (template)");
}

TEST(MappingErrorTest, DuplicateStreamName) {
  std::string child = R"("children": [{"name": "campaigns", "entity": "participant",
    "request": {"path": "/t/{/id}"}, "records": "/items",
    "fields": {"external_id": "/id", "campaign_id": "^/id"}}])";
  EXPECT_EQ(
      error_of(mapping(child)),
      "test.json: /streams/0/children/0/name: stream name \"campaigns\" is used twice (name)");
}

TEST(MappingErrorTest, UnreadableFile) {
  try {
    load_mapping("/nonexistent/mapping.json");
    FAIL();
  } catch (const MappingError& error) {
    EXPECT_EQ(std::string(error.what()),
              "/nonexistent/mapping.json: cannot read the mapping file (No such file or "
              "directory); a relative path is taken from the hub's working directory");
  }
}

TEST(PresetTest, EveryPresetFileLoadsAndMatchesItsBuiltInCopy) {
  for (auto name : preset_names()) {
    SCOPED_TRACE(std::string(name));
    auto file = load_mapping(kSource + "/config/providers/" + std::string(name) + ".json");
    auto built_in = parse_mapping(*preset(name), std::string(name));
    EXPECT_EQ(file.provider, built_in.provider);
    EXPECT_EQ(file.streams.size(), built_in.streams.size());
  }
  EXPECT_EQ(preset_names().size(), 4u);
}

TEST(PresetTest, SchemaIsTheOneInConfig) {
  EXPECT_NE(mapping_schema().find("\"title\": \"rest-json mapping file\""), std::string::npos);
}

// The webhook section: each mistake in one line, the file, the pointer and the rule.

// A mapping with a campaigns stream (a child stream under it) and a metrics stream, and `on`
// as the webhook's actions.
std::string with_webhook(const std::string& on, const std::string& webhook_extra = "") {
  return R"({"provider": "Test", "streams": [
    {"name": "campaigns", "entity": "campaign", "request": {"path": "/v1/campaigns"},
     "records": "/items", "fields": {"external_id": "/id", "updated_at": "/updated"},
     "children": [{"name": "tasks", "entity": "participant",
       "request": {"path": "/v1/campaigns/{/id}/tasks"}, "records": "/items",
       "fields": {"external_id": "/id", "campaign_id": "^/id", "updated_at": "/updated"}}]},
    {"name": "kpis", "entity": "metrics", "request": {"path": "/v1/kpis"}, "records": "/items",
     "fields": {"campaign_id": "/id"}},
    {"name": "undated", "entity": "campaign", "request": {"path": "/v1/old"}, "records": "/items",
     "fields": {"external_id": "/id"}}],
   "webhook": {"scheme": "standard-webhooks", "type": "/type", )" +
         webhook_extra + R"("on": )" + on + "}}";
}

TEST(WebhookMappingTest, AWellFormedSectionLoads) {
  const Mapping mapping =
      parse_mapping(with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/data"},
                       "k.updated": {"stream": "kpis", "fetch": {"path": "/v1/kpis/{/id}",
                                     "records": "/kpi"}},
                       "c.deleted": {"stream": "campaigns", "delete": {"external_id": "/id"}}})"),
                    "test.json");
  ASSERT_TRUE(mapping.webhook);
  EXPECT_EQ(webhook_summary(*mapping.webhook),
            "webhook: 3 event type(s), signed standard-webhooks (the instance's webhook.scheme)");
  EXPECT_FALSE(mapping.webhook->events);
  ASSERT_EQ(mapping.webhook->actions.size(), 3u);
  EXPECT_EQ(mapping.webhook->actions[1].kind, WebhookAction::Kind::fetch);
  EXPECT_EQ(mapping.webhook->actions[1].rule.entity, Entity::metrics);
  EXPECT_EQ(mapping.webhook->actions[1].rule.records_text, "/kpi");
  EXPECT_EQ(mapping.webhook->actions[2].kind, WebhookAction::Kind::remove);
}

TEST(WebhookMappingTest, AnActionNamesAStreamThatIsNotThere) {
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaign", "record": "/data"}})")),
            "test.json: /webhook/on/c.updated/stream: no stream named \"campaign\"; the top-level "
            "streams are campaigns, kpis, undated (webhook)");
}

TEST(WebhookMappingTest, AnActionNamesAChildStream) {
  EXPECT_EQ(error_of(with_webhook(R"({"t.updated": {"stream": "tasks", "record": "/data"}})")),
            "test.json: /webhook/on/t.updated/stream: \"tasks\" is a child stream, whose fields "
            "may read its parent record; a pushed record has none: name a top-level stream "
            "(campaigns, kpis, undated) (webhook)");
}

TEST(WebhookMappingTest, AnActionDoesExactlyOneThing) {
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns"}})")),
            "test.json: /webhook/on/c.updated: give exactly one of \"record\", \"fetch\" and "
            "\"delete\" (webhook)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/data",
                                      "delete": {"external_id": "/id"}}})")),
            "test.json: /webhook/on/c.updated: give exactly one of \"record\", \"fetch\" and "
            "\"delete\" (webhook)");
}

TEST(WebhookMappingTest, MetricsAreNeverDeleted) {
  EXPECT_EQ(error_of(with_webhook(R"({"k.deleted": {"stream": "kpis",
                                      "delete": {"external_id": "/id"}}})")),
            "test.json: /webhook/on/k.deleted/delete: metrics snapshots are never deleted "
            "(webhook)");
}

TEST(WebhookMappingTest, APushedRecordNeedsTheProvidersUpdatedTime) {
  EXPECT_EQ(error_of(with_webhook(R"({"u.updated": {"stream": "undated", "record": "/data"}})")),
            "test.json: /webhook/on/u.updated/stream: stream \"undated\" maps no updated_at: the "
            "hub orders pushed and pulled states by the provider's updated time, so a late event "
            "would overwrite a newer state (webhook)");
}

TEST(WebhookMappingTest, AFetchPathTakesTheEventsValuesAsPointers) {
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns",
                                      "fetch": {"path": "/v1/campaigns/{id}"}}})")),
            "test.json: /webhook/on/c.updated/fetch/path: \"id\" is not a JSON pointer: it must "
            "start with '/' (\"/id\"), '^' for the parent record (\"^/id\"), or be \"#key\" "
            "(template)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns",
                                      "fetch": {"path": "/v1/campaigns/{^/id}"}}})")),
            "test.json: /webhook/on/c.updated/fetch/path: \"^/id\" goes 1 record(s) up, but only "
            "0 parent record(s) are around it here (template)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns",
                                      "fetch": {"path": "/v1/campaigns/{/id}",
                                                "query": {"since": "{/at"}}}})")),
            "test.json: /webhook/on/c.updated/fetch/query/since: \"{/at\": '{' at character 1 is "
            "not closed (template)");
}

TEST(WebhookMappingTest, PointersAreChecked) {
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/a~2"}})")),
            "test.json: /webhook/on/c.updated/record: \"/a~2\" is not a valid JSON pointer "
            "(pointer)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns",
                                      "fetch": {"path": "/v1/c/{/id}", "records": "/b~"}}})")),
            "test.json: /webhook/on/c.updated/fetch/records: \"/b~\" is not a valid JSON pointer "
            "(pointer)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/data"}})",
                                  R"("events": "/e~9", )")),
            "test.json: /webhook/events: \"/e~9\" is not a valid JSON pointer (pointer)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.deleted": {"stream": "campaigns",
                                      "delete": {"external_id": "id"}}})")),
            "test.json: /webhook/on/c.deleted/delete/external_id: \"id\" is not a JSON pointer: it "
            "must start with '/' (\"/id\"), '^' for the parent record (\"^/id\"), or be \"#key\" "
            "(pointer)");
}

TEST(WebhookMappingTest, TheSchemaChecksTheSectionsShape) {
  std::string mapping =
      with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/data"}})");
  mapping.replace(mapping.find("standard-webhooks"), 17, "svix");
  EXPECT_EQ(error_of(mapping),
            "test.json: /webhook/scheme: must be one of \"standard-webhooks\", \"hubspot-v3\", "
            "\"url-secret\", not \"svix\" (enum)");
  mapping = with_webhook(R"({"c.updated": {"stream": "campaigns", "record": "/data"}})");
  mapping.replace(mapping.find(R"("/type")"), 7, R"("type")");
  EXPECT_EQ(error_of(mapping), "test.json: /webhook/type: must match ^/, not \"type\" (pattern)");
  EXPECT_EQ(error_of(with_webhook("{}")),
            "test.json: /webhook/on: must have at least 1 properties (minProperties)");
  EXPECT_EQ(error_of(with_webhook(R"({"c.deleted": {"stream": "campaigns",
                                      "delete": {"external_id": "/id", "name": "/n"}}})")),
            "test.json: /webhook/on/c.deleted/delete/name: unknown property \"name\"; known "
            "properties: external_id, updated_at (additionalProperties)");
}

}  // namespace
}  // namespace rest_json
