// slow-feed: a provider that needs no network, for the hub's sync tests. It makes up a
// deterministic feed (same settings, same records) of campaigns and opportunities, pages
// through it with a checkpoint after every page, can be slowed down (lease test, SIGKILL crash
// test), can fail part-way (fail_after) and can send a status nobody maps
// (status_of_opportunity). See README.md for the settings.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "campaign_hub/plugin.h"

namespace {

struct Settings {
  std::int64_t campaigns = 3;
  std::int64_t opportunities = 1000;
  std::int64_t page_size = 100;
  std::int64_t delay_ms = 0;
  std::optional<std::int64_t> fail_after;
  std::optional<std::string> status_of_opportunity;
  std::optional<std::string> die;  // how to die after die_after opportunities
  std::int64_t die_after = 0;
};

// The ways a plugin can take its process down, for the hub's crash-containment tests.
[[noreturn]] void die(const std::string& how) {
  if (how == "segfault") {
#ifdef CAMPAIGN_HUB_SANITIZED
    std::raise(SIGSEGV);  // UBSan would stop the null store below before the kernel sees it
#else
    volatile int* nowhere = nullptr;
    *nowhere = 1;
#endif
  } else if (how == "abort") {
    std::abort();
  } else if (how == "terminate") {
    // An exception that escapes a thread of the plugin's own.
    std::thread([] {
      throw std::runtime_error("slow-feed: thrown on a thread of its own");
    }).join();
  } else if (how == "hang") {
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(1));
  } else if (how == "allocate") {
    // 2 GiB, touched, so that it is really used.
    std::vector<char> hog(std::size_t{2} << 30, 1);
    std::printf("slow-feed: allocated %zu bytes\n", hog.size());
  }
  std::abort();
}

std::int64_t read_integer(const rapidjson::Value& value, const char* key, std::int64_t minimum) {
  if (!value.IsInt64() || value.GetInt64() < minimum) {
    throw std::invalid_argument(std::string("slow-feed: settings.") + key +
                                ": expected an integer of at least " + std::to_string(minimum));
  }
  return value.GetInt64();
}

Settings parse_settings(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (document.HasParseError()) {
    throw std::invalid_argument(std::string("slow-feed: settings are not JSON: ") +
                                rapidjson::GetParseError_En(document.GetParseError()) +
                                " (at offset " + std::to_string(document.GetErrorOffset()) + ")");
  }
  if (!document.IsObject()) {
    throw std::invalid_argument("slow-feed: settings must be a JSON object");
  }
  Settings settings;
  for (const auto& member : document.GetObject()) {
    const std::string key = member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (key == "campaigns") {
      settings.campaigns = read_integer(value, "campaigns", 1);
    } else if (key == "opportunities") {
      settings.opportunities = read_integer(value, "opportunities", 0);
    } else if (key == "page_size") {
      settings.page_size = read_integer(value, "page_size", 1);
    } else if (key == "delay_ms") {
      settings.delay_ms = read_integer(value, "delay_ms", 0);
    } else if (key == "fail_after") {
      settings.fail_after = read_integer(value, "fail_after", 0);
    } else if (key == "die") {
      if (!value.IsString()) {
        throw std::invalid_argument("slow-feed: settings.die: expected a string");
      }
      settings.die = std::string(value.GetString(), value.GetStringLength());
    } else if (key == "die_after") {
      settings.die_after = read_integer(value, "die_after", 0);
    } else if (key == "status_of_opportunity") {
      if (!value.IsString()) {
        throw std::invalid_argument("slow-feed: settings.status_of_opportunity: expected a string");
      }
      settings.status_of_opportunity = std::string(value.GetString(), value.GetStringLength());
    } else {
      throw std::invalid_argument("slow-feed: settings." + key + ": unknown setting");
    }
  }
  return settings;
}

// The opportunity index a saved cursor names; 0 when there is none.
std::int64_t parse_cursor(const std::optional<std::string>& cursor) {
  if (!cursor || cursor->empty()) {
    return 0;
  }
  std::size_t used = 0;
  std::int64_t index = -1;
  try {
    index = std::stoll(*cursor, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != cursor->size() || index < 0) {
    throw std::runtime_error("slow-feed: saved cursor '" + *cursor +
                             "' is not an opportunity index; reset the instance's state");
  }
  return index;
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_member(JsonWriter& out, const char* key, const std::string& value) {
  out.Key(key);
  out.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string campaign_id(std::int64_t index) {
  return "c-" + std::to_string(index);
}

campaign_hub::Campaign make_campaign(std::int64_t index) {
  static constexpr const char* kStatuses[] = {"Draft", "Live", "Done"};
  campaign_hub::Campaign campaign;
  campaign.external_id = campaign_id(index);
  campaign.name = "Campagne n°" + std::to_string(index);
  campaign.kind = "scouting";
  campaign.status = kStatuses[(index - 1) % 3];
  campaign.attributes = R"({"wave":)" + std::to_string(index) + "}";

  rapidjson::StringBuffer buffer;
  JsonWriter out(buffer);
  out.StartObject();
  write_member(out, "id", campaign.external_id);
  write_member(out, "name", *campaign.name);
  write_member(out, "status", *campaign.status);
  out.EndObject();
  campaign.raw = buffer.GetString();
  return campaign;
}

// 2026-03-01T09:00:00+01:00 plus one minute per opportunity.
std::string updated_at(std::int64_t index) {
  using namespace std::chrono;
  const sys_seconds local = sys_days{year{2026} / March / 1} + hours{9} + minutes{index};
  const sys_days day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{local - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d+01:00",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return text;
}

campaign_hub::Opportunity make_opportunity(std::int64_t index, const Settings& settings) {
  campaign_hub::Opportunity opportunity;
  opportunity.external_id = "o-" + std::to_string(index);
  opportunity.campaign_id = campaign_id((index - 1) % settings.campaigns + 1);
  opportunity.title = "Opportunité n°" + std::to_string(index);
  opportunity.status = settings.status_of_opportunity.value_or(index % 2 == 1 ? "Open" : "Won");
  opportunity.amount = static_cast<double>(index) * 10.5;
  opportunity.currency = "EUR";
  opportunity.updated_at = updated_at(index);

  rapidjson::StringBuffer buffer;
  JsonWriter out(buffer);
  out.StartObject();
  write_member(out, "id", opportunity.external_id);
  write_member(out, "campaign", *opportunity.campaign_id);
  write_member(out, "status", *opportunity.status);
  out.Key("amount");
  out.Double(*opportunity.amount);
  write_member(out, "updated", *opportunity.updated_at);
  out.EndObject();
  opportunity.raw = buffer.GetString();
  return opportunity;
}

class SlowFeed : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override {
    const Settings settings = parse_settings(host.settings());
    const std::int64_t resume_after = parse_cursor(host.cursor("opportunities"));
    host.logger().log(campaign_hub::LogLevel::info,
                      "slow-feed: " + std::to_string(settings.campaigns) +
                          " campaigns, opportunities after " + std::to_string(resume_after) +
                          " of " + std::to_string(settings.opportunities));

    for (std::int64_t index = 1; index <= settings.campaigns; ++index) {
      emit.campaign(make_campaign(index));
    }
    emit.checkpoint("campaigns", "done");

    std::int64_t emitted = 0;
    auto fail_if_asked = [&] {
      if (settings.die && emitted == settings.die_after) {
        die(*settings.die);
      }
      if (settings.fail_after && emitted == *settings.fail_after) {
        throw std::runtime_error("slow-feed: failing after " + std::to_string(emitted) +
                                 " opportunities, as fail_after asks");
      }
    };
    fail_if_asked();
    for (std::int64_t first = resume_after + 1; first <= settings.opportunities;
         first += settings.page_size) {
      // The time a provider would take to answer one page.
      if (settings.delay_ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(settings.delay_ms));
      }
      const std::int64_t last = std::min(first + settings.page_size - 1, settings.opportunities);
      for (std::int64_t index = first; index <= last; ++index) {
        emit.opportunity(make_opportunity(index, settings));
        ++emitted;
        fail_if_asked();
      }
      emit.checkpoint("opportunities", std::to_string(last));
    }
    host.note("last_opportunity", std::to_string(settings.opportunities));
  }
};

constexpr campaign_hub::StatusMapping kStatuses[] = {
    {"campaign", "Draft", "draft"},    {"campaign", "Live", "active"},
    {"campaign", "Done", "completed"}, {"opportunity", "Open", "active"},
    {"opportunity", "Won", "won"},
};

const campaign_hub::Descriptor kDescriptor = {
    .name = "slow-feed",
    .version = "1.0.0",
    .kind = "scouting",
    .summary = "Test feed: made-up campaigns and opportunities, paged, slow or failing on demand",
    .settings_schema = R"({
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "campaigns": {"type": "integer", "minimum": 1, "default": 3},
        "opportunities": {"type": "integer", "minimum": 0, "default": 1000},
        "page_size": {"type": "integer", "minimum": 1, "default": 100},
        "delay_ms": {"type": "integer", "minimum": 0, "default": 0},
        "fail_after": {"type": "integer", "minimum": 0},
        "status_of_opportunity": {"type": "string"},
        "die": {"enum": ["segfault", "abort", "terminate", "hang", "allocate"]},
        "die_after": {"type": "integer", "minimum": 0, "default": 0}
      }
    })",
    .status_map = kStatuses,
    .status_map_size = std::size(kStatuses),
};

}  // namespace

CAMPAIGN_HUB_PLUGIN(SlowFeed, kDescriptor)
