// serve's webhook receiver: `POST /webhooks/{instance}` (and `/webhooks/{instance}/...`, where
// a url-secret instance's last segment is its secret). It checks the request as the
// instance's `webhook` config says (size, content type, signature, timestamp), keeps it in the
// spool, and answers: 200 once kept (or kept before: a provider's retry), 401 unsigned, wrongly
// signed or stale, 404 no such webhook, 413 too large, 415 a content type the scheme's
// providers never send, 503 the database cannot keep it now (the provider retries). It never
// loads a plugin: what a kept request says is written later by the ingestion.
// `GET` on a url-secret URL answers 200 when the secret matches (Mailchimp checks the URL so).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "hub/config/config.h"
#include "hub/serve/listener.h"
#include "hub/webhooks/signatures.h"
#include "hub/webhooks/spool.h"

namespace httplib {
struct Response;
}  // namespace httplib

namespace hub::webhooks {

class WebhookModule : public HttpModule {
 public:
  // `tls`: the listener serves HTTPS (the scheme of the URL hubspot-v3 signs).
  WebhookModule(const Config& config, bool tls);
  ~WebhookModule() override;

  void attach(httplib::Server& server) override;
  void count_into(ServeMetrics& metrics) override { metrics_ = &metrics; }
  void reconfigure(const Config& config) override;

  // Called with the instance's name each time a new request is kept (not for a duplicate),
  // from the listener's threads; set before the listener starts.
  void when_kept(std::function<void(const std::string& instance)> kept) { kept_ = std::move(kept); }

 private:
  struct Endpoint {
    WebhookConfig config;
    std::optional<Scheme> scheme;  // none: an unknown name, which verify refuses
  };
  // The request's instance and its webhook, and the path after /webhooks/{instance} with a
  // url-secret instance's secret segment split off.
  struct Target {
    std::string instance;
    Endpoint endpoint;
    std::string rest;
    std::string path_secret;
  };
  std::optional<Target> target(const httplib::Request& request);

  void receive(const httplib::Request& request, httplib::Response& response);
  void check_url(const httplib::Request& request, httplib::Response& response);
  void count(const std::string& instance, const char* outcome);

  bool tls_;
  std::size_t largest_body_;  // at start: what the listener reads at most (reload keeps it)
  std::unique_ptr<Spool> spool_;
  ServeMetrics* metrics_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, Endpoint> webhooks_;  // by instance
  std::function<void(const std::string&)> kept_;
};

// The largest body any instance's webhook may have: the listener reads no more.
std::size_t largest_body(const Config& config);

}  // namespace hub::webhooks
