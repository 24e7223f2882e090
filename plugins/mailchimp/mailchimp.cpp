// The entry file of the mailchimp plugin: the provider, then its status map, settings schema
// and descriptor.
#include "plugins/mailchimp/mailchimp.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "connectors/http/paging.h"
#include "connectors/http/prefetch.h"
#include "plugins/mailchimp/campaign_records.h"
#include "plugins/mailchimp/list_webhooks.h"
#include "plugins/mailchimp/settings.h"
#include "plugins/mailchimp/sync_cursor.h"

namespace mailchimp {
namespace {

using campaign_hub::HttpRequest;
using campaign_hub::HttpResponse;
using campaign_hub::LogLevel;
namespace paging = connectors::http::paging;

// The request as errors show it: relative URLs resolve against the instance's http.base_url.
std::string shown(const std::string& url) {
  return "GET " + url + (url.starts_with("http") ? "" : " (under the instance's http.base_url)");
}

std::string url_of(const Settings& settings, std::string_view path) {
  return settings.api_root.empty() ? std::string(path)
                                   : settings.api_root + "/" + std::string(path);
}

std::string campaigns_url(const Settings& settings, std::int64_t offset, int count) {
  // Oldest first: campaigns created while we page land after the last page, not inside it.
  return url_of(settings, "campaigns?count=" + std::to_string(count) + "&offset=" +
                              std::to_string(offset) + "&sort_field=create_time&sort_dir=ASC");
}

// Reports fetched at once, and how far ahead of the one being read.
constexpr std::size_t kReportThreads = 8;
constexpr std::size_t kReportsAhead = 16;

HttpResponse get(campaign_hub::Http& http, const std::string& url, std::string_view what) {
  try {
    return http.send(HttpRequest{"GET", url, {}, ""});
  } catch (const campaign_hub::HttpError& error) {
    throw std::runtime_error(std::string(what) + ": " + error.what());
  }
}

// Sent within `days` of now: bounces, unsubscribes and abuse reports (not in the list's
// report_summary) still move, so the report is read whatever the fingerprint says.
bool recently_sent(const ListedCampaign& campaign, int days, std::int64_t now) {
  if (days <= 0 || campaign.send_time.empty()) {
    return false;
  }
  const auto sent = epoch_seconds(campaign.send_time);
  return sent && now - *sent < static_cast<std::int64_t>(days) * 86400;
}

struct PassCounts {
  std::int64_t pages = 0;
  std::int64_t reports_read = 0;
  std::int64_t reports_skipped = 0;
  std::int64_t not_sent = 0;  // 404 on the report
};

}  // namespace

void Mailchimp::read(campaign_hub::Host& host, campaign_hub::Emitter& emit) {
  const Settings settings = parse_settings(host.settings());
  auto& log = host.logger();
  auto& http = host.http();
  SyncCursor cursor = SyncCursor::parse(host.cursor(cursor_stream));
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();

  // A pass resumed at an offset has not seen its first pages in this run: it tombstones
  // nothing, the next complete pass will.
  const bool fresh_pass = !cursor.resume_offset();
  if (fresh_pass) {
    cursor.start_pass();
  } else {
    log.log(LogLevel::info, "resuming listing pass " + std::to_string(cursor.pass()) +
                                " at offset " + std::to_string(*cursor.resume_offset()));
  }
  std::int64_t offset = *cursor.resume_offset();
  std::optional<std::int64_t> last_total;
  bool list_stable = true;  // same total on every page, nothing seen at a new position
  // Where each campaign of this run was listed: a campaign seen again further on means the
  // list moved under us (or the provider repeated records), and shows by how much.
  std::unordered_map<std::string, std::int64_t> positions;
  PassCounts counts;

  while (true) {
    const std::string url = campaigns_url(settings, offset, settings.page_size);
    const std::string where = shown(url);
    const HttpResponse response =
        get(http, url, "campaigns page at offset " + std::to_string(offset));
    if (response.status != 200) {
      throw std::runtime_error(where + ": " + problem_message(response.body, response.status));
    }
    CampaignPage page = parse_campaign_page(response.body, where);
    ++counts.pages;

    if (counts.pages > 10 + 3 * (page.total_items / settings.page_size + 1)) {
      throw std::runtime_error(where + ": the campaign list kept moving while it was paged (" +
                               std::to_string(counts.pages) + " pages read for " +
                               std::to_string(page.total_items) +
                               " campaigns); the next sync resumes at this offset");
    }
    // A campaign already listed in this run, now at a later position: this page really began
    // `shift` campaigns earlier than asked.
    std::int64_t shift = 0;
    for (std::size_t i = 0; i < page.campaigns.size(); ++i) {
      const auto& id = page.campaigns[i].record.external_id;
      if (id.empty()) {
        continue;
      }
      const auto at = offset + static_cast<std::int64_t>(i);
      auto [known, inserted] = positions.try_emplace(id, at);
      if (!inserted) {
        if (shift == 0 && at > known->second) {
          shift = at - known->second;
        }
        known->second = at;
      }
    }

    // The page's records are gathered first and emitted together with their checkpoint, so a
    // report that fails leaves nothing of the page half-written. The reports wanted are fetched
    // side by side (the connector's max_in_flight caps them) and read in the page's order.
    std::vector<std::pair<std::string, std::string>> wanted;  // campaign id, report URL
    for (auto& listed : page.campaigns) {
      const std::string& id = listed.record.external_id;
      if (id.empty()) {
        continue;  // emitted below; the hub quarantines it for its missing id
      }
      const auto stored = cursor.fingerprint(id);
      if (listed.may_have_report &&
          (listed.unfinished || !stored || *stored != listed.fingerprint ||
           recently_sent(listed, settings.report_refresh_days, now))) {
        wanted.emplace_back(id, url_of(settings, "reports/" + paging::percent_encode(id)));
      } else if (listed.may_have_report) {
        ++counts.reports_skipped;
      }
      cursor.remember(id, listed.fingerprint);
    }
    std::vector<std::function<HttpResponse()>> fetches;
    fetches.reserve(wanted.size());
    for (const auto& report : wanted) {
      fetches.emplace_back([&http, &report] {
        return get(http, report.second, "report of campaign " + report.first);
      });
    }
    connectors::http::Prefetch<HttpResponse> reports(std::move(fetches), kReportThreads,
                                                     kReportsAhead);
    std::vector<campaign_hub::Metrics> snapshots;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      const auto& [id, report_url] = wanted[i];
      const HttpResponse report = reports.take(i);
      if (report.status == 404 || report.status == 410) {
        ++counts.not_sent;  // not sent after all: no figures
      } else if (report.status != 200) {
        throw std::runtime_error(shown(report_url) + ": " +
                                 problem_message(report.body, report.status));
      } else {
        snapshots.push_back(parse_report(report.body, id, shown(report_url)));
        ++counts.reports_read;
      }
    }

    const auto returned = static_cast<std::int64_t>(page.campaigns.size());
    auto next = paging::next_offset(offset - shift, returned, page.total_items);
    if (shift > 0) {
      list_stable = false;
      if (next) {
        next = std::max(*next, offset);
      }
    }
    if (last_total && page.total_items != *last_total) {
      list_stable = false;
      // Campaigns deleted since the last page shifted the rest left, past this page's offset:
      // read again from where they are now so that none is skipped (a campaign read twice in a
      // pass is harmless, and its report is not read again).
      if (page.total_items < *last_total) {
        next = std::max<std::int64_t>(0, offset - (*last_total - page.total_items));
      }
    }
    last_total = page.total_items;

    for (auto& listed : page.campaigns) {
      emit.campaign(std::move(listed.record));
    }
    for (auto& snapshot : snapshots) {
      emit.metrics(std::move(snapshot));
    }
    if (next) {
      cursor.set_offset(*next);
      emit.checkpoint(cursor_stream, cursor.to_json());
      offset = *next;
      continue;
    }

    // The pass is complete. It lists every live campaign when it is a listing we can trust:
    // read from offset 0 in this run, with the same total on every page and no campaign met at
    // a new position, and as many listed as the total says. The hub then marks deleted the
    // campaigns it holds that were not listed (Emitter::listed_all).
    const auto unlisted = cursor.unlisted();
    if (fresh_pass && list_stable && cursor.listed() >= page.total_items) {
      for (const auto& id : unlisted)
        cursor.forget(id);
      emit.listed_all("campaign");
    } else if (!unlisted.empty()) {
      log.log(LogLevel::info,
              std::to_string(unlisted.size()) +
                  " known campaigns were not listed by this pass, which was resumed or saw the "
                  "list change while paging; the next complete pass decides whether they "
                  "were deleted");
    }
    cursor.end_pass();
    emit.checkpoint(cursor_stream, cursor.to_json());
    break;
  }

  host.note("reports", std::to_string(counts.reports_read) + " read, " +
                           std::to_string(counts.reports_skipped) + " unchanged, " +
                           std::to_string(counts.not_sent) + " not sent");
  log.log(LogLevel::info,
          "pass " + std::to_string(cursor.pass()) + ": " + std::to_string(counts.pages) +
              " pages, " + std::to_string(counts.reports_read) + " reports read, " +
              std::to_string(counts.reports_skipped) + " unchanged reports skipped");
}

const Settings& Mailchimp::settings(campaign_hub::Host& host) {
  if (!settings_)
    settings_ = parse_settings(host.settings());
  return *settings_;
}

std::optional<campaign_hub::Metrics> Mailchimp::report_once(campaign_hub::Host& host,
                                                            const std::string& id) {
  if (reports_read_.count(id))
    return std::nullopt;
  const std::string url = url_of(settings(host), "reports/" + paging::percent_encode(id));
  const HttpResponse report = get(host.http(), url, "report of campaign " + id);
  std::optional<campaign_hub::Metrics> figures;
  if (report.status == 200) {
    figures = parse_report(report.body, id, shown(url));
  } else if (report.status != 404 && report.status != 410) {  // 404: not sent, no figures
    throw std::runtime_error(shown(url) + ": " + problem_message(report.body, report.status));
  }
  reports_read_.insert(id);
  return figures;
}

campaign_hub::WebhookResult Mailchimp::receive(campaign_hub::Host& host,
                                               const campaign_hub::WebhookRequest& request,
                                               campaign_hub::Emitter& emit) {
  const ListEvent event = parse_list_event(request.body);
  if (event.type == "campaign") {
    const auto id = event.get("id");
    if (!id)
      throw std::runtime_error("a campaign event without data[id]");
    // The event carries the id, subject and new status only. The whole campaign is read back,
    // so no field the event lacks is emptied, and a late or repeated event writes the state
    // the campaign has now, never an older one (Mailchimp campaigns have no update time).
    const std::string url = url_of(settings(host), "campaigns/" + paging::percent_encode(*id));
    const HttpResponse response = get(host.http(), url, "campaign " + *id);
    if (response.status == 404 || response.status == 410) {
      host.logger().log(LogLevel::info, "campaign " + *id +
                                            " of a campaign event is gone from Mailchimp; the "
                                            "next complete listing marks it deleted");
      return campaign_hub::WebhookResult::ignored;
    }
    if (response.status != 200)
      throw std::runtime_error(shown(url) + ": " + problem_message(response.body, response.status));
    ListedCampaign listed = parse_campaign(response.body, shown(url));
    // Read before anything is emitted: a report that fails leaves the request whole.
    auto figures = listed.may_have_report ? report_once(host, *id) : std::nullopt;
    emit.campaign(std::move(listed.record));
    if (figures)
      emit.metrics(std::move(*figures));
    return campaign_hub::WebhookResult::taken;
  }
  if (event.type == "unsubscribe" || event.type == "cleaned") {
    const auto campaign = event.get("campaign_id");
    if (!campaign)
      return campaign_hub::WebhookResult::ignored;  // a form or the API, not a campaign
    if (auto figures = report_once(host, *campaign))
      emit.metrics(std::move(*figures));
    return campaign_hub::WebhookResult::taken;
  }
  return campaign_hub::WebhookResult::ignored;  // subscribe, profile, upemail
}

campaign_hub::CheckResult Mailchimp::check(campaign_hub::Host& host) {
  try {
    const Settings settings = parse_settings(host.settings());
    const std::string url = url_of(settings, "campaigns?count=1&offset=0");
    const HttpResponse response = get(host.http(), url, "check");
    if (response.status != 200) {
      return {false, shown(url) + ": " + problem_message(response.body, response.status)};
    }
    const CampaignPage page = parse_campaign_page(response.body, shown(url));
    const std::string api =
        settings.api_root.empty() ? "the instance's http.base_url" : settings.api_root;
    return {true, "Mailchimp API at " + api + ": API key accepted, " +
                      std::to_string(page.total_items) + " campaigns"};
  } catch (const std::exception& error) {
    std::string message = error.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    std::replace(message.begin(), message.end(), '\r', ' ');
    if (message.find(" 401") != std::string::npos ||
        message.find("API Key Invalid") != std::string::npos) {
      message +=
          " (check the API key in http.auth.password, and that the data centre matches "
          "its suffix)";
    }
    return {false, message};
  }
}

// Mailchimp's campaign statuses (Marketing API v3), mapped to the canonical ones
// (plugin-api/README.md). The operator adds others in config (status_overrides).
constexpr campaign_hub::StatusMapping status_map[] = {
    {"campaign", "save", "draft"},         {"campaign", "schedule", "scheduled"},
    {"campaign", "sending", "active"},     {"campaign", "paused", "paused"},
    {"campaign", "sent", "completed"},     {"campaign", "canceling", "active"},
    {"campaign", "canceled", "cancelled"}, {"campaign", "archived", "completed"},
};

// Settings, declared once: the hub validates against this and prints it as the plugin's help.
const campaign_hub::Descriptor descriptor{
    .name = "mailchimp",
    .version = "1.0.0",
    .kind = "email",
    .summary = "Mailchimp e-mail campaigns, their statuses and a metrics snapshot per report",
    .settings_schema = settings_schema,
    .status_map = status_map,
    .status_map_size = std::size(status_map),
    .capabilities = campaign_hub::capability_check | campaign_hub::capability_webhook,
};

}  // namespace mailchimp

CAMPAIGN_HUB_PLUGIN(mailchimp::Mailchimp, mailchimp::descriptor)
