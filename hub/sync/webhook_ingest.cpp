#include "hub/sync/webhook_ingest.h"

#include <rapidjson/document.h>
#include <soci/soci.h>

#include "connectors/text/base64.h"
#include "hub/model/time.h"

namespace hub {
namespace {

campaign_hub::Headers headers_from_json(const std::string& json) {
  campaign_hub::Headers headers;
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError() || !document.IsObject())
    return headers;
  for (const auto& member : document.GetObject()) {
    if (member.value.IsString())
      headers.emplace_back(member.name.GetString(), member.value.GetString());
  }
  return headers;
}

}  // namespace

std::vector<PendingRequest> pending_requests(Database& database, const std::string& instance,
                                             std::size_t limit) {
  std::vector<PendingRequest> requests;
  auto& sql = database.session();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, method, path, query_text, headers, body, body_encoding FROM "
                      "webhook_spool WHERE instance = :i AND state = 'pending' ORDER BY id",
       soci::use(instance));
  for (const soci::row& row : rows) {
    if (requests.size() >= limit)
      break;
    auto text = [&](std::size_t at) {
      return row.get_indicator(at) == soci::i_null ? std::string() : row.get<std::string>(at);
    };
    PendingRequest pending;
    pending.id = row.get_properties(0).get_data_type() == soci::dt_long_long ? row.get<long long>(0)
                                                                             : row.get<int>(0);
    pending.request.method = text(1);
    pending.request.path = text(2);
    pending.request.query = text(3);
    pending.request.headers = headers_from_json(text(4));
    pending.request.body = text(5);
    if (text(6) == "base64") {
      auto bytes = connectors::text::base64_decode(pending.request.body);
      pending.request.body = bytes ? std::move(*bytes) : std::string();
    }
    requests.push_back(std::move(pending));
  }
  return requests;
}

IngestCounts ingest(campaign_hub::Provider& provider, campaign_hub::Host& host,
                    campaign_hub::Emitter& emit, RecordSink& sink,
                    const std::vector<PendingRequest>& requests, const std::atomic<bool>* stop) {
  IngestCounts counts;
  for (const PendingRequest& pending : requests) {
    if (stop != nullptr && stop->load()) {
      counts.stopped = true;
      break;
    }
    std::string failure;
    campaign_hub::WebhookResult result = campaign_hub::WebhookResult::ignored;
    try {
      result = provider.receive(host, pending.request, emit);
    } catch (const RecordSink::StoreFailed&) {
      throw;
    } catch (const std::exception& error) {
      failure = error.what();
    } catch (...) {
      failure = "the plugin threw something that is not a std::exception";
    }
    if (!failure.empty()) {
      ++counts.failed;
      sink.spooled(pending.id, "failed", "plugin: " + failure);
    } else if (result == campaign_hub::WebhookResult::taken) {
      ++counts.taken;
      sink.spooled(pending.id, "taken", "");
    } else {
      ++counts.ignored;
      sink.spooled(pending.id, "ignored", "");
    }
  }
  return counts;
}

std::int64_t prune_settled(Database& database, const std::string& instance, int dedup_hours,
                           std::chrono::system_clock::time_point now) {
  const std::string cutoff = format_utc(now - std::chrono::hours(dedup_hours));
  soci::statement prune =
      (database.session().prepare << "DELETE FROM webhook_spool WHERE instance = :i AND state IN "
                                     "('taken', 'ignored') AND received_at < :c",
       soci::use(instance), soci::use(cutoff));
  prune.execute(true);
  return prune.get_affected_rows();
}

}  // namespace hub
