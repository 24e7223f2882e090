// The hub's HTTP connector for plugins: connectors/http behind the MeteredHttp interface.
#include "hub/cli/context.h"

#ifdef CAMPAIGN_HUB_HAS_HTTP
#include "connectors/http/client.h"
#endif

namespace hub {
namespace {

#ifdef CAMPAIGN_HUB_HAS_HTTP
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
#endif

}  // namespace

HttpFactory Context::http_factory() const {
#ifdef CAMPAIGN_HUB_HAS_HTTP
  return [](const std::string& http_json, campaign_hub::Logger& logger) {
    return std::unique_ptr<MeteredHttp>(
        new ConnectorHttp(connectors::http::make_client(http_json, logger)));
  };
#else
  return {};
#endif
}

}  // namespace hub
