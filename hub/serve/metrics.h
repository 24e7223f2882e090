// The Prometheus metrics of `campaign-hub serve`: what each instance's runs came to (runs by
// state, records, HTTP use, plugin deaths, durations), its retry state, and how many runs are
// going. Run threads report into it; the HTTP listener's GET /metrics reads the text
// exposition. prometheus-cpp keeps the values and writes the text; it stays out of this header
// so that only metrics.cpp builds against it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "hub/sync/run_types.h"

namespace hub {

// Thread-safe: any thread may report while another reads exposition().
class ServeMetrics {
 public:
  // `worker`: the serve's id in the workers table, a label on every series (several workers
  // on one database each expose their own); empty: no such label.
  explicit ServeMetrics(const std::string& worker = "");
  ~ServeMetrics();
  ServeMetrics(const ServeMetrics&) = delete;
  ServeMetrics& operator=(const ServeMetrics&) = delete;

  // A run of `instance` has begun (runs_in_progress + 1).
  void run_started(const std::string& instance);
  // A run has ended, however it ended: counts it by its state, its records, its HTTP use and
  // how its process died, observes its duration, and takes it off runs_in_progress. Each call
  // must follow one run_started.
  void run_finished(const InstanceResult& result);
  // The instance's retry state after a run: its consecutive failures and the wait before its
  // next try (both 0 when healthy).
  void backoff(const std::string& instance, int consecutive_failures, std::chrono::seconds wait);
  // The instance left the config: its gauges go, so that a dashboard stops showing a stale
  // state. Its counters stay, since a counter that vanishes looks to rate() like a reset.
  void instance_removed(const std::string& instance);

  // A request pushed to POST /webhooks/{instance}, by what the listener answered: accepted,
  // duplicate, unauthorized, too_large, unsupported_type, unavailable, unknown_instance.
  void webhook(const std::string& instance, const std::string& outcome);

  // Every metric in the Prometheus text format 0.0.4, for GET /metrics.
  std::string exposition() const;

 private:
  struct Families;
  std::unique_ptr<Families> families_;
};

}  // namespace hub
