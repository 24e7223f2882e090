#include "hub/supervise/child_process.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hub {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      throw_errno("cannot create a pipe for a run's process");
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read >= 0)
      ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0)
      ::close(write);
    write = -1;
  }
};

// Between fork and exec only async-signal-safe calls: the parent may have other threads.
[[noreturn]] void become_child(const ChildSpec& spec, char* const* argv, pid_t parent, int input,
                               int reports) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)  // the parent died before prctl took effect
    _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);  // the supervisor ignores it; exec keeps ignored signals
#ifndef CAMPAIGN_HUB_SANITIZED
  if (spec.memory_limit_bytes > 0) {
    rlimit limit{spec.memory_limit_bytes, spec.memory_limit_bytes};
    setrlimit(RLIMIT_AS, &limit);
  }
#endif
  if (dup2(input, STDIN_FILENO) < 0 || dup2(reports, 3) < 0)
    _exit(127);
  // Nothing else of the supervisor's (its listening socket, say) outlives it in the child.
  if (close_range(4, ~0U, 0) != 0) {
    for (int fd = 4; fd < 1024; ++fd)
      ::close(fd);
  }
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const ChildSpec& spec) {
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  Pipe input, reports;
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0)
    throw_errno("cannot start a run's process");
  if (pid_ == 0)
    become_child(spec, argv.data(), parent, input.read, reports.write);

  input.close_read();
  reports.close_write();
  reports_ = reports.read;
  reports.read = -1;
  fcntl(reports_, F_SETFL, fcntl(reports_, F_GETFL) | O_NONBLOCK);
  // The child reads its input first, whole; a child that died early gets EPIPE, not SIGPIPE
  // (the supervisor ignores it), and its exit says why.
  write_all(input.write, spec.input);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
  }
  if (reports_ >= 0)
    ::close(reports_);
}

void ChildProcess::signal(int signal) {
  if (pid_ > 0 && !exited_)
    ::kill(pid_, signal);
}

bool ChildProcess::reap() {
  if (exited_)
    return true;
  pid_t done = waitpid(pid_, &status_, WNOHANG);
  if (done == pid_)
    exited_ = true;
  return exited_;
}

void ChildProcess::read_available(std::vector<std::string>& lines) {
  char buffer[8192];
  for (;;) {
    ssize_t got = ::read(reports_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {    // EAGAIN: nothing more for now
      if (got == 0) {  // every writer is gone
        if (!partial_.empty())
          lines.push_back(std::move(partial_));
        partial_.clear();
        ::close(reports_);
        reports_ = -1;
      }
      return;
    }
    partial_.append(buffer, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = partial_.find('\n', start)) != std::string::npos;
         start = end + 1) {
      lines.push_back(partial_.substr(start, end - start));
    }
    partial_.erase(0, start);
  }
}

bool ChildProcess::wait(std::chrono::milliseconds timeout, std::vector<std::string>& lines) {
  if (reports_ >= 0) {
    pollfd watch{reports_, POLLIN, 0};
    int ready = poll(&watch, 1, static_cast<int>(timeout.count()));
    if (ready > 0)
      read_available(lines);
  } else if (!reap()) {
    ::usleep(static_cast<useconds_t>(std::min<std::int64_t>(timeout.count(), 50) * 1000));
  }
  // Done once the child has ended and every byte it wrote has been read.
  return reap() && reports_ < 0;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t wrote = ::write(fd, data.data(), data.size());
    if (wrote < 0 && errno == EINTR)
      continue;
    if (wrote <= 0)
      return false;
    data.remove_prefix(static_cast<std::size_t>(wrote));
  }
  return true;
}

std::string describe_signal(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return "signal " + std::to_string(signal) +
         (abbrev != nullptr ? " (SIG" + std::string(abbrev) + ")" : std::string());
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status))
    return describe_signal(WTERMSIG(status));
  return "exited with code " + std::to_string(WEXITSTATUS(status));
}

}  // namespace hub
