// The benchmarks' command lines: each option one at a time, its value read as the option
// wants it, and anything wrong said with the usage line, exit code 2.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>

namespace bench {

// Walks argv past the program name:
//
//   bench::Arguments args("views_bench", "views_bench [--samples N] [--explain]", argc, argv);
//   while (args.next()) {
//     if (args.name() == "--samples") options.samples = args.count();
//     else if (args.name() == "--explain") options.explain = true;
//     else args.unknown();
//   }
class Arguments {
 public:
  // `synopsis`: the usage line after "usage: ", the program's name first.
  Arguments(std::string program, std::string synopsis, int argc, char** argv)
      : program_(std::move(program)), synopsis_(std::move(synopsis)), argc_(argc), argv_(argv) {}

  // Moves to the next option, whose name name() gives; false after the last.
  bool next() {
    if (++at_ >= argc_)
      return false;
    name_ = argv_[at_];
    return true;
  }
  const std::string& name() const { return name_; }

  // The option's value: the argument after it.
  std::string value() {
    if (at_ + 1 >= argc_)
      usage(name_ + " needs a value");
    return argv_[++at_];
  }

  // The value as a number greater than 0, every character of it read.
  double positive_number() {
    const std::string text = value();
    try {
      std::size_t used = 0;
      const double n = std::stod(text, &used);
      if (used == text.size() && n > 0)
        return n;
    } catch (const std::exception&) {
    }
    usage(name_ + ": '" + text + "' is not a positive number");
  }

  // The value as a count (std::stoull).
  std::size_t count() {
    const std::string text = value();
    try {
      return static_cast<std::size_t>(std::stoull(text));
    } catch (const std::exception&) {
      usage(name_ + ": '" + text + "' is not a number");
    }
  }

  // Says `problem` and the usage line on stderr, and exits 2.
  [[noreturn]] void usage(const std::string& problem) const {
    std::fprintf(stderr, "%s: %s\nusage: %s\n", program_.c_str(), problem.c_str(),
                 synopsis_.c_str());
    std::exit(2);
  }
  [[noreturn]] void unknown() const { usage("unknown option " + name_); }

 private:
  std::string program_;
  std::string synopsis_;
  int argc_;
  char** argv_;
  int at_ = 0;
  std::string name_;
};

}  // namespace bench
