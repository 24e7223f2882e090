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
#include <vector>

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

// The fields of /proc/PID/stat after the command's name, from the state (field 3) on; empty
// when the process is gone. The name, in parentheses, may hold spaces.
inline std::vector<std::string> process_stat(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos || close + 2 > text.size())
    return fields;
  std::istringstream rest(text.substr(close + 2));
  for (std::string field; rest >> field;)
    fields.push_back(field);
  return fields;
}

// The parent of process `pid`; 0 when it is gone.
inline long process_parent(long pid) {
  const auto fields = process_stat(pid);
  return fields.size() > 1 ? std::stol(fields[1]) : 0;
}

// The user and system CPU time of process `pid`, with its reaped children's when
// `with_reaped` (cutime, cstime), in seconds; 0 when it is gone.
inline double process_cpu_seconds(long pid, bool with_reaped) {
  const auto fields = process_stat(pid);
  if (fields.size() < 15)
    return 0;
  // fields[0] is field 3: utime is 14, stime 15, cutime 16, cstime 17.
  double ticks = std::stod(fields[11]) + std::stod(fields[12]);
  if (with_reaped)
    ticks += std::stod(fields[13]) + std::stod(fields[14]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace bench
