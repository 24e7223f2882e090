#include "hub/sync/instance_host.h"

#include <stdexcept>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hub/config/config.h"

namespace hub {

InstanceHost::InstanceHost(std::string instance, std::string settings, std::string http_json,
                           std::map<std::string, std::string> cursors, HttpFactory http_factory)
    : instance_(std::move(instance)),
      settings_(std::move(settings)),
      http_json_(std::move(http_json)),
      cursors_(cursors.begin(), cursors.end()),
      http_factory_(std::move(http_factory)),
      logger_(instance_) {
  // A configured connector is built now, so that a mistake in its settings fails the run
  // before the plugin starts rather than on its first request.
  if (!http_json_.empty() && http_factory_)
    http();
}

std::optional<std::string> InstanceHost::cursor(std::string_view stream) const {
  if (auto found = cursors_.find(stream); found != cursors_.end())
    return found->second;
  return std::nullopt;
}

campaign_hub::Http& InstanceHost::http() {
  if (!http_) {
    if (!http_factory_) {
      throw std::logic_error("instance '" + instance_ + "': this hub has no HTTP connector");
    }
    try {
      http_ = http_factory_(http_json_.empty() ? "{}" : http_json_, logger_);
    } catch (const std::invalid_argument& error) {
      throw ConfigError("instance '" + instance_ + "': http" + error.what());
    }
  }
  return *http_;
}

void InstanceHost::note(std::string_view key, std::string_view value) {
  notes_[std::string(key)] = std::string(value);
}

std::string InstanceHost::notes_json() const {
  if (notes_.empty())
    return {};
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
  out.StartObject();
  for (const auto& [key, value] : notes_) {
    out.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace hub
