// Limits on how hard one instance may press its provider: a request-rate token bucket and a cap
// on requests in flight.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace connectors::http {

class TokenBucket {
 public:
  // rate 0 means no limit.
  TokenBucket(double requests_per_second, std::int64_t burst);
  // Takes one token, sleeping until it is there; returns how long it slept.
  std::chrono::milliseconds acquire();

 private:
  double rate_;
  double capacity_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  std::mutex mutex_;
};

class InFlightLimit {
 public:
  explicit InFlightLimit(std::int64_t limit) : free_(limit) {}
  void acquire();
  void release();

 private:
  std::int64_t free_;
  std::mutex mutex_;
  std::condition_variable freed_;
};

}  // namespace connectors::http
