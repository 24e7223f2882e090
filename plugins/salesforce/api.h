// GET requests to Salesforce through the hub's connector, with what the connector does not
// know about Salesforce: back-off on REQUEST_LIMIT_EXCEEDED and the API usage of the org.
#pragma once

#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "campaign_hub/host.h"
#include "plugins/salesforce/settings.h"

namespace salesforce {

class SalesforceApi {
 public:
  using Sleep = std::function<void(int milliseconds)>;

  SalesforceApi(campaign_hub::Host& host, const Settings& settings, Sleep sleep = {});

  // Safe from several threads (the objects' pages are fetched side by side). A 2xx answer, or
  // throws: campaign_hub::HttpError from the connector (after this class's
  // own back-off when the error is REQUEST_LIMIT_EXCEEDED), std::runtime_error for a 3xx, 404
  // or 410 the connector hands back. Each answer's Sforce-Limit-Info goes to the run summary.
  campaign_hub::HttpResponse get(const std::string& url);

  // The last api-usage figure seen ("25/15000").
  std::optional<std::string> usage() const {
    std::lock_guard lock(usage_mutex_);
    return usage_;
  }

 private:
  campaign_hub::Host& host_;
  LimitBackoff backoff_;
  std::optional<int> batch_size_;
  Sleep sleep_;
  mutable std::mutex usage_mutex_;
  std::optional<std::string> usage_;
};

// Whether an error from the connector is Salesforce's REQUEST_LIMIT_EXCEEDED (403 on a real
// org, 429 from the simulator, once the connector's own retries are spent).
bool is_request_limit(const campaign_hub::HttpError& error);

// An error in the words of a Salesforce admin, on one line: a refused OAuth2 client says which
// settings to check, a REST error array in a connector message is spelled out.
std::string explain(const std::exception& error);

}  // namespace salesforce
