// What the fuzz targets share: a provider that answers every request with the fuzzed body, as
// the HTTP connector would hand it to a plugin, and a way to fail on a broken promise.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "campaign_hub/host.h"
#include "connectors/json/depth.h"

namespace fuzz {

// A guarantee a parser documents does not hold: abort, so libFuzzer keeps the input.
[[noreturn]] inline void broken_promise(std::string_view target, std::string_view what) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(target.size()), target.data(),
               static_cast<int>(what.size()), what.data());
  std::abort();
}

// Whether connectors::http::Client::send would hand `body` to a plugin: it refuses a JSON body
// nested past kMaxJsonDepth (a parser's stack could not take it), so no plugin ever parses one.
inline bool connector_hands_over(std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (body[first] != '{' && body[first] != '['))
    return true;
  return !connectors::json::too_deep(body);
}

// Every request gets the same 200 answer, up to `pages` requests; then the provider is
// unreachable (HttpError, status 0), which ends any paging loop the body would start.
class PagesHttp : public campaign_hub::Http {
 public:
  PagesHttp(std::string body, std::size_t pages) : body_(std::move(body)), pages_(pages) {}

  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    if (sent_++ >= pages_)
      throw campaign_hub::HttpError("GET " + request.url + ": connection refused (fuzz)", 0);
    return {200, {{"Content-Type", "application/json"}}, body_};
  }

 private:
  std::string body_;
  std::size_t pages_;
  std::size_t sent_ = 0;
};

}  // namespace fuzz
