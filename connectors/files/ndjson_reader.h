// Reads newline-delimited JSON (NDJSON, JSON Lines) one line at a time; parsing the JSON is the
// caller's, with the project's one JSON library.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

#include "connectors/files/parse_error.h"

namespace connectors::files {

struct NdjsonOptions {
  // A longer line is an error rather than a memory spike.
  std::size_t max_line_bytes = 16 << 20;
};

struct NdjsonLine {
  std::size_t line = 0;  // 1-based
  std::string text;      // without its line end; never blank
};

// Lines end with LF or CRLF. A UTF-8 byte order mark at the start is dropped. Blank lines
// (spaces and tabs only) are skipped but still counted, so line numbers match an editor's.
class NdjsonReader {
 public:
  explicit NdjsonReader(std::istream& input, NdjsonOptions options = {});

  // The next non-blank line into `line`; false at the end of the input. Throws ParseError
  // for a line longer than max_line_bytes.
  bool next(NdjsonLine& line);

 private:
  std::streambuf& input_;
  NdjsonOptions options_;
  std::string bom_leftover_;
  std::size_t line_ = 0;  // the last line read
};

}  // namespace connectors::files
