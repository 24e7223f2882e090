// A loopback simulator of every provider API in ../shared/providers/, with fault injection.
// Tests start it in-process; the `provider-sim` program wraps it for the demo and benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace provider_sim {

struct Options {
  std::uint64_t seed = 42;
  std::int64_t campaigns = 50;        // per provider
  std::int64_t opportunities = 1000;  // Connect and Salesforce opportunities
  int page_size = 0;                  // 0: each provider's own default page size
  std::string faults_json;            // initial fault rules, as POST /_sim/faults takes them
  int threads = 16;                   // server worker threads
};

// What the simulator saw, for assertions (GET /_sim/stats gives the same).
struct Stats {
  std::int64_t requests = 0;
  std::int64_t max_in_flight = 0;
  std::int64_t faults_applied = 0;
  std::int64_t tokens_issued = 0;
  std::int64_t unauthorized = 0;
};

class Simulator {
 public:
  explicit Simulator(Options options);
  ~Simulator();  // stops the server, ending stalled answers
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Binds 127.0.0.1:`port` (0 picks a free one), serves on background threads, returns the port.
  // Throws std::runtime_error if it cannot bind.
  int start(int port = 0);
  void stop();
  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // The same as the control endpoints, for tests that drive the simulator directly.
  void set_faults(std::string_view json);  // throws std::invalid_argument on a bad rule
  std::int64_t touch(std::string_view table, double fraction);
  bool remove(std::string_view table, std::string_view id);
  void expire_tokens();
  Stats stats() const;
  void reset_stats();

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The fixed credentials the simulator accepts (see README.md).
namespace credentials {
inline constexpr std::string_view connect_token = "sim-connect-token";
inline constexpr std::string_view mailchimp_key = "sim-mailchimp-key-us21";
inline constexpr std::string_view salesforce_client_id = "sim-client-id";
inline constexpr std::string_view salesforce_client_secret = "sim-client-secret";
inline constexpr std::string_view bntouch_key = "sim-bntouch-key";
inline constexpr std::string_view clover_token = "sim-clover-token";
inline constexpr std::string_view artis_user = "artis";
inline constexpr std::string_view artis_password = "sim-artis-password";
inline constexpr std::string_view medica_token = "sim-medica-token";
}  // namespace credentials

}  // namespace provider_sim
