// An Emitter that keeps everything a plugin emits, for tests to inspect.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "campaign_hub/host.h"
#include "campaign_hub/records.h"

namespace campaign_hub::test_doubles {

struct RecordedCheckpoint {
  std::string stream;
  std::string cursor;
  bool operator==(const RecordedCheckpoint&) const = default;
};

struct RecordedReject {
  std::string entity;
  std::string external_id;
  std::string field;
  std::string reason;
  std::string raw;
  bool operator==(const RecordedReject&) const = default;
};

class RecordingEmitter : public campaign_hub::Emitter {
 public:
  std::vector<campaign_hub::Campaign> campaigns;
  std::vector<campaign_hub::Opportunity> opportunities;
  std::vector<campaign_hub::Participant> participants;
  std::vector<campaign_hub::Step> steps;
  std::vector<campaign_hub::Metrics> metrics_records;
  std::vector<RecordedCheckpoint> checkpoints;
  std::vector<RecordedReject> rejects;
  // The entities the plugin said it listed in full (listed_all), in order; not in `events`.
  std::vector<std::string> listed_all_entities;
  // Everything in the order it came: "campaign c-1", "opportunity o-7",
  // "checkpoint opportunities 100", "reject campaign c-2 start", ...
  std::vector<std::string> events;

  void campaign(campaign_hub::Campaign record) override {
    events.push_back("campaign " + record.external_id);
    campaigns.push_back(std::move(record));
  }
  void opportunity(campaign_hub::Opportunity record) override {
    events.push_back("opportunity " + record.external_id);
    opportunities.push_back(std::move(record));
  }
  void participant(campaign_hub::Participant record) override {
    events.push_back("participant " + record.external_id);
    participants.push_back(std::move(record));
  }
  void step(campaign_hub::Step record) override {
    events.push_back("step " + record.external_id);
    steps.push_back(std::move(record));
  }
  void metrics(campaign_hub::Metrics record) override {
    events.push_back("metrics " + record.campaign_id);
    metrics_records.push_back(std::move(record));
  }
  void checkpoint(std::string_view stream, std::string_view cursor) override {
    events.push_back("checkpoint " + std::string(stream) + " " + std::string(cursor));
    checkpoints.push_back({std::string(stream), std::string(cursor)});
  }

  void reject(std::string_view entity, std::string_view external_id, std::string_view field,
              std::string_view reason, std::string raw) override {
    events.push_back("reject " + std::string(entity) + " " + std::string(external_id) + " " +
                     std::string(field));
    rejects.push_back({std::string(entity), std::string(external_id), std::string(field),
                       std::string(reason), std::move(raw)});
  }

  void listed_all(std::string_view entity) override { listed_all_entities.emplace_back(entity); }

  // The cursor of the last checkpoint of `stream`, if there was one.
  std::optional<std::string> last_cursor(std::string_view stream) const {
    for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it) {
      if (it->stream == stream) {
        return it->cursor;
      }
    }
    return std::nullopt;
  }
};

}  // namespace campaign_hub::test_doubles
