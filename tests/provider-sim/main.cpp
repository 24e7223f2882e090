// provider-sim: serves the simulated providers on 127.0.0.1 until interrupted.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "provider_sim/simulator.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}
}  // namespace

int main(int argc, char** argv) {
  provider_sim::Options options;
  int port = 0;
  std::string faults;
  CLI::App app{
      "Provider simulator: the Connect feed, Mailchimp, Salesforce and partner CRMs on "
      "127.0.0.1, with fault injection"};
  app.add_option("--port", port, "TCP port on 127.0.0.1 (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--seed", options.seed, "seed of the generated data");
  app.add_option("--campaigns", options.campaigns, "campaigns per provider")
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--opportunities", options.opportunities, "Connect and Salesforce opportunities")
      ->check(CLI::Range(0, 100'000'000));
  app.add_option("--page-size", options.page_size,
                 "default page size for every provider (0: their own)");
  app.add_option("--faults", faults, "fault rules as JSON (see README.md), or @file");
  app.add_option("--threads", options.threads, "server worker threads");
  CLI11_PARSE(app, argc, argv);
  if (!faults.empty() && faults.front() == '@') {
    std::ifstream in(faults.substr(1));
    if (!in) {
      std::cerr << "provider-sim: cannot read " << faults.substr(1) << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    faults = text.str();
  }
  options.faults_json = faults;
  try {
    provider_sim::Simulator simulator(options);
    int bound = simulator.start(port);
    std::printf("listening on 127.0.0.1:%d\n", bound);
    std::fflush(stdout);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    while (!g_stop)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    simulator.stop();
  } catch (const std::exception& e) {
    std::cerr << "provider-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
