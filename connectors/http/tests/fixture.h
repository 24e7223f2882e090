// Shared setup of the connector tests: a simulator on 127.0.0.1, a logger that keeps every
// line, and a client built from an `http` JSON object.
#pragma once

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/http/client.h"
#include "provider_sim/simulator.h"

namespace connectors::http::testing {

class CapturingLogger : public campaign_hub::Logger {
 public:
  void log(campaign_hub::LogLevel, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

inline campaign_hub::HttpRequest get(std::string url) {
  campaign_hub::HttpRequest request;
  request.url = std::move(url);
  return request;
}

class SimulatorTest : public ::testing::Test {
 protected:
  static provider_sim::Options default_options() {
    provider_sim::Options options;
    options.campaigns = 23;
    options.opportunities = 300;
    options.threads = 8;
    return options;
  }

  void SetUp() override {
    // Loopback must never go through a proxy from the environment.
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    simulator_ = std::make_unique<provider_sim::Simulator>(options());
    simulator_->start(0);
  }
  void TearDown() override { simulator_->stop(); }
  virtual provider_sim::Options options() { return default_options(); }

  // A client for the simulator: short delays so that retries are quick. `extra` is spliced into
  // the http object (a leading comma is added).
  std::unique_ptr<Client> client(const std::string& extra = "") {
    rapidjson::Document config;
    config.Parse((R"({"base_url": ")" + simulator_->base_url() + R"(",
                    "retries": {"max_attempts": 5, "base_delay_ms": 1, "max_delay_ms": 20,
                                "max_total_wait_ms": 10000},
                    "timeouts": {"connect_ms": 2000, "request_ms": 10000}})")
                     .c_str());
    rapidjson::Document overrides;
    overrides.Parse(("{" + extra + "}").c_str());
    EXPECT_FALSE(overrides.HasParseError()) << extra;
    merge(config, overrides, config.GetAllocator());
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    config.Accept(writer);
    return make_client(text.GetString(), logger_);
  }

  // Objects merge key by key; anything else in `from` replaces.
  static void merge(rapidjson::Value& into, const rapidjson::Value& from,
                    rapidjson::Document::AllocatorType& allocator) {
    for (auto it = from.MemberBegin(); it != from.MemberEnd(); ++it) {
      auto existing = into.FindMember(it->name);
      if (existing != into.MemberEnd() && existing->value.IsObject() && it->value.IsObject()) {
        merge(existing->value, it->value, allocator);
      } else if (existing != into.MemberEnd()) {
        existing->value.CopyFrom(it->value, allocator);
      } else {
        into.AddMember(rapidjson::Value(it->name, allocator),
                       rapidjson::Value(it->value, allocator), allocator);
      }
    }
  }

  static std::string bearer(std::string_view token) {
    return R"("auth": {"type": "bearer", "token": ")" + std::string(token) + R"("})";
  }

  static std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
  }

  std::unique_ptr<provider_sim::Simulator> simulator_;
  CapturingLogger logger_;
};

}  // namespace connectors::http::testing
