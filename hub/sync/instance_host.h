// The services one provider instance gets for one run (campaign_hub::Host).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "campaign_hub/host.h"
#include "hub/logging/logging.h"

namespace hub {

struct HttpCounters {
  std::int64_t requests = 0;
  std::int64_t retries = 0;
  std::int64_t bytes = 0;
  std::int64_t rate_limit_wait_ms = 0;
};

// An HTTP connector that counts what it did, for the run summary.
class MeteredHttp : public campaign_hub::Http {
 public:
  virtual HttpCounters counters() const = 0;
};

// Builds the HTTP connector of an instance from its `http` config object. The CLI hands in
// connectors/http; tests hand in what they need.
using HttpFactory = std::function<std::unique_ptr<MeteredHttp>(const std::string& http_json,
                                                               campaign_hub::Logger& logger)>;

class InstanceHost : public campaign_hub::Host {
 public:
  InstanceHost(std::string instance, std::string settings, std::string http_json,
               std::map<std::string, std::string> cursors, HttpFactory http_factory);

  campaign_hub::Logger& logger() override { return logger_; }
  const std::string& settings() const override { return settings_; }
  std::optional<std::string> cursor(std::string_view stream) const override;
  campaign_hub::Http& http() override;
  void note(std::string_view key, std::string_view value) override;

  // The plugin's notes as a JSON object, or empty when it made none.
  std::string notes_json() const;

  // What the connector did, if the plugin used one.
  HttpCounters http_counters() const { return http_ ? http_->counters() : HttpCounters{}; }

 private:
  std::string instance_;
  std::string settings_;
  std::string http_json_;
  std::map<std::string, std::string, std::less<>> cursors_;
  HttpFactory http_factory_;
  PluginLogger logger_;
  std::unique_ptr<MeteredHttp> http_;
  std::map<std::string, std::string, std::less<>> notes_;
};

}  // namespace hub
