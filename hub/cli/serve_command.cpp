#include <chrono>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "hub/api/api_module.h"
#include "hub/cli/commands.h"
#include "hub/serve/listener.h"
#include "hub/serve/service.h"
#include "hub/store/migrations.h"
#include "hub/supervise/signals.h"

namespace hub {

void add_serve_command(CLI::App& app, Action& action) {
  auto* serve = app.add_subcommand(
      "serve",
      "Run as a service: sync each instance on its schedule, answer on the HTTP listener "
      "(/healthz, /readyz, /metrics, the account managers' API under /api/v1), reload on "
      "SIGHUP, stop on SIGTERM");
  serve->callback([&action] {
    action = [](Context& context) {
      ApiModule api(context.config().database_url);
      Service service(context.config(),
                      {context.options().log_level, context.options().log_format, {&api}});
      return service.run();
    };
  });
}

void add_ui_command(CLI::App& app, Action& action) {
  auto listen = std::make_shared<std::string>();
  auto* ui = app.add_subcommand(
      "ui",
      "Answer the account managers' API (/api/v1) on its own, without syncing: on a laptop, "
      "over a copy of the database. Stops on SIGINT or SIGTERM");
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
      ApiModule api(config.database_url);
      HttpListener listener(config.serve);
      listener.attach(api);
      listener.start();
      // Said whatever the log level: the person who started it needs the address.
      std::cout << "ui: listening on " << listener.url() << "/api/v1" << std::endl;
      auto& signals = install_signal_handlers();
      while (!signals.stop.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      listener.stop();
      return 0;
    };
  });
}

}  // namespace hub
