// An Http for unit tests: answers by URL prefix, in order, and keeps every URL asked for.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "campaign_hub/host.h"

namespace salesforce_test {

class ScriptedHttp : public campaign_hub::Http {
 public:
  using Answer = std::variant<campaign_hub::HttpResponse, campaign_hub::HttpError>;

  // The next request whose URL starts with `prefix` gets `answer` (answers queue per prefix;
  // the last one repeats).
  void on(const std::string& prefix, Answer answer) { answers_[prefix].push_back(answer); }

  static campaign_hub::HttpResponse ok(std::string body, std::string usage = "") {
    campaign_hub::HttpResponse response;
    response.status = 200;
    response.body = std::move(body);
    if (!usage.empty())
      response.headers.emplace_back("Sforce-Limit-Info", "api-usage=" + usage);
    return response;
  }

  // Safe from several threads: the objects' pages are fetched side by side.
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    urls.push_back(request.url);
    std::string best;
    for (const auto& [prefix, queue] : answers_) {
      if (request.url.rfind(prefix, 0) == 0 && prefix.size() >= best.size() && !queue.empty())
        best = prefix;
    }
    if (best.empty() && answers_.count("") == 0)
      throw std::logic_error("ScriptedHttp: nothing scripted for " + request.url);
    auto& queue = answers_[best];
    Answer answer = queue.front();
    if (queue.size() > 1)
      queue.pop_front();
    if (auto* error = std::get_if<campaign_hub::HttpError>(&answer))
      throw *error;
    return std::get<campaign_hub::HttpResponse>(answer);
  }

  std::vector<std::string> urls;

 private:
  std::mutex mutex_;
  std::map<std::string, std::deque<Answer>> answers_;
};

}  // namespace salesforce_test
