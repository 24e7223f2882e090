// What the benchmarks say about the machine they ran on, next to their figures: a shell
// command's output (the commit, the kernel), the CPU model, the load average, the CPU time
// the machine and a process spent.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace bench {

// The command's standard output, trailing blanks cut; "" when it cannot run.
inline std::string command_output(const char* command) {
  std::string out;
  if (FILE* pipe = popen(command, "r")) {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe))
      out += buffer;
    pclose(pipe);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

// /proc/cpuinfo's first "model name".
inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) {
      const auto at = line.find(':');
      return at == std::string::npos ? line : line.substr(at + 2);
    }
  }
  return "unknown";
}

// "0.52 0.61 0.70": the 1, 5 and 15 minute load averages.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// The CPU time every core of the machine has spent busy since boot (/proc/stat: user, nice,
// system, irq, softirq, steal), in seconds: every process's, other tenants' included.
inline double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  const auto ticks = static_cast<double>(user + nice + system + irq + softirq + steal);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The user and system CPU time of process `pid` (/proc/PID/stat), with its reaped children's
// when `with_reaped` (cutime, cstime), in seconds; 0 when it is gone.
inline double process_cpu_seconds(long pid, bool with_reaped) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos)
    return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  // After the name: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
  for (int number = 3; number <= 17 && fields >> field; ++number) {
    if (number == 14 || number == 15 || (with_reaped && (number == 16 || number == 17)))
      ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace bench
