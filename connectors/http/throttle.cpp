#include "connectors/http/throttle.h"

#include <algorithm>
#include <thread>

namespace connectors::http {

TokenBucket::TokenBucket(double requests_per_second, std::int64_t burst)
    : rate_(requests_per_second),
      capacity_(static_cast<double>(burst)),
      tokens_(static_cast<double>(burst)),
      last_(std::chrono::steady_clock::now()) {}

std::chrono::milliseconds TokenBucket::acquire() {
  if (rate_ <= 0)
    return std::chrono::milliseconds(0);
  std::chrono::duration<double> wait(0);
  {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    tokens_ =
        std::min(capacity_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    // Take the token now, even if that leaves the bucket in debt: callers then queue up in
    // order, each sleeping for its own share, without re-checking.
    tokens_ -= 1;
    if (tokens_ < 0)
      wait = std::chrono::duration<double>(-tokens_ / rate_);
  }
  auto sleep = std::chrono::ceil<std::chrono::milliseconds>(wait);
  if (sleep.count() > 0)
    std::this_thread::sleep_for(sleep);
  return sleep;
}

void InFlightLimit::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return free_ > 0; });
  --free_;
}

void InFlightLimit::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace connectors::http
