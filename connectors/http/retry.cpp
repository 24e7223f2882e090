#include "connectors/http/retry.h"

#include <algorithm>
#include <charconv>
#include <string>

#include <curl/curl.h>

namespace connectors::http {

bool retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

bool returned_status(int status) {
  return (status >= 200 && status < 400) || status == 404 || status == 410;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (value.empty())
    return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    std::int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size())
      return std::nullopt;
    return std::chrono::milliseconds(std::min<std::int64_t>(seconds, 86'400) * 1000);
  }
  // libcurl's date parser reads the three HTTP date forms (IMF-fixdate, RFC 850, asctime).
  std::string text(value);
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0)
    return std::nullopt;
  auto delay = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(delay));
}

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds max_delay,
                                        std::mt19937_64& random) {
  std::int64_t cap = base.count();
  for (int i = 1; i < retry && cap < max_delay.count(); ++i)
    cap *= 2;
  cap = std::min(cap, max_delay.count());
  if (cap <= 0)
    return std::chrono::milliseconds(0);
  std::uniform_int_distribution<std::int64_t> pick(0, cap);
  return std::chrono::milliseconds(pick(random));
}

}  // namespace connectors::http
