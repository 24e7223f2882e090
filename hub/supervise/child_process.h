// A child process started with fork and exec: its stdin fed from a string, and one more pipe
// (its fd 3) read back line by line. A run's process reports through fd 3 so that whatever a
// plugin prints on stdout or stderr cannot be taken for a report.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace hub {

struct ChildSpec {
  std::vector<std::string> argv;       // argv[0] is the executable's path
  std::string input;                   // written to its stdin, which is then closed
  std::size_t memory_limit_bytes = 0;  // its address space (RLIMIT_AS); 0: no limit
};

class ChildProcess {
 public:
  // Starts the child. Throws std::system_error when it cannot. The child is killed with
  // SIGKILL if this process dies, and starts with no signal blocked.
  explicit ChildProcess(const ChildSpec& spec);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills and reaps a child still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Waits up to `timeout` for output on fd 3 or for the child to end; each complete line
  // read is appended to `lines`. True once the child has ended and fd 3 is drained.
  bool wait(std::chrono::milliseconds timeout, std::vector<std::string>& lines);
  // Sends `signal` to a child still running.
  void signal(int signal);
  // Once wait() said true: its waitpid status.
  int status() const { return status_; }

 private:
  void read_available(std::vector<std::string>& lines);
  bool reap();

  pid_t pid_ = -1;
  int reports_ = -1;  // read end of the child's fd 3
  std::string partial_;
  bool exited_ = false;
  int status_ = 0;
};

// Writes all of `data` to `fd`, again after EINTR and short writes. False when the other end
// is gone (EPIPE: the supervisor ignores SIGPIPE) or another error stops it.
bool write_all(int fd, std::string_view data);

// "signal 11 (SIGSEGV)".
std::string describe_signal(int signal);
// How a waitpid status ended: "exited with code 3", "signal 6 (SIGABRT)".
std::string describe_status(int status);

}  // namespace hub
