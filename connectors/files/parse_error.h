// The error both readers throw for input they cannot read: the line says where to look.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace connectors::files {

class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t line, const std::string& reason)
      : std::runtime_error("line " + std::to_string(line) + ": " + reason),
        line_(line),
        reason_(reason) {}

  std::size_t line() const { return line_; }  // 1-based, counting every physical line
  const std::string& reason() const { return reason_; }

 private:
  std::size_t line_;
  std::string reason_;
};

}  // namespace connectors::files
