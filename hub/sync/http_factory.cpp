#include "hub/sync/http_factory.h"

#include "connectors/http/client.h"

namespace hub {
namespace {

class ConnectorHttp : public MeteredHttp {
 public:
  explicit ConnectorHttp(std::unique_ptr<connectors::http::Client> client)
      : client_(std::move(client)) {}
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    return client_->send(request);
  }
  HttpCounters counters() const override {
    const auto& c = client_->counters();
    return {c.requests, c.retries, c.bytes, c.rate_limit_wait_ms};
  }

 private:
  std::unique_ptr<connectors::http::Client> client_;
};

}  // namespace

HttpFactory connector_http_factory() {
  return [](const std::string& http_json, campaign_hub::Logger& logger) {
    return std::unique_ptr<MeteredHttp>(
        std::make_unique<ConnectorHttp>(connectors::http::make_client(http_json, logger)));
  };
}

}  // namespace hub
