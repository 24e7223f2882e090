#include "hub/cli/commands.h"
#include "hub/serve/service.h"

namespace hub {

void add_serve_command(CLI::App& app, Action& action) {
  auto* serve = app.add_subcommand(
      "serve",
      "Run as a service: sync each instance on its schedule, answer on the HTTP listener "
      "(/healthz, /readyz, /metrics), reload on SIGHUP, stop on SIGTERM");
  serve->callback([&action] {
    action = [](Context& context) {
      Service service(context.config(),
                      {context.options().log_level, context.options().log_format});
      return service.run();
    };
  });
}

}  // namespace hub
