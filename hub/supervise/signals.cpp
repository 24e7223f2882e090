#include "hub/supervise/signals.h"

#include <csignal>

namespace hub {
namespace {

SignalFlags flags;

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "signal handlers may only touch lock-free atomics");

void on_signal(int signal) {
  if (signal == SIGHUP) {
    flags.reload.store(true);
  } else {
    flags.stop_signal.store(signal);
    flags.stop.store(true);
  }
}

}  // namespace

SignalFlags& install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP})
    sigaction(signal, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return flags;
}

}  // namespace hub
