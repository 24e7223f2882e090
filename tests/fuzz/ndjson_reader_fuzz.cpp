// The NDJSON reader (connectors/files): byte 0 '1' asks for a tight line limit (64 bytes), the
// rest is the file. ParseError is the answer to a line past the limit; every line it returns is
// one line (no LF, no CR at its end unless doubled), not blank, numbered after the previous.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "connectors/files/ndjson_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  connectors::files::NdjsonOptions options;
  if (data[0] == '1')
    options.max_line_bytes = 64;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::istringstream input(text);
  std::size_t line_ends = 0;
  for (char c : text)
    line_ends += c == '\n' ? 1 : 0;
  try {
    connectors::files::NdjsonReader ndjson(input, options);
    std::size_t last_line = 0;
    for (connectors::files::NdjsonLine line; ndjson.next(line);) {
      if (line.line <= last_line || line.line > line_ends + 1)
        fuzz::broken_promise("ndjson-reader", "a line number out of order or past the input");
      if (line.text.find('\n') != std::string::npos)
        fuzz::broken_promise("ndjson-reader", "a line holds a line feed");
      if (line.text.find_first_not_of(" \t") == std::string::npos)
        fuzz::broken_promise("ndjson-reader", "a blank line was returned");
      if (line.text.size() > options.max_line_bytes)
        fuzz::broken_promise("ndjson-reader", "a line longer than max_line_bytes was returned");
      last_line = line.line;
    }
  } catch (const connectors::files::ParseError& error) {
    if (error.line() == 0)
      fuzz::broken_promise("ndjson-reader", "a ParseError names line 0");
  }
  return 0;
}
