// What the hub hands a plugin while it runs: services in, records out.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/config.hpp>

#include "campaign_hub/ascii.h"
#include "campaign_hub/records.h"

namespace campaign_hub {

// Where a plugin streams what it reads. Records are taken in order; a checkpoint says "every
// record of `stream` emitted before this point may be committed, and the next run may resume
// from `cursor`". The hub stores the cursor in the same transaction as those records.
class BOOST_SYMBOL_VISIBLE Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void campaign(Campaign record) = 0;
  virtual void opportunity(Opportunity record) = 0;
  virtual void participant(Participant record) = 0;
  virtual void step(Step record) = 0;
  virtual void metrics(Metrics record) = 0;
  virtual void checkpoint(std::string_view stream, std::string_view cursor) = 0;
  // A record the plugin read but cannot express: the hub stores it in quarantine with this
  // reason, and counts it as read and quarantined. `entity` is "campaign", "opportunity",
  // "participant", "step" or "metrics" (another name is a plugin bug: it fails the run);
  // `external_id` is the record's id as far as it is known (a metrics record's campaign id),
  // `field` the field at fault, `reason` a sentence an operator can act on ("probability:
  // '12k' is not a number"), `raw` the provider's record as it came. The hub cannot replay
  // such a record: a sync after the plugin or its mapping is fixed reads it again.
  virtual void reject(std::string_view entity, std::string_view external_id, std::string_view field,
                      std::string_view reason, std::string raw) = 0;
  // Says that this run has emitted (or rejected) every live record of `entity` ("campaign",
  // "opportunity", "participant" or "step"): a full read, to its end. Call it only then, never
  // after an incremental read. If the run then ends without failure, the hub marks deleted each
  // stored record of the entity this run did not emit: a soft delete, with the run and a status
  // event (the instance may opt out: detect_deletions false).
  virtual void listed_all(std::string_view entity) = 0;
};

enum class LogLevel { debug, info, warn, error };

// The hub's logger. Never log a secret: the hub redacts the ones it knows, not yours.
class BOOST_SYMBOL_VISIBLE Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) = 0;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// The first header of that name in `headers`, compared case-insensitively.
inline std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name))
      return value;
  }
  return std::nullopt;
}

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, or relative to the instance's base URL
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // The first header of that name, compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// The hub's HTTP connector (connectors/http). `send` returns once it has a final answer: a
// 2xx or 3xx, or 404 and 410, which a plugin may expect ("that campaign is gone"). It throws
// HttpError for any other 4xx at once (401 after one token renewal, for OAuth2), and when
// retries of 408, 429, 5xx or a network failure are spent; the message names the URL without
// secrets, the status and the first bytes of the body.
class BOOST_SYMBOL_VISIBLE Http {
 public:
  virtual ~Http() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

class BOOST_SYMBOL_VISIBLE HttpError : public std::runtime_error {
 public:
  HttpError(const std::string& message, int status)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }  // 0 for a network failure

 private:
  int status_;
};

// The services of one provider instance, for the length of one call.
class BOOST_SYMBOL_VISIBLE Host {
 public:
  virtual ~Host() = default;
  virtual Logger& logger() = 0;
  // The instance's `settings` object from the config, as JSON text, secrets resolved.
  virtual const std::string& settings() const = 0;
  // The cursor saved for `stream` by the last committed checkpoint; empty on a first sync,
  // after `--full-refresh`, or after `state reset`.
  virtual std::optional<std::string> cursor(std::string_view stream) const = 0;
  // The HTTP connector of this instance, set up from its `http` config object (base URL,
  // auth, timeouts, retries, rate limit) on first use, and reused for the whole run.
  virtual Http& http() = 0;
  // Adds a figure to the run's summary ("api_usage", "12/15000"); a later note of the same key
  // replaces it. Shown by `campaign-hub runs show`.
  virtual void note(std::string_view /*key*/, std::string_view /*value*/) {}
};

}  // namespace campaign_hub
