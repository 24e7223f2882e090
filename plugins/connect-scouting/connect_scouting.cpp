// connect-scouting: campaigns and opportunities of a Connect-style scouting feed
// (../shared/providers/connect-feed.md), read incrementally on `updated_since`, one cursor per
// stream, checkpointed after every page. The provider owns the statuses; the hub maps them.
#include "connect_scouting.h"

#include <cstddef>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "connectors/http/paging.h"
#include "feed_cursor.h"
#include "push_events.h"
#include "record_mapping.h"
#include "settings.h"

namespace connect_scouting {
namespace paging = connectors::http::paging;

namespace {

// A page that cannot be used: the message says which stream, page and URL, and what is wrong.
class FeedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PageRecord {
  std::variant<campaign_hub::Campaign, campaign_hub::Opportunity> record;
  std::string id;
  std::optional<Instant> updated;
  std::string updated_text;
};

struct Page {
  std::vector<PageRecord> records;
  std::optional<std::string> next_cursor;
};

std::string one_line(std::string text, std::size_t limit = 300) {
  for (char& c : text) {
    if (c == '\n' || c == '\r')
      c = ' ';
  }
  if (text.size() > limit)
    text = text.substr(0, limit) + "...";
  return text;
}

// Parses and maps a whole page before any of it is emitted, so that a bad page leaves nothing
// of itself behind: the run fails and the next one starts again after the last good page.
Page read_page(const std::string& body, const std::string& stream, const Settings& settings,
               const std::string& where) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    throw FeedError(where + ": the answer is not valid JSON (" +
                    rapidjson::GetParseError_En(document.GetParseError()) + " at byte " +
                    std::to_string(document.GetErrorOffset()) + " of " +
                    std::to_string(body.size()) + ")");
  }
  if (!document.IsObject())
    throw FeedError(where + ": the answer is not a JSON object");
  auto data = document.FindMember("data");
  if (data == document.MemberEnd() || !data->value.IsArray())
    throw FeedError(where + ": the answer has no \"data\" array");

  Page page;
  try {
    page.next_cursor = paging::string_at(document, "/next_cursor");
  } catch (const paging::PagingError& error) {
    throw FeedError(where + ": " + error.what());
  }
  page.records.reserve(data->value.Size());
  for (rapidjson::SizeType i = 0; i < data->value.Size(); ++i) {
    const rapidjson::Value& record = data->value[i];
    if (!record.IsObject())
      throw FeedError(where + ": /data/" + std::to_string(i) + " is not an object");
    PageRecord entry;
    entry.id = text_at(record, "id").value_or("");
    entry.updated_text = text_at(record, "updated_at").value_or("");
    entry.updated = connectors::time::parse_rfc3339(entry.updated_text);
    if (stream == "campaigns") {
      entry.record = map_campaign(record, settings.campaign_kind);
    } else {
      entry.record = map_opportunity(record);
    }
    page.records.push_back(std::move(entry));
  }
  return page;
}

// Reads one stream past its saved cursor, checkpointing after each page.
void read_stream(campaign_hub::Host& host, campaign_hub::Emitter& emit, const Settings& settings,
                 const std::string& stream) {
  FeedCursor cursor = FeedCursor::parse(stream, host.cursor(stream));
  std::string first_url = "/v1/" + stream + "?limit=" + std::to_string(settings.page_size);
  const auto since = cursor.updated_since();
  if (since)
    first_url = paging::with_query(first_url, "updated_since", *since);

  std::string url = first_url;
  std::optional<std::string> previous_next;
  std::int64_t pages = 0, emitted = 0, skipped = 0;
  for (;;) {
    ++pages;
    std::string where =
        "stream " + stream + ", page " + std::to_string(pages) + " (GET " + url + ")";
    campaign_hub::HttpResponse response;
    try {
      response = host.http().send({"GET", url, {}, ""});
    } catch (const campaign_hub::HttpError& error) {
      throw FeedError(where + ": " + one_line(error.what(), 1000));
    }
    if (response.status != 200) {
      throw FeedError(where + ": HTTP " + std::to_string(response.status) + " " +
                      one_line(response.body));
    }
    if (auto remaining = response.header("X-RateLimit-Remaining"))
      host.note("rate_limit_remaining", *remaining);

    Page page = read_page(response.body, stream, settings, where);
    std::string before = cursor.text();
    for (PageRecord& entry : page.records) {
      if (entry.updated && cursor.seen(*entry.updated, entry.id)) {
        ++skipped;  // emitted by this run or an earlier one: a repeat, or the tie window
        continue;
      }
      if (entry.id.empty()) {
        host.logger().log(campaign_hub::LogLevel::warn,
                          where + ": a record without an id; the hub quarantines it");
      }
      if (entry.updated) {
        cursor.advance(*entry.updated, entry.updated_text, entry.id);
      } else {
        host.logger().log(campaign_hub::LogLevel::warn,
                          where + ": record " + entry.id +
                              " has no RFC 3339 updated_at; it does not move the cursor");
      }
      std::visit(
          [&emit](auto& record) {
            using Record = std::decay_t<decltype(record)>;
            if constexpr (std::is_same_v<Record, campaign_hub::Campaign>) {
              emit.campaign(std::move(record));
            } else {
              emit.opportunity(std::move(record));
            }
          },
          entry.record);
      ++emitted;
    }
    if (cursor.text() != before)
      emit.checkpoint(stream, cursor.text());
    host.logger().log(campaign_hub::LogLevel::debug,
                      where + ": " + std::to_string(page.records.size()) + " records");

    if (!page.next_cursor)
      break;
    if (page.next_cursor == previous_next) {
      throw FeedError(where + ": the feed sent the same next_cursor twice (" + *page.next_cursor +
                      "); stopping rather than looping");
    }
    previous_next = page.next_cursor;
    url = paging::with_query(first_url, "cursor", *page.next_cursor);
  }
  // Without updated_since the feed lists every live record (deleted ones only come back, as
  // tombstones, to an incremental read): the hub may mark deleted what it did not list.
  if (!since)
    emit.listed_all(stream == "campaigns" ? "campaign" : "opportunity");
  host.logger().log(campaign_hub::LogLevel::info,
                    stream + ": " + std::to_string(pages) + " pages, " + std::to_string(emitted) +
                        " records emitted, " + std::to_string(skipped) +
                        " skipped as already emitted" +
                        (cursor.empty() ? "" : ", cursor at " + cursor.text()));
}

}  // namespace

void ConnectScouting::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  Settings settings = parse_settings(host.settings());
  for (const std::string& stream : settings.streams)
    read_stream(host, emit, settings, stream);
}

campaign_hub::WebhookResult ConnectScouting::receive(campaign_hub::Host& host,
                                                     const campaign_hub::WebhookRequest& request,
                                                     campaign_hub::Emitter& emit) {
  return receive_event(parse_settings(host.settings()), request, emit);
}

campaign_hub::CheckResult ConnectScouting::check(campaign_hub::Host& host) {
  const std::string url = "/v1/campaigns?limit=1";
  try {
    const Settings settings = parse_settings(host.settings());
    campaign_hub::HttpResponse response = host.http().send({"GET", url, {}, ""});
    if (response.status != 200) {
      return {false, "GET " + url + " answered HTTP " + std::to_string(response.status) + ": " +
                         one_line(response.body, 200)};
    }
    Page page = read_page(response.body, "campaigns", settings, "GET " + url);
    std::string message = "reached the feed with the configured bearer token: GET " + url +
                          " gave " + std::to_string(page.records.size()) +
                          (page.records.size() == 1 ? " campaign" : " campaigns") +
                          " on the first page" + (page.next_cursor ? ", more to read" : "");
    if (auto remaining = response.header("X-RateLimit-Remaining"))
      message += "; rate limit remaining " + *remaining;
    return {true, message};
  } catch (const campaign_hub::HttpError& error) {
    std::string hint = error.status() == 401 ? "; the bearer token (http.auth.token) was refused"
                       : error.status() == 0 ? "; check http.base_url and the network"
                                             : "";
    return {false, one_line(error.what(), 600) + hint};
  } catch (const std::exception& error) {
    return {false, one_line(error.what(), 600)};
  }
}

// Every status the feed documents. The operator may add or override entries in the instance's
// status_overrides; anything else goes to quarantine, named.
constexpr campaign_hub::StatusMapping status_map[] = {
    {"campaign", "Draft", "draft"},          {"campaign", "On-going", "active"},
    {"campaign", "Closed", "completed"},     {"opportunity", "Active", "active"},
    {"opportunity", "On-hold", "on_hold"},   {"opportunity", "Closed", "closed"},
    {"opportunity", "Declined", "declined"},
};

const campaign_hub::Descriptor descriptor{
    .name = "connect-scouting",
    .version = "1.0.0",
    .kind = "scouting",
    .summary =
        "Campaigns and opportunities of a Connect-style scouting feed, incremental on "
        "updated_since",
    .settings_schema = settings_schema,
    .status_map = status_map,
    .status_map_size = std::size(status_map),
    .capabilities = campaign_hub::capability_check | campaign_hub::capability_webhook,
};

}  // namespace connect_scouting

CAMPAIGN_HUB_PLUGIN(connect_scouting::ConnectScouting, connect_scouting::descriptor)
