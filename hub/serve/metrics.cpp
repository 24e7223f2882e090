#include "hub/serve/metrics.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace hub {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// From a tenth of a second (a run with nothing new) to an hour (a full refresh of a large
// account); past that, run_timeout_seconds is the better alarm.
const Histogram::BucketBoundaries kDurationBuckets = {0.1, 0.25, 0.5, 1,   2.5,  5,    10,  30,
                                                      60,  120,  300, 600, 1200, 1800, 3600};

// The unix time of a summary's finished_at ("2026-03-01T08:30:00Z", a fraction of a second
// allowed), so that the gauge agrees with the runs table; now when it is missing or not in
// that form.
double unix_time_of(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf", &year, &month, &day, &hour, &minute,
                  &second) == 6) {
    std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                     std::chrono::day(day)};
    if (date.ok() && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 &&
        second < 61) {
      auto days = std::chrono::sys_days(date).time_since_epoch();
      return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(days).count()) +
             hour * 3600.0 + minute * 60.0 + second;
    }
  }
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A run that never set its state (it failed before the runs table heard of it) counts by its
// outcome, so that runs_total never shows a finished run as "running".
std::string state_of(const InstanceResult& result) {
  const std::string& state = result.summary.state;
  if (!state.empty() && state != "running")
    return state;
  return outcome_name(result.outcome);
}

}  // namespace

struct ServeMetrics::Families {
  explicit Families(std::map<std::string, std::string> constant) : labels(std::move(constant)) {}

  // On every series: the worker that serves them, when several share a database.
  std::map<std::string, std::string> labels;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  Family<Counter>& runs =
      BuildCounter()
          .Name("campaign_hub_runs_total")
          .Help(
              "Finished runs of each instance, by the state recorded in the runs table "
              "(succeeded, partial, failed, skipped, interrupted).")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& records =
      BuildCounter()
          .Name("campaign_hub_records_total")
          .Help(
              "Records of each instance and entity (campaign, opportunity, participant, step, "
              "metrics) by what became of them: read from the provider, then inserted, "
              "updated, unchanged or quarantined as invalid.")
          .Labels(labels)
          .Register(*registry);
  Family<Histogram>& duration =
      BuildHistogram()
          .Name("campaign_hub_run_duration_seconds")
          .Help(
              "How long each instance's runs took, in seconds (runs skipped for a held lease "
              "are not counted).")
          .Labels(labels)
          .Register(*registry);
  Family<Gauge>& last_success =
      BuildGauge()
          .Name("campaign_hub_last_success_timestamp_seconds")
          .Help("Unix time at which the instance's last succeeded or partial run finished.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& http_requests =
      BuildCounter()
          .Name("campaign_hub_http_requests_total")
          .Help("HTTP requests each instance's runs sent to its provider, every attempt counted.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& http_retries =
      BuildCounter()
          .Name("campaign_hub_http_retries_total")
          .Help(
              "HTTP requests each instance's runs sent again: after a network error, a "
              "retryable status (429, 5xx) or an expired token.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& http_bytes =
      BuildCounter()
          .Name("campaign_hub_http_response_bytes_total")
          .Help(
              "Bytes of HTTP response bodies each instance's runs downloaded, before any "
              "decompression.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& rate_limit_wait =
      BuildCounter()
          .Name("campaign_hub_rate_limit_wait_seconds_total")
          .Help("Seconds each instance's runs spent waiting on the provider's rate limits.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& lease_skips =
      BuildCounter()
          .Name("campaign_hub_lease_skips_total")
          .Help("Runs of each instance skipped because another process held its lease.")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& deaths =
      BuildCounter()
          .Name("campaign_hub_plugin_deaths_total")
          .Help(
              "Runs whose plugin process died, by cause: crash (a signal), timeout (past "
              "run_timeout_seconds), memory (over memory_limit_mib), killed (past the stop "
              "grace period).")
          .Labels(labels)
          .Register(*registry);
  Family<Gauge>& failures =
      BuildGauge()
          .Name("campaign_hub_consecutive_failures")
          .Help("Failed runs of each instance in a row since its last success (0 when healthy).")
          .Labels(labels)
          .Register(*registry);
  Family<Gauge>& backoff =
      BuildGauge()
          .Name("campaign_hub_retry_backoff_seconds")
          .Help(
              "Seconds each instance waits before retrying after its failures (0 when "
              "healthy).")
          .Labels(labels)
          .Register(*registry);
  Family<Counter>& webhooks =
      BuildCounter()
          .Name("campaign_hub_webhooks_total")
          .Help(
              "Requests pushed to POST /webhooks/{instance}, by what the listener answered: "
              "accepted (kept), duplicate (kept before), unauthorized (401: unsigned, wrongly "
              "signed or stale), too_large (413), unsupported_type (415), unavailable (503: "
              "the database could not keep it), unknown_instance (404).")
          .Labels(labels)
          .Register(*registry);
  Gauge& in_progress = BuildGauge()
                           .Name("campaign_hub_runs_in_progress")
                           .Help("Runs going on now, across all instances.")
                           .Labels(labels)
                           .Register(*registry)
                           .Add({});

  // Per-instance gauges are removed (instance_removed) while run threads may be setting them:
  // a child reference from Family::Add must not outlive its Remove, so both happen under this
  // lock. Counters and the histogram are never removed and need none.
  std::mutex gauges_mutex;

  void set_gauge(Family<Gauge>& family, const std::string& instance, double value) {
    std::lock_guard lock(gauges_mutex);
    family.Add({{"instance", instance}}).Set(value);
  }
  void remove_gauge(Family<Gauge>& family, const std::string& instance) {
    std::lock_guard lock(gauges_mutex);
    if (family.Has({{"instance", instance}}))
      family.Remove(&family.Add({{"instance", instance}}));
  }
};

ServeMetrics::ServeMetrics(const std::string& worker)
    : families_(std::make_unique<Families>(
          worker.empty() ? std::map<std::string, std::string>{}
                         : std::map<std::string, std::string>{{"worker", worker}})) {}

ServeMetrics::~ServeMetrics() = default;

void ServeMetrics::run_started(const std::string&) {
  families_->in_progress.Increment();
}

void ServeMetrics::run_finished(const InstanceResult& result) {
  Families& f = *families_;
  const std::string& instance = result.instance;
  const RunSummary& summary = result.summary;
  const std::string state = state_of(result);

  f.runs.Add({{"instance", instance}, {"state", state}}).Increment();

  // Every result label of an entity is created with its first count, at 0 if need be, so
  // that rate() over a series that starts later does not miss its first increase.
  for (const auto& [entity, tally] : summary.entities) {
    const std::pair<const char*, std::int64_t> records[] = {{"read", tally.read},
                                                            {"inserted", tally.inserted},
                                                            {"updated", tally.updated},
                                                            {"unchanged", tally.unchanged},
                                                            {"quarantined", tally.quarantined}};
    for (const auto& [name, count] : records) {
      // Counters only go up; a negative count would be a bug elsewhere, not a decrease.
      f.records.Add({{"instance", instance}, {"entity", entity}, {"result", name}})
          .Increment(static_cast<double>(std::max<std::int64_t>(count, 0)));
    }
  }
  const auto add = [&instance](Family<Counter>& family, double amount) {
    family.Add({{"instance", instance}}).Increment(std::max(amount, 0.0));
  };
  add(f.http_requests, static_cast<double>(summary.http_requests));
  add(f.http_retries, static_cast<double>(summary.http_retries));
  add(f.http_bytes, static_cast<double>(summary.http_bytes));
  add(f.rate_limit_wait, static_cast<double>(summary.rate_limit_wait_ms) / 1000.0);

  if (state == "skipped") {
    f.lease_skips.Add({{"instance", instance}}).Increment();
  } else {
    // A skipped run did no work; its near-zero duration would only pull the quantiles down.
    f.duration.Add({{"instance", instance}}, kDurationBuckets)
        .Observe(std::max(summary.duration_seconds, 0.0));
  }
  if (state == "succeeded" || state == "partial")
    f.set_gauge(f.last_success, instance, unix_time_of(summary.finished_at));
  if (!result.death.empty())
    f.deaths.Add({{"instance", instance}, {"cause", result.death}}).Increment();

  f.in_progress.Decrement();
}

void ServeMetrics::backoff(const std::string& instance, int consecutive_failures,
                           std::chrono::seconds wait) {
  families_->set_gauge(families_->failures, instance, consecutive_failures);
  families_->set_gauge(families_->backoff, instance, static_cast<double>(wait.count()));
}

void ServeMetrics::webhook(const std::string& instance, const std::string& outcome) {
  families_->webhooks.Add({{"instance", instance}, {"outcome", outcome}}).Increment();
}

void ServeMetrics::instance_removed(const std::string& instance) {
  families_->remove_gauge(families_->last_success, instance);
  families_->remove_gauge(families_->failures, instance);
  families_->remove_gauge(families_->backoff, instance);
}

std::string ServeMetrics::exposition() const {
  return prometheus::TextSerializer().Serialize(families_->registry->Collect());
}

}  // namespace hub
