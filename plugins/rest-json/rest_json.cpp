// The entry file of the rest-json plugin: a REST/JSON provider described by a mapping file
// (config/providers/README.md), and its descriptor.
#include <iterator>
#include <optional>
#include <string>

#include <campaign_hub/plugin.h>

#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/stream_reader.h"
#include "plugins/rest-json/webhook_events.h"

namespace rest_json {
namespace {

std::size_t count_streams(const std::vector<Stream>& streams) {
  std::size_t n = 0;
  for (const auto& stream : streams)
    n += 1 + count_streams(stream.children);
  return n;
}

class RestJson : public campaign_hub::Provider {
 public:
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override {
    // A mapping with a mistake fails here, before the first request, with its one-line error.
    const Settings settings = parse_settings(host.settings());
    const Mapping mapping = mapping_for(settings);
    StreamReader(mapping, settings, host, &emit).read_all();
  }

  // The mapping's status maps: the hub maps each provider word, and raw_status keeps it.
  std::vector<campaign_hub::StatusRule> statuses(campaign_hub::Host& host) override {
    return mapping_for(parse_settings(host.settings())).statuses;
  }

  // One provider object takes a run's pushed requests one after another: the mapping is loaded
  // once for them all.
  campaign_hub::WebhookResult receive(campaign_hub::Host& host,
                                      const campaign_hub::WebhookRequest& request,
                                      campaign_hub::Emitter& emit) override {
    if (!pushed_ || pushed_->settings_text != host.settings()) {
      Settings settings = parse_settings(host.settings());
      Mapping mapping = mapping_for(settings);
      pushed_.emplace(Loaded{host.settings(), std::move(settings), std::move(mapping)});
    }
    return receive_events(pushed_->mapping, pushed_->settings, host, request, emit);
  }

  campaign_hub::CheckResult check(campaign_hub::Host& host) override {
    try {
      const Settings settings = parse_settings(host.settings());
      const Mapping mapping = mapping_for(settings);
      std::size_t records = StreamReader(mapping, settings, host, nullptr).first_page_records();
      return {true, "mapping " + mapping.file + " (" + mapping.provider +
                        "): " + std::to_string(count_streams(mapping.streams)) +
                        " stream(s); first page of " + mapping.streams.front().name + ": " +
                        std::to_string(records) + " record(s)" +
                        (mapping.webhook ? "; " + webhook_summary(*mapping.webhook) : "")};
    } catch (const std::exception& error) {
      return {false, error.what()};
    }
  }

 private:
  struct Loaded {
    std::string settings_text;
    Settings settings;
    Mapping mapping;
  };
  std::optional<Loaded> pushed_;
};

const campaign_hub::Descriptor kDescriptor{
    .name = "rest-json",
    .version = "1.0.0",
    .kind = "partner",
    .summary = "Any REST/JSON provider described by a mapping file (config/providers/)",
    .settings_schema = settings_schema,
    .capabilities = campaign_hub::capability_check | campaign_hub::capability_webhook,
};

}  // namespace
}  // namespace rest_json

CAMPAIGN_HUB_PLUGIN(rest_json::RestJson, rest_json::kDescriptor)
