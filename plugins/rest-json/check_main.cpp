// rest-json-check FILE...: loads each mapping file as the plugin does and prints "ok: ..." or
// the one-line error ("<file>: <pointer>: <sentence> (<rule>)"). Exit code 1 if any fails.
//
// rest-json-check --probe URL [--header "Name: value"]... [--output FILE]: asks URL once (GET),
// reports where the records are and how pages follow, and writes a mapping skeleton (to FILE,
// or standard output) that loads as it is. Exit code 1 if the answer is not 2xx JSON.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/http/client.h"
#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/probe.h"
#include "plugins/rest-json/webhook_events.h"

namespace {

class StderrLogger : public campaign_hub::Logger {
 public:
  void log(campaign_hub::LogLevel level, std::string_view message) override {
    if (level >= campaign_hub::LogLevel::warn)
      std::cerr << message << "\n";
  }
};

int usage() {
  std::cerr << "usage: rest-json-check MAPPING.json...\n"
               "       rest-json-check --probe URL [--header \"Name: value\"]... [--output "
               "FILE]\n";
  return 2;
}

int probe(const std::vector<std::string_view>& args) {
  std::string url, output;
  std::vector<std::pair<std::string, std::string>> headers;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--probe" && has_value) {
      url = args[++i];
    } else if (args[i] == "--output" && has_value) {
      output = args[++i];
    } else if (args[i] == "--header" && has_value) {
      std::string_view header = args[++i];
      auto colon = header.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        std::cerr << "--header " << header << ": not \"Name: value\"\n";
        return 2;
      }
      std::string_view value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
      headers.emplace_back(header.substr(0, colon), value);
    } else {
      return usage();
    }
  }
  if (url.empty())
    return usage();
  // The connector's own settings: its retries, time-outs and refusal of credentials over
  // plain http to another host; the headers are sent as given.
  rapidjson::StringBuffer settings;
  rapidjson::Writer<rapidjson::StringBuffer> w(settings);
  w.StartObject();
  w.Key("headers");
  w.StartObject();
  for (const auto& [name, value] : headers) {
    w.Key(name.c_str());
    w.String(value.c_str());
  }
  w.EndObject();
  w.EndObject();
  StderrLogger logger;
  campaign_hub::HttpResponse response;
  try {
    connectors::http::Client client(connectors::http::parse_settings(settings.GetString()), logger);
    campaign_hub::HttpRequest request;
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    response = client.send(request);
  } catch (const std::exception& error) {
    std::cerr << "probe: " << error.what() << "\n";
    return 1;
  }
  if (response.status < 200 || response.status > 299) {
    std::cerr << "probe: GET " << url.substr(0, url.find('?')) << " answered " << response.status
              << "\n";
    return 1;
  }
  rapidjson::Document body;
  body.Parse(response.body.data(), response.body.size());
  if (body.HasParseError()) {
    std::cerr << "probe: the answer is not JSON\n";
    return 1;
  }
  const rest_json::Probe found = rest_json::probe_page(body, response, url);
  std::cerr << rest_json::probe_report(found);
  const std::string skeleton = rest_json::probe_skeleton(found, url);
  if (output.empty()) {
    std::cout << skeleton;
  } else {
    std::ofstream(output) << skeleton;
    std::cerr << "wrote " << output << "; check it with rest-json-check " << output << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty())
    return usage();
  if (std::find(args.begin(), args.end(), std::string_view("--probe")) != args.end())
    return probe(args);
  int code = 0;
  for (auto file : args) {
    try {
      auto mapping = rest_json::load_mapping(std::string(file));
      std::cout << "ok: " << file << " (" << mapping.provider << "), " << mapping.streams.size()
                << " top-level stream(s)"
                << (mapping.webhook ? "; " + rest_json::webhook_summary(*mapping.webhook) : "")
                << "\n";
    } catch (const rest_json::MappingError& error) {
      std::cout << error.what() << "\n";
      code = 1;
    }
  }
  return code;
}
