// A Host for tests: settings and saved cursors are plain members, log lines are recorded, and
// there is no network unless a test hands one in.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "campaign_hub/host.h"

namespace campaign_hub::test_doubles {

struct LogLine {
  campaign_hub::LogLevel level;
  std::string message;
};

// Safe to log to from several threads (a plugin's requests may run side by side).
class RecordingLogger : public campaign_hub::Logger {
 public:
  std::vector<LogLine> lines;

  void log(campaign_hub::LogLevel level, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines.push_back({level, std::string(message)});
  }

  // Whether any line contains `text`.
  bool contains(std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const auto& line : lines) {
      if (line.message.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
};

class FakeHost : public campaign_hub::Host {
 public:
  explicit FakeHost(std::string settings = "{}") : settings_text(std::move(settings)) {}

  std::string settings_text;
  std::map<std::string, std::string, std::less<>> cursors;  // stream -> saved cursor
  RecordingLogger log;
  campaign_hub::Http* http_connector = nullptr;  // not owned; null: http() throws

  campaign_hub::Logger& logger() override { return log; }
  const std::string& settings() const override { return settings_text; }
  std::optional<std::string> cursor(std::string_view stream) const override {
    auto found = cursors.find(stream);
    if (found == cursors.end()) {
      return std::nullopt;
    }
    return found->second;
  }
  campaign_hub::Http& http() override {
    if (http_connector == nullptr) {
      throw std::logic_error("FakeHost: this test gives the plugin no HTTP connector");
    }
    return *http_connector;
  }
};

}  // namespace campaign_hub::test_doubles
