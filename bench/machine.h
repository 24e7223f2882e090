// What the benchmarks say about the machine they ran on, next to their figures: a shell
// command's output (the commit, the kernel), the CPU model, the load average.
#pragma once

#include <cstdio>
#include <fstream>
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

}  // namespace bench
