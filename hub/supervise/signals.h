// The signals a supervising process (`sync`, `serve`) acts on. SIGTERM and SIGINT ask it to
// stop, SIGHUP to reload; SIGPIPE is ignored, so that a run's process or an HTTP client that
// went away is an error to handle, not a death. The handlers only set flags; the supervisor's
// loops read them.
#pragma once

#include <atomic>

namespace hub {

struct SignalFlags {
  std::atomic<bool> stop{false};
  std::atomic<int> stop_signal{0};  // which one asked
  std::atomic<bool> reload{false};
};

// Installs the handlers (once per process) and answers the flags they set.
SignalFlags& install_signal_handlers();

}  // namespace hub
