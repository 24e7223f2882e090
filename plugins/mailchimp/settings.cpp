#include "plugins/mailchimp/settings.h"

#include <cctype>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace mailchimp {
namespace {

[[noreturn]] void fail(std::string_view where, std::string_view what) {
  throw SettingsError("settings." + std::string(where) + ": " + std::string(what));
}

int integer_of(const rapidjson::Value& value, std::string_view where, int low, int high) {
  if (!value.IsInt() || value.GetInt() < low || value.GetInt() > high) {
    fail(where, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return value.GetInt();
}

}  // namespace

std::string data_center_of(std::string_view text) {
  const auto dash = text.rfind('-');
  std::string_view dc = dash == std::string_view::npos ? text : text.substr(dash + 1);
  // A data centre is letters then digits: us21, eu1.
  std::size_t letters = 0;
  while (letters < dc.size() && std::islower(static_cast<unsigned char>(dc[letters]))) {
    ++letters;
  }
  bool digits = letters > 0 && letters < dc.size();
  for (std::size_t i = letters; i < dc.size() && digits; ++i) {
    digits = std::isdigit(static_cast<unsigned char>(dc[i])) != 0;
  }
  if (!digits) {
    fail("data_center",
         "must be a Mailchimp data centre such as \"us21\", or the API key whose suffix names it "
         "(\"...-us21\")");
  }
  return std::string(dc);
}

Settings parse_settings(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    throw SettingsError("settings: not valid JSON at offset " +
                        std::to_string(document.GetErrorOffset()) + ": " +
                        rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) {
    throw SettingsError("settings: must be an object");
  }
  Settings settings;
  std::string base_url;
  std::string data_center;
  for (const auto& member : document.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    const auto& value = member.value;
    if (key == "base_url") {
      if (!value.IsString() || value.GetStringLength() == 0) {
        fail(key, "must be a URL such as \"https://us21.api.mailchimp.com/3.0\"");
      }
      base_url.assign(value.GetString(), value.GetStringLength());
      if (!base_url.starts_with("http://") && !base_url.starts_with("https://")) {
        fail(key, "must start with http:// or https://");
      }
    } else if (key == "data_center") {
      if (!value.IsString() || value.GetStringLength() == 0) {
        fail(key, "must be a non-empty string such as \"us21\"");
      }
      data_center = data_center_of({value.GetString(), value.GetStringLength()});
    } else if (key == "page_size") {
      settings.page_size = integer_of(value, key, 1, 1000);
    } else if (key == "report_refresh_days") {
      settings.report_refresh_days = integer_of(value, key, 0, 365);
    } else {
      fail(key,
           "unknown setting; the settings are base_url, data_center, page_size, "
           "report_refresh_days");
    }
  }
  if (!base_url.empty()) {
    while (base_url.ends_with('/')) {
      base_url.pop_back();
    }
    settings.api_root = base_url;
  } else if (!data_center.empty()) {
    settings.api_root = "https://" + data_center + ".api.mailchimp.com/3.0";
  }
  return settings;
}

}  // namespace mailchimp
