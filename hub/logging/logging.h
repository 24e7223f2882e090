// The hub's one logger (spdlog), as text or JSON lines on stderr, with every known secret
// value redacted from every line, whoever wrote it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_hub/host.h"

namespace spdlog {
class logger;
}

namespace hub {

// level: debug, info, warn, error, off. format: text or json. Replaces the default logger.
void setup_logging(const std::string& level, const std::string& format);

// Adds values that must never be printed (resolved ${env:...} and ${file:...} secrets), in
// every encoded form (connectors/text/secret_redactor.h).
void add_secrets(const std::vector<std::string>& secrets);

// Replaces every known secret in `text` with "***".
std::string redact(std::string_view text);

// What a plugin logs, under its instance's name.
class PluginLogger : public campaign_hub::Logger {
 public:
  explicit PluginLogger(const std::string& instance);
  void log(campaign_hub::LogLevel level, std::string_view message) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;  // the hub's logger, named after the instance
};

}  // namespace hub
