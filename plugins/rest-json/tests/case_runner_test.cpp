// Mapping cases as data, as DuckDB's tests are: each file of tests/cases/ is a mapping, the
// provider's answers (inline, or a recorded body of ../shared/recorded read in place), and what
// must come out: the canonical rows the hub would store (through its own normalizer and the
// mapping's status rules) and the quarantine, each with its field and reason. One runner reads
// them all; a new case is a new file. tests/cases/README.md gives the format.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "connectors/json/schema_check.h"
#include "hub/model/record_json.h"
#include "hub/normalize/normalizer.h"
#include "plugins/rest-json/tests/scripted_reading.h"

namespace rest_json {
namespace {

namespace fs = std::filesystem;
using rapidjson::Value;

const fs::path kCases = fs::path(CAMPAIGN_HUB_SOURCE_DIR) / "plugins/rest-json/tests/cases";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string text_of(const Value& value) {
  return value.IsString() ? std::string(value.GetString(), value.GetStringLength())
                          : connectors::json::to_json(value);
}

// An expected column value as the canonical row holds it: text, numbers as written, true and
// false as 1 and 0, null as no value.
hub::Value expected_value(const Value& value) {
  if (value.IsNull())
    return std::nullopt;
  if (value.IsBool())
    return value.GetBool() ? "1" : "0";
  return text_of(value);
}

// One produced outcome: a row, or a quarantined record with its field and reason.
struct Outcome {
  std::string entity;
  std::string external_id;
  std::optional<hub::CanonicalRecord> row;
  std::string field, reason;
};

class CaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CaseTest, ComesOutAsExpected) {
  const fs::path file = kCases / GetParam();
  rapidjson::Document spec;
  spec.Parse(read_file(file).c_str());
  ASSERT_FALSE(spec.HasParseError()) << file << ": not JSON at " << spec.GetErrorOffset();
  SCOPED_TRACE(file.string() + ": " + text_of(spec["description"]));

  // The answers: by URL (and, for a POST, the body as sent).
  Reading run;
  for (const auto& answer : spec["answers"].GetArray()) {
    std::string body;
    if (answer.HasMember("body_file")) {
      body = recorded(text_of(answer["body_file"]));
      if (body.empty())
        GTEST_SKIP() << "../shared/recorded is not beside the project";
    } else {
      body = connectors::json::to_json(answer["body"]);
    }
    campaign_hub::Headers headers;
    if (answer.HasMember("headers")) {
      for (const auto& each : answer["headers"].GetObject())
        headers.emplace_back(text_of(each.name), text_of(each.value));
    }
    if (answer.HasMember("request_body")) {
      run.http.posts[{text_of(answer["url"]), connectors::json::to_json(answer["request_body"])}] =
          {200, headers, body};
    } else {
      run.http.answers[text_of(answer["url"])] = {200, headers, body};
    }
  }
  std::map<std::string, std::string, std::less<>> cursors;
  if (spec.HasMember("cursors")) {
    for (const auto& each : spec["cursors"].GetObject())
      cursors[text_of(each.name)] = text_of(each.value);
  }
  const std::string mapping_json = spec.HasMember("preset")
                                       ? std::string(*preset(text_of(spec["preset"])))
                                       : connectors::json::to_json(spec["mapping"]);
  const Value& expect = spec["expect"];
  if (expect.HasMember("error")) {
    try {
      run.read(mapping_json, cursors);
      ADD_FAILURE() << "no error; expected " << text_of(expect["error"]);
    } catch (const std::exception& error) {
      EXPECT_NE(std::string(error.what()).find(text_of(expect["error"])), std::string::npos)
          << error.what();
    }
    return;
  }
  try {
    run.read(mapping_json, cursors);
  } catch (const std::exception& error) {
    std::string asked;
    for (const auto& url : run.http.asked)
      asked += "\n  " + url;
    FAIL() << error.what() << "; asked:" << asked;
  }

  // The hub's side: the mapping's status rules, as the plugin hands them over.
  const Mapping mapping = parse_mapping(mapping_json, "case.json");
  hub::StatusTable statuses;
  for (const auto& rule : mapping.statuses) {
    if (rule.provider)
      statuses.add(rule.entity, *rule.provider, rule.canonical, rule.match);
    else
      statuses.when_missing(rule.entity, rule.canonical);
  }
  const hub::Normalizer normalizer(statuses, mapping.provider, "case", "Imported");
  std::vector<Outcome> outcomes;
  for (const auto& reject : run.emit.rejects)
    outcomes.push_back(
        {reject.entity, reject.external_id, std::nullopt, reject.field, reject.reason});
  auto normalize = [&](auto records) {
    for (auto& record : records) {
      const std::string entity(hub::entity_name(hub::entity_of(record)));
      const std::string id = std::visit(
          [](const auto& r) {
            if constexpr (requires { r.external_id; })
              return r.external_id;
            else
              return r.campaign_id;
          },
          record);
      hub::Normalized result = normalizer.normalize(std::move(record));
      if (result.record)
        outcomes.push_back({entity, result.record->external_id, result.record, "", ""});
      else
        outcomes.push_back(
            {entity, id, std::nullopt, result.rejection.field, result.rejection.reason});
    }
  };
  normalize(std::vector<hub::AnyRecord>(run.emit.campaigns.begin(), run.emit.campaigns.end()));
  normalize(
      std::vector<hub::AnyRecord>(run.emit.opportunities.begin(), run.emit.opportunities.end()));
  normalize(
      std::vector<hub::AnyRecord>(run.emit.participants.begin(), run.emit.participants.end()));
  normalize(std::vector<hub::AnyRecord>(run.emit.steps.begin(), run.emit.steps.end()));
  normalize(std::vector<hub::AnyRecord>(run.emit.metrics_records.begin(),
                                        run.emit.metrics_records.end()));

  // Row counts per entity, when given.
  if (expect.HasMember("row_count")) {
    for (const auto& each : expect["row_count"].GetObject()) {
      const std::string entity = text_of(each.name);
      std::size_t rows = 0;
      for (const auto& outcome : outcomes)
        rows += outcome.row && outcome.entity == entity ? 1 : 0;
      EXPECT_EQ(rows, static_cast<std::size_t>(each.value.GetInt64())) << entity << " rows";
    }
  }
  // Each expected row: found by entity and id, with the columns it lists.
  if (expect.HasMember("rows")) {
    for (const auto& wanted : expect["rows"].GetArray()) {
      const std::string entity = text_of(wanted["entity"]);
      const std::string id = text_of(wanted["external_id"]);
      const Outcome* found = nullptr;
      for (const auto& outcome : outcomes) {
        if (outcome.row && outcome.entity == entity && outcome.external_id == id)
          found = &outcome;
      }
      if (found == nullptr) {
        ADD_FAILURE() << "no " << entity << " row " << id;
        continue;
      }
      for (const auto& column : wanted.GetObject()) {
        const std::string name = text_of(column.name);
        if (name == "entity" || name == "external_id")
          continue;
        const auto index = hub::find_column(found->row->entity, name);
        if (!index) {
          ADD_FAILURE() << entity << " has no column " << name;
          continue;
        }
        EXPECT_EQ(found->row->values[*index], expected_value(column.value))
            << entity << " " << id << " column " << name;
      }
    }
  }
  // The quarantine: exactly these, in the order the plugin then the hub refused them.
  std::vector<std::string> quarantined, wanted;
  for (const auto& outcome : outcomes) {
    if (!outcome.row)
      quarantined.push_back(outcome.entity + " " + outcome.external_id + " " + outcome.field +
                            ": " + outcome.reason);
  }
  if (expect.HasMember("quarantine")) {
    for (const auto& each : expect["quarantine"].GetArray()) {
      wanted.push_back(text_of(each["entity"]) + " " +
                       (each.HasMember("external_id") ? text_of(each["external_id"]) : "") + " " +
                       text_of(each["field"]) + ": " + text_of(each["reason"]));
    }
  }
  EXPECT_EQ(quarantined, wanted);
  if (expect.HasMember("requests")) {
    std::vector<std::string> urls;
    for (const auto& url : expect["requests"].GetArray())
      urls.push_back(text_of(url));
    EXPECT_EQ(sorted(run.http.asked), sorted(urls));  // child pages come side by side
  }
  if (expect.HasMember("checkpoints")) {
    std::vector<std::string> checkpoints, expected_checkpoints;
    for (const auto& each : run.emit.checkpoints)
      checkpoints.push_back(each.stream + " " + each.cursor);
    for (const auto& each : expect["checkpoints"].GetArray())
      expected_checkpoints.push_back(text_of(each));
    EXPECT_EQ(checkpoints, expected_checkpoints);
  }
}

std::vector<std::string> case_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.path().extension() == ".json")
      files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseTest, ::testing::ValuesIn(case_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 5);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace rest_json
