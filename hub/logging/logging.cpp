#include "hub/logging/logging.h"

#include <cstdio>
#include <memory>
#include <mutex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "connectors/text/secret_redactor.h"

namespace hub {
namespace {

connectors::text::SecretRedactor known_secrets;

// Formats and redacts whole lines itself, so that a secret split across a format string and
// its arguments is still caught.
class RedactingSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(bool json) : json_(json) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    std::string text = redact(std::string_view(message.payload.data(), message.payload.size()));
    std::string logger(message.logger_name.data(), message.logger_name.size());
    auto level = spdlog::level::to_string_view(message.level);
    auto seconds = std::chrono::system_clock::to_time_t(message.time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char time[32];
    std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::string line;
    if (json_) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
      out.StartObject();
      out.Key("time");
      out.String(time);
      out.Key("level");
      out.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
      if (!logger.empty()) {
        out.Key("instance");
        out.String(logger.c_str());
      }
      out.Key("message");
      out.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
      out.EndObject();
      line.assign(buffer.GetString(), buffer.GetSize());
    } else {
      line = std::string(time) + " " + std::string(level.data(), level.size()) + " " +
             (logger.empty() ? "" : "[" + logger + "] ") + text;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  bool json_;
};

}  // namespace

void setup_logging(const std::string& level, const std::string& format) {
  auto sink = std::make_shared<RedactingSink>(format == "json");
  auto logger = std::make_shared<spdlog::logger>("", sink);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void add_secrets(const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets)
    known_secrets.add(secret);
}

std::string redact(std::string_view text) {
  return known_secrets.redact(text);
}

PluginLogger::PluginLogger(const std::string& instance)
    : logger_(spdlog::default_logger()->clone(instance)) {}

void PluginLogger::log(campaign_hub::LogLevel level, std::string_view message) {
  auto spd_level = level == campaign_hub::LogLevel::debug  ? spdlog::level::debug
                   : level == campaign_hub::LogLevel::info ? spdlog::level::info
                   : level == campaign_hub::LogLevel::warn ? spdlog::level::warn
                                                           : spdlog::level::err;
  logger_->log(spd_level, message);
}

}  // namespace hub
