#include "plugins/mailchimp/campaign_records.h"

#include <array>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/text/fnv1a.h"
#include "connectors/time/rfc3339.h"

namespace mailchimp {
namespace {

using rapidjson::Value;

// Statuses after which a report may exist, and those whose figures still move by the minute.
constexpr std::array kSentStatuses = {"sending", "sent", "canceling", "canceled", "archived"};
constexpr std::array kUnfinishedStatuses = {"sending", "canceling"};

template <std::size_t N>
bool one_of(std::string_view text, const std::array<const char*, N>& words) {
  for (const char* word : words) {
    if (text == word) {
      return true;
    }
  }
  return false;
}

std::string json_text(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

void parse(rapidjson::Document& document, std::string_view body, std::string_view request) {
  // RapidJSON's default number reader, as every plugin's: its full-precision reader (1.1.0) reads
  // out of bounds on a zero with hundreds of digits, which a provider could send.
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    throw ResponseError(std::string(request) + ": the answer is not valid JSON at offset " +
                        std::to_string(document.GetErrorOffset()) + " of " +
                        std::to_string(body.size()) + " bytes (" +
                        rapidjson::GetParseError_En(document.GetParseError()) +
                        "); nothing of it was stored");
  }
  if (!document.IsObject()) {
    throw ResponseError(std::string(request) + ": the answer is not a JSON object");
  }
}

const Value* member(const Value& object, const char* name) {
  if (!object.IsObject()) {
    return nullptr;
  }
  auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

// A string that says something: absent, null and "" (Mailchimp's "no value") give nothing.
campaign_hub::Text text_at(const Value& object, const char* name) {
  const Value* value = member(object, name);
  if (value == nullptr || !value->IsString() || value->GetStringLength() == 0) {
    return std::nullopt;
  }
  return std::string(value->GetString(), value->GetStringLength());
}

campaign_hub::Count count_at(const Value& object, const char* name) {
  const Value* value = member(object, name);
  if (value == nullptr || !value->IsInt64()) {
    return std::nullopt;
  }
  return value->GetInt64();
}

std::string fingerprint_of(const Value& campaign) {
  connectors::text::Fnv1a64 hash;
  for (const char* name : {"status", "send_time", "emails_sent", "report_summary"}) {
    const Value* value = member(campaign, name);
    hash.add(value != nullptr ? json_text(*value) : std::string("-")).add("\x1f");
  }
  return hash.hex();
}

ListedCampaign listed_campaign(const Value& item) {
  ListedCampaign listed;
  campaign_hub::Campaign& record = listed.record;
  // A campaign without an id is still emitted: the hub quarantines it with its raw record.
  record.external_id = text_at(item, "id").value_or("");
  record.kind = "email";
  record.status = text_at(item, "status");
  const Value* settings = member(item, "settings");
  if (settings != nullptr) {
    // The title is the internal name and is often ""; the subject line is what readers saw.
    record.name = text_at(*settings, "title");
    if (!record.name) {
      record.name = text_at(*settings, "subject_line");
    }
    record.description = text_at(*settings, "subject_line");
  }
  record.created_at = text_at(item, "create_time");
  record.start = text_at(item, "send_time");
  if (const Value* recipients = member(item, "recipients"); recipients != nullptr) {
    record.target_count = count_at(*recipients, "recipient_count");
  }
  record.raw = json_text(item);

  listed.send_time = record.start.value_or("");
  listed.fingerprint = fingerprint_of(item);
  const std::string status = record.status.value_or("");
  listed.unfinished = one_of(status, kUnfinishedStatuses);
  listed.may_have_report =
      !record.external_id.empty() && (one_of(status, kSentStatuses) || !listed.send_time.empty() ||
                                      count_at(item, "emails_sent").value_or(0) > 0);
  return listed;
}

}  // namespace

ListedCampaign parse_campaign(std::string_view body, std::string_view request) {
  rapidjson::Document document;
  parse(document, body, request);
  return listed_campaign(document);
}

CampaignPage parse_campaign_page(std::string_view body, std::string_view request) {
  rapidjson::Document document;
  parse(document, body, request);
  const Value* campaigns = member(document, "campaigns");
  if (campaigns == nullptr || !campaigns->IsArray()) {
    throw ResponseError(std::string(request) +
                        ": the answer has no /campaigns array; nothing of it was stored");
  }
  const Value* total = member(document, "total_items");
  if (total == nullptr || !total->IsInt64() || total->GetInt64() < 0) {
    throw ResponseError(std::string(request) +
                        ": /total_items is missing or not a count; nothing of it was stored");
  }
  CampaignPage page;
  page.total_items = total->GetInt64();
  page.campaigns.reserve(campaigns->Size());
  for (rapidjson::SizeType i = 0; i < campaigns->Size(); ++i) {
    const Value& item = (*campaigns)[i];
    if (!item.IsObject()) {
      throw ResponseError(std::string(request) + ": /campaigns/" + std::to_string(i) +
                          " is not an object; nothing of the page was stored");
    }
    page.campaigns.push_back(listed_campaign(item));
  }
  return page;
}

campaign_hub::Metrics parse_report(std::string_view body, std::string_view campaign_id,
                                   std::string_view request) {
  rapidjson::Document document;
  parse(document, body, request);
  if (const auto id = text_at(document, "id"); id && *id != campaign_id) {
    throw ResponseError(std::string(request) + ": the report is of campaign " + *id + ", not of " +
                        std::string(campaign_id));
  }
  campaign_hub::Metrics metrics;
  metrics.campaign_id = std::string(campaign_id);
  metrics.sent = count_at(document, "emails_sent");
  metrics.unsubscribes = count_at(document, "unsubscribed");
  metrics.abuse_reports = count_at(document, "abuse_reports");
  if (const Value* opens = member(document, "opens"); opens != nullptr) {
    metrics.opens = count_at(*opens, "opens_total");
    metrics.unique_opens = count_at(*opens, "unique_opens");
  }
  if (const Value* clicks = member(document, "clicks"); clicks != nullptr) {
    metrics.clicks = count_at(*clicks, "clicks_total");
  }
  if (const Value* bounces = member(document, "bounces"); bounces != nullptr) {
    const auto hard = count_at(*bounces, "hard_bounces");
    const auto soft = count_at(*bounces, "soft_bounces");
    if (hard || soft) {
      metrics.bounces = hard.value_or(0) + soft.value_or(0);
    }
  }
  document.RemoveMember("_links");
  document.RemoveMember("list_stats");
  metrics.raw = json_text(document);
  return metrics;
}

std::string problem_message(std::string_view body, int status) {
  std::string message = std::to_string(status);
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  const auto title = document.HasParseError() ? std::nullopt : text_at(document, "title");
  const auto detail = document.HasParseError() ? std::nullopt : text_at(document, "detail");
  if (title || detail) {
    if (title) {
      message += " " + *title;
    }
    if (detail) {
      message += (title ? ": " : " ") + *detail;
    }
    return message;
  }
  std::string excerpt(body.substr(0, 200));
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return excerpt.empty() ? message : message + " " + excerpt;
}

std::optional<std::int64_t> epoch_seconds(std::string_view text) {
  auto instant = connectors::time::parse_rfc3339(text);
  if (!instant)
    return std::nullopt;
  return instant->seconds.time_since_epoch().count();
}

}  // namespace mailchimp
