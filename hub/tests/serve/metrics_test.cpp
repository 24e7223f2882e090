// ServeMetrics read back the way Prometheus reads it: the exposition text parsed into samples,
// checked value by value, and linted by promtool.
#include "hub/serve/metrics.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace hub {
namespace {

using Labels = std::map<std::string, std::string>;

struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
};

// Parses one sample line, `name{label="value",...} value`, as the text format 0.0.4 writes it
// (label values escape \\, \" and \n). Fails the test on anything else.
Sample parse_sample(const std::string& line) {
  Sample sample;
  std::size_t at = line.find_first_of("{ ");
  sample.name = line.substr(0, at);
  if (at != std::string::npos && line[at] == '{') {
    ++at;
    while (at < line.size() && line[at] != '}') {
      std::size_t equals = line.find('=', at);
      EXPECT_NE(equals, std::string::npos) << line;
      EXPECT_EQ(line.at(equals + 1), '"') << line;
      std::string key = line.substr(at, equals - at);
      std::string value;
      at = equals + 2;
      for (; at < line.size() && line[at] != '"'; ++at) {
        if (line[at] == '\\' && at + 1 < line.size()) {
          ++at;
          value += line[at] == 'n' ? '\n' : line[at];
        } else {
          value += line[at];
        }
      }
      ++at;  // the closing quote
      if (at < line.size() && line[at] == ',')
        ++at;
      sample.labels[key] = value;
    }
    ++at;  // the closing brace
  }
  std::string value = line.substr(line.find_first_not_of(' ', at));
  sample.value = value == "+Inf" ? INFINITY : value == "-Inf" ? -INFINITY : std::stod(value);
  return sample;
}

struct Exposition {
  std::string text;
  std::vector<Sample> samples;
  std::vector<std::string> comments;

  explicit Exposition(std::string body) : text(std::move(body)) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.empty())
        continue;
      if (line[0] == '#')
        comments.push_back(line);
      else
        samples.push_back(parse_sample(line));
    }
  }

  // The value of the one sample with this name and exactly these labels; none when absent.
  std::optional<double> value(const std::string& name, const Labels& labels = {}) const {
    std::optional<double> found;
    for (const auto& sample : samples) {
      if (sample.name == name && sample.labels == labels) {
        EXPECT_FALSE(found) << "two samples " << name;
        found = sample.value;
      }
    }
    return found;
  }

  bool has_comment(const std::string& line) const {
    for (const auto& comment : comments) {
      if (comment.rfind(line, 0) == 0)
        return true;
    }
    return false;
  }
};

InstanceResult result_of(const std::string& instance, Outcome outcome, const std::string& state) {
  InstanceResult result;
  result.instance = instance;
  result.outcome = outcome;
  result.summary.instance = instance;
  result.summary.state = state;
  return result;
}

// Five runs over three instances, and one still going.
void feed(ServeMetrics& metrics) {
  for (int i = 0; i < 6; ++i)
    metrics.run_started(i < 2 ? "ads-a" : i < 4 ? "ads-b" : "ads-c");

  auto succeeded = result_of("ads-a", Outcome::succeeded, "succeeded");
  succeeded.summary.read = 100;
  succeeded.summary.inserted = 60;
  succeeded.summary.updated = 30;
  succeeded.summary.unchanged = 10;
  // By entity: 10 campaigns (all unchanged) and 90 opportunities.
  succeeded.summary.entities["campaign"] = {10, 0, 0, 10, 0};
  succeeded.summary.entities["opportunity"] = {90, 60, 30, 0, 0};
  succeeded.summary.http_requests = 12;
  succeeded.summary.http_retries = 2;
  succeeded.summary.http_bytes = 50000;
  succeeded.summary.rate_limit_wait_ms = 1500;
  succeeded.summary.duration_seconds = 42.5;
  succeeded.summary.finished_at = "2026-03-01T08:30:00Z";
  metrics.run_finished(succeeded);

  auto partial = result_of("ads-a", Outcome::partial, "partial");
  partial.summary.read = 10;
  partial.summary.inserted = 5;
  partial.summary.quarantined = 5;
  partial.summary.entities["opportunity"] = {10, 5, 0, 0, 5};
  partial.summary.http_requests = 1;
  partial.summary.http_bytes = 2000;
  partial.summary.rate_limit_wait_ms = 250;
  partial.summary.duration_seconds = 3;
  partial.summary.finished_at = "2026-03-01T09:00:00.500Z";
  metrics.run_finished(partial);

  auto crash = result_of("ads-b", Outcome::failed, "failed");
  crash.death = "crash";
  crash.summary.read = 7;
  crash.summary.entities["participant"] = {7, 7, 0, 0, 0};
  crash.summary.http_requests = 3;
  crash.summary.duration_seconds = 1.2;
  crash.summary.finished_at = "2026-03-01T10:00:00Z";
  metrics.run_finished(crash);
  metrics.backoff("ads-b", 1, std::chrono::seconds(60));

  auto timeout = result_of("ads-b", Outcome::failed, "failed");
  timeout.death = "timeout";
  timeout.summary.duration_seconds = 3600;  // on a bucket's bound: counted in it
  metrics.run_finished(timeout);
  metrics.backoff("ads-b", 2, std::chrono::seconds(120));

  auto skipped = result_of("ads-c", Outcome::skipped, "skipped");
  skipped.summary.duration_seconds = 0.01;
  metrics.run_finished(skipped);

  metrics.backoff("ads-a", 0, std::chrono::seconds(0));
}

TEST(ServeMetrics, CountsRunsByState) {
  ServeMetrics metrics;
  feed(metrics);
  Exposition out(metrics.exposition());
  const std::string runs = "campaign_hub_runs_total";
  EXPECT_EQ(out.value(runs, {{"instance", "ads-a"}, {"state", "succeeded"}}), 1);
  EXPECT_EQ(out.value(runs, {{"instance", "ads-a"}, {"state", "partial"}}), 1);
  EXPECT_EQ(out.value(runs, {{"instance", "ads-b"}, {"state", "failed"}}), 2);
  EXPECT_EQ(out.value(runs, {{"instance", "ads-c"}, {"state", "skipped"}}), 1);
  EXPECT_FALSE(out.value(runs, {{"instance", "ads-a"}, {"state", "failed"}}));
  EXPECT_EQ(out.value("campaign_hub_runs_in_progress"), 1);
  EXPECT_EQ(out.value("campaign_hub_lease_skips_total", {{"instance", "ads-c"}}), 1);
  EXPECT_FALSE(out.value("campaign_hub_lease_skips_total", {{"instance", "ads-a"}}));
}

TEST(ServeMetrics, CountsRecordsAndHttp) {
  ServeMetrics metrics;
  feed(metrics);
  Exposition out(metrics.exposition());
  const std::string records = "campaign_hub_records_total";
  auto of = [](const char* instance, const char* entity, const char* result) {
    return Labels{{"instance", instance}, {"entity", entity}, {"result", result}};
  };
  EXPECT_EQ(out.value(records, of("ads-a", "opportunity", "read")), 100);
  EXPECT_EQ(out.value(records, of("ads-a", "opportunity", "inserted")), 65);
  EXPECT_EQ(out.value(records, of("ads-a", "opportunity", "updated")), 30);
  EXPECT_EQ(out.value(records, of("ads-a", "opportunity", "unchanged")), 0);
  EXPECT_EQ(out.value(records, of("ads-a", "opportunity", "quarantined")), 5);
  EXPECT_EQ(out.value(records, of("ads-a", "campaign", "read")), 10);
  EXPECT_EQ(out.value(records, of("ads-a", "campaign", "unchanged")), 10);
  EXPECT_EQ(out.value(records, of("ads-b", "participant", "read")), 7);
  // A run that read nothing adds no series.
  EXPECT_FALSE(out.value(records, of("ads-c", "campaign", "read")));

  const Labels a = {{"instance", "ads-a"}};
  EXPECT_EQ(out.value("campaign_hub_http_requests_total", a), 13);
  EXPECT_EQ(out.value("campaign_hub_http_retries_total", a), 2);
  EXPECT_EQ(out.value("campaign_hub_http_response_bytes_total", a), 52000);
  EXPECT_EQ(out.value("campaign_hub_rate_limit_wait_seconds_total", a), 1.75);
  EXPECT_EQ(out.value("campaign_hub_http_requests_total", {{"instance", "ads-b"}}), 3);
}

TEST(ServeMetrics, CountsDeathsAndObservesDurations) {
  ServeMetrics metrics;
  feed(metrics);
  Exposition out(metrics.exposition());
  const std::string deaths = "campaign_hub_plugin_deaths_total";
  EXPECT_EQ(out.value(deaths, {{"instance", "ads-b"}, {"cause", "crash"}}), 1);
  EXPECT_EQ(out.value(deaths, {{"instance", "ads-b"}, {"cause", "timeout"}}), 1);
  for (const auto& sample : out.samples) {
    if (sample.name == deaths) {
      EXPECT_EQ(sample.labels.at("instance"), "ads-b");
    }
  }

  const std::string duration = "campaign_hub_run_duration_seconds";
  EXPECT_EQ(out.value(duration + "_count", {{"instance", "ads-a"}}), 2);
  EXPECT_EQ(out.value(duration + "_sum", {{"instance", "ads-a"}}), 45.5);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-a"}, {"le", "2.5"}}), 0);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-a"}, {"le", "5"}}), 1);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-a"}, {"le", "60"}}), 2);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-a"}, {"le", "+Inf"}}), 2);
  EXPECT_EQ(out.value(duration + "_count", {{"instance", "ads-b"}}), 2);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-b"}, {"le", "0.1"}}), 0);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-b"}, {"le", "2.5"}}), 1);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-b"}, {"le", "1800"}}), 1);
  EXPECT_EQ(out.value(duration + "_bucket", {{"instance", "ads-b"}, {"le", "3600"}}), 2);
  // The lease skip did no work and is not a duration.
  EXPECT_FALSE(out.value(duration + "_count", {{"instance", "ads-c"}}));
}

TEST(ServeMetrics, KeepsRetryStateAndLastSuccess) {
  ServeMetrics metrics;
  feed(metrics);
  Exposition out(metrics.exposition());
  const std::string last = "campaign_hub_last_success_timestamp_seconds";
  // The partial run's finished_at, 2026-03-01T09:00:00.500Z.
  EXPECT_EQ(out.value(last, {{"instance", "ads-a"}}), 1772355600.5);
  EXPECT_FALSE(out.value(last, {{"instance", "ads-b"}}));
  EXPECT_FALSE(out.value(last, {{"instance", "ads-c"}}));
  EXPECT_EQ(out.value("campaign_hub_consecutive_failures", {{"instance", "ads-b"}}), 2);
  EXPECT_EQ(out.value("campaign_hub_retry_backoff_seconds", {{"instance", "ads-b"}}), 120);
  EXPECT_EQ(out.value("campaign_hub_consecutive_failures", {{"instance", "ads-a"}}), 0);
  EXPECT_EQ(out.value("campaign_hub_retry_backoff_seconds", {{"instance", "ads-a"}}), 0);
}

TEST(ServeMetrics, RemovedInstanceLosesItsGaugesNotItsCounters) {
  ServeMetrics metrics;
  feed(metrics);
  metrics.instance_removed("ads-a");
  metrics.instance_removed("never-configured");
  Exposition out(metrics.exposition());
  const Labels a = {{"instance", "ads-a"}};
  EXPECT_FALSE(out.value("campaign_hub_last_success_timestamp_seconds", a));
  EXPECT_FALSE(out.value("campaign_hub_consecutive_failures", a));
  EXPECT_FALSE(out.value("campaign_hub_retry_backoff_seconds", a));
  EXPECT_EQ(out.value("campaign_hub_runs_total", {{"instance", "ads-a"}, {"state", "succeeded"}}),
            1);
  EXPECT_EQ(out.value("campaign_hub_consecutive_failures", {{"instance", "ads-b"}}), 2);

  // Back in the config, it starts again from its next report.
  metrics.backoff("ads-a", 1, std::chrono::seconds(30));
  Exposition again(metrics.exposition());
  EXPECT_EQ(again.value("campaign_hub_consecutive_failures", a), 1);
}

TEST(ServeMetrics, RunWithoutAStateCountsByItsOutcome) {
  ServeMetrics metrics;
  metrics.run_started("ads-a");
  // Failed before the runs table heard of it (the database was unreachable, say).
  metrics.run_finished(result_of("ads-a", Outcome::failed, "running"));
  Exposition out(metrics.exposition());
  EXPECT_EQ(out.value("campaign_hub_runs_total", {{"instance", "ads-a"}, {"state", "failed"}}), 1);
  EXPECT_FALSE(out.value("campaign_hub_runs_total", {{"instance", "ads-a"}, {"state", "running"}}));
  EXPECT_EQ(out.value("campaign_hub_runs_in_progress"), 0);
}

TEST(ServeMetrics, EveryFamilyHasHelpAndType) {
  ServeMetrics metrics;
  feed(metrics);
  Exposition out(metrics.exposition());
  const std::map<std::string, std::string> families = {{"runs_total", "counter"},
                                                       {"records_total", "counter"},
                                                       {"run_duration_seconds", "histogram"},
                                                       {"last_success_timestamp_seconds", "gauge"},
                                                       {"http_requests_total", "counter"},
                                                       {"http_retries_total", "counter"},
                                                       {"http_response_bytes_total", "counter"},
                                                       {"rate_limit_wait_seconds_total", "counter"},
                                                       {"lease_skips_total", "counter"},
                                                       {"plugin_deaths_total", "counter"},
                                                       {"consecutive_failures", "gauge"},
                                                       {"retry_backoff_seconds", "gauge"},
                                                       {"runs_in_progress", "gauge"}};
  for (const auto& [name, type] : families) {
    EXPECT_TRUE(out.has_comment("# HELP campaign_hub_" + name + " ")) << name;
    EXPECT_TRUE(out.has_comment("# TYPE campaign_hub_" + name + " " + type)) << name;
  }
  for (const auto& sample : out.samples)
    EXPECT_EQ(sample.name.rfind("campaign_hub_", 0), 0u) << sample.name;
}

TEST(ServeMetrics, PromtoolAcceptsTheExposition) {
  const char* promtool = "/usr/bin/promtool";
  if (access(promtool, X_OK) != 0)
    GTEST_SKIP() << promtool << " is missing (Debian package prometheus); not linted";
  ServeMetrics metrics;
  feed(metrics);
  const std::string text = metrics.exposition();

  auto path = std::filesystem::temp_directory_path() /
              ("metrics_test_" + std::to_string(getpid()) + ".prom");
  std::ofstream(path) << text;
  // promtool reads the exposition on its stdin; its findings come back on our pipe.
  std::string command = std::string(promtool) + " check metrics < '" + path.string() + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string said;
  std::array<char, 512> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe))
    said += buffer.data();
  int status = pclose(pipe);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << "promtool check metrics said:\n" << said << "\non:\n" << text;
  EXPECT_EQ(said, "") << text;
}

TEST(ServeMetrics, ConcurrentRunsAreCountedExactly) {
  ServeMetrics metrics;
  constexpr int kThreads = 4;
  constexpr int kRuns = 1000;
  std::atomic<bool> done = false;
  // A scraper and a config reload race the run threads.
  std::thread reader([&] {
    while (!done) {
      Exposition scraped(metrics.exposition());
      EXPECT_FALSE(scraped.samples.empty());
      metrics.instance_removed("shared");
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kRuns; ++i) {
        metrics.run_started("shared");
        auto result = result_of("shared", Outcome::succeeded, "succeeded");
        result.summary.read = 1;
        result.summary.entities["step"].read = 1;
        result.summary.http_requests = 2;
        result.summary.duration_seconds = 0.5;
        result.summary.finished_at = "2026-03-01T08:30:00Z";
        if (i % 10 == 0)
          result.death = "crash";
        metrics.run_finished(result);
        metrics.backoff("shared", t, std::chrono::seconds(i));
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  done = true;
  reader.join();

  Exposition out(metrics.exposition());
  const Labels shared = {{"instance", "shared"}};
  EXPECT_EQ(out.value("campaign_hub_runs_total", {{"instance", "shared"}, {"state", "succeeded"}}),
            kThreads * kRuns);
  EXPECT_EQ(out.value("campaign_hub_records_total",
                      {{"instance", "shared"}, {"entity", "step"}, {"result", "read"}}),
            kThreads * kRuns);
  EXPECT_EQ(out.value("campaign_hub_http_requests_total", shared), 2 * kThreads * kRuns);
  EXPECT_EQ(out.value("campaign_hub_run_duration_seconds_count", shared), kThreads * kRuns);
  EXPECT_EQ(out.value("campaign_hub_run_duration_seconds_sum", shared), 0.5 * kThreads * kRuns);
  EXPECT_EQ(
      out.value("campaign_hub_plugin_deaths_total", {{"instance", "shared"}, {"cause", "crash"}}),
      kThreads * kRuns / 10);
  EXPECT_EQ(out.value("campaign_hub_runs_in_progress"), 0);
}

}  // namespace
}  // namespace hub
