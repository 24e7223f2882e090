#include <array>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "connectors/text/hex.h"
#include "hub/api/api_module.h"
#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/page/page_module.h"
#include "hub/serve/listener.h"
#include "hub/serve/service.h"
#include "hub/serve/session_module.h"
#include "hub/store/migrations.h"
#include "hub/supervise/replay_child.h"
#include "hub/supervise/signals.h"
#include "hub/webhooks/webhook_module.h"

namespace hub {
namespace {

// The API's replay button: `quarantine replay` in a process of its own, on the config this
// process runs with.
ApiModule::Replay replay_for(const Context& context, const Config& config) {
  RunCommand command{this_executable(),
                     config.text,
                     config.file,
                     context.options().log_level,
                     context.options().log_format,
                     std::chrono::seconds(config.serve.grace_period_seconds)};
  return [command](std::optional<std::int64_t> run) {
    return replay_in_child(command, run, std::chrono::minutes(30));
  };
}

}  // namespace

void add_serve_command(CLI::App& app, Action& action) {
  auto* serve = app.add_subcommand(
      "serve",
      "Run as a service: sync each instance on its schedule, answer on the HTTP listener "
      "(/healthz, /readyz, /metrics, the account managers' API under /api/v1, provider "
      "webhooks under /webhooks), reload on "
      "SIGHUP, stop on SIGTERM");
  serve->callback([&action] {
    action = [](Context& context) {
      const Access access(context.config().serve.tokens);
      ApiModule api(context.config().database_url, access);
      api.set_replay(replay_for(context, context.config()));
      SessionModule sessions(access, !context.config().serve.tls_certificate.empty());
      PageModule page;
      webhooks::WebhookModule webhooks(context.config(),
                                       !context.config().serve.tls_certificate.empty());
      Service service(context.config(), {context.options().log_level,
                                         context.options().log_format,
                                         {&api, &sessions, &page, &webhooks},
                                         access});
      webhooks.when_kept([&service](const std::string& instance) { service.pushed(instance); });
      return service.run();
    };
  });
}

using connectors::text::hex;

void add_tokens_command(CLI::App& app, Action& action) {
  auto* tokens = app.add_subcommand("tokens", "API tokens for serve.tokens (docs/api.md)");
  tokens->require_subcommand(1);
  auto* make = tokens->add_subcommand(
      "new", "Print a new random token, and the sha256 to put in serve.tokens instead of it");
  make->callback([&action] {
    action = [](Context&) {
      std::array<unsigned char, 24> bytes{};
      std::ifstream random("/dev/urandom", std::ios::binary);
      random.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
      if (!random) {
        std::cerr << "tokens new: cannot read /dev/urandom\n";
        return exit_code::usage;
      }
      static constexpr char kAlphabet[] =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      std::string token = "chub_";
      for (unsigned char byte : bytes)
        token += kAlphabet[byte & 63];
      std::cout << "token:  " << token << "\nsha256: " << hex(token_digest(token)) << "\n";
      return exit_code::success;
    };
  });
  auto* hash = tokens->add_subcommand(
      "hash", "Read a token on standard input and print its sha256 for serve.tokens");
  hash->callback([&action] {
    action = [](Context&) {
      std::string token;
      std::getline(std::cin, token);
      if (token.empty()) {
        std::cerr << "tokens hash: no token on standard input\n";
        return exit_code::usage;
      }
      std::cout << hex(token_digest(token)) << "\n";
      return exit_code::success;
    };
  });
}

void add_ui_command(CLI::App& app, Action& action) {
  auto listen = std::make_shared<std::string>();
  auto* ui = app.add_subcommand(
      "ui",
      "Serve the account managers' page (/) and API (/api/v1) on their own, without syncing: on "
      "a laptop, over a copy of the database. Stops on SIGINT or SIGTERM");
  ui->add_option("--listen", *listen, "host:port; default: the config's serve.listen");
  ui->callback([&action, listen] {
    action = [listen](Context& context) {
      Config config = context.config();
      if (!listen->empty())
        config.serve.listen = *listen;
      {
        Database database(config.database_url);
        migrate(database);
      }
      const Access access(config.serve.tokens);
      ApiModule api(config.database_url, access);
      api.set_replay(replay_for(context, config));
      SessionModule sessions(access, !config.serve.tls_certificate.empty());
      PageModule page;
      HttpListener listener(config.serve);
      listener.attach(api);
      listener.attach(sessions);
      listener.attach(page);
      listener.start();
      // Said whatever the log level: the person who started it needs the address.
      std::cout << "ui: listening on " << listener.url() << "/ (the API under /api/v1)"
                << std::endl;
      auto& signals = install_signal_handlers();
      while (!signals.stop.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      listener.stop();
      return 0;
    };
  });
}

}  // namespace hub
