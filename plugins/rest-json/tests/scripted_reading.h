// A mapping read through a scripted connector: answers by exact URL (and, for a POST, by URL and
// body), every request kept (child pages are fetched side by side, so in any order: compare
// them `sorted`), records and checkpoints caught by a recording emitter.
#pragma once

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/stream_reader.h"

namespace rest_json {

class ScriptedHttp : public campaign_hub::Http {
 public:
  std::map<std::string, campaign_hub::HttpResponse> answers;
  // A POST's answer, by URL and the body exactly as sent.
  std::map<std::pair<std::string, std::string>, campaign_hub::HttpResponse> posts;
  std::vector<std::string> asked;
  std::vector<campaign_hub::HttpRequest> requests;

  void answer(const std::string& url, std::string body, campaign_hub::Headers headers = {}) {
    answers[url] = {200, std::move(headers), std::move(body)};
  }
  void answer_post(const std::string& url, const std::string& request_body, std::string body) {
    posts[{url, request_body}] = {200, {}, std::move(body)};
  }
  campaign_hub::HttpResponse send(const campaign_hub::HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    asked.push_back(request.url);
    requests.push_back(request);
    if (request.method == "POST") {
      auto found = posts.find({request.url, request.body});
      return found == posts.end() ? campaign_hub::HttpResponse{404, {}, "{}"} : found->second;
    }
    auto found = answers.find(request.url);
    if (found == answers.end())
      return {404, {}, "{}"};
    return found->second;
  }

 private:
  std::mutex mutex_;
};

inline std::vector<std::string> sorted(std::vector<std::string> urls) {
  std::sort(urls.begin(), urls.end());
  return urls;
}

struct Reading {
  campaign_hub::test_doubles::FakeHost host;
  ScriptedHttp http;
  campaign_hub::test_doubles::RecordingEmitter emit;

  void read(const std::string& mapping_json,
            std::map<std::string, std::string, std::less<>> cursors = {}) {
    host.http_connector = &http;
    host.cursors = std::move(cursors);
    Settings settings;
    settings.mapping = "test.json";
    Mapping mapping = parse_mapping(mapping_json, "test.json");
    StreamReader(mapping, settings, host, &emit).read_all();
  }
};

// A body of ../shared/recorded, read in place; empty when that folder is not beside the project.
inline std::string recorded(const std::string& name) {
  std::ifstream in(std::string(CAMPAIGN_HUB_SOURCE_DIR) + "/../shared/recorded/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string one_stream(const std::string& body) {
  return R"({"provider": "Test", "time_zone": "Europe/Paris", "streams": [{"name": "s", )" + body +
         "}]}";
}

}  // namespace rest_json
