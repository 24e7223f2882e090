#include "hub/sync/instance_host.h"

#include <stdexcept>

namespace hub {

InstanceHost::InstanceHost(std::string instance, std::string settings, std::string http_json,
                           std::map<std::string, std::string> cursors, HttpFactory http_factory)
    : instance_(std::move(instance)),
      settings_(std::move(settings)),
      http_json_(std::move(http_json)),
      cursors_(cursors.begin(), cursors.end()),
      http_factory_(std::move(http_factory)),
      logger_(instance_) {}

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
    http_ = http_factory_(http_json_.empty() ? "{}" : http_json_, logger_);
  }
  return *http_;
}

}  // namespace hub
