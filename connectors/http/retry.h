// The retry rules of the connector, apart from libcurl so that they can be tested alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace connectors::http {

// 408, 429, 500, 502, 503, 504: worth another attempt.
bool retryable_status(int status);

// Statuses handed back to the plugin as answers rather than thrown: 2xx, 3xx, 404 and 410
// ("not found" and "gone" are data to a sync, e.g. a campaign deleted since the last page).
bool returned_status(int status);

// A `Retry-After` value (delay in seconds, or an HTTP date) as a delay from `now`; nothing if it
// cannot be read. A date in the past gives zero.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// Exponential backoff with full jitter: uniform in [0, min(max_delay, base * 2^(retry-1))].
// `retry` counts from 1.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds max_delay,
                                        std::mt19937_64& random);

}  // namespace connectors::http
