// A streaming RFC 4180 CSV reader: one record at a time from a std::istream, so memory stays
// flat however large the file.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "connectors/files/parse_error.h"

namespace connectors::files {

struct CsvOptions {
  char delimiter = ',';
  // A longer field is an error: almost always a quote that is never closed, which would
  // otherwise pull the rest of the file into one field.
  std::size_t max_field_bytes = 1 << 20;
  // A header wider than this is an error. Each data row may have only as many fields as the
  // header: a row of 25 million one-byte fields took 1.2 GB before it could be refused.
  std::size_t max_fields = 10000;
  // The bytes of one record's fields together.
  std::size_t max_record_bytes = 16 << 20;
};

struct CsvRow {
  std::size_t line = 0;  // the physical line the row starts on, 1-based
  std::vector<std::string> fields;
};

// Reads a CSV file whose first record is the header.
//
// Follows RFC 4180: fields may be quoted; a quoted field may hold the delimiter, CR, LF and
// doubled quotes (""). Lines end with CRLF or LF (a lone CR is taken as a line end too). A UTF-8
// byte order mark at the start is dropped. Blank lines are skipped, so an empty last line
// adds no row. Every row must have as many fields as the header.
//
// Throws ParseError, naming the line, for a quote that is never closed, a stray quote in an
// unquoted field, text after a closing quote, a row whose field count differs from the
// header's (refused as soon as it has one too many), or a record past the size limits.
class CsvReader {
 public:
  // Reads the header at once; throws ParseError when it is malformed.
  explicit CsvReader(std::istream& input, CsvOptions options = {});

  // The column names, as written; empty when the input is empty.
  const std::vector<std::string>& header() const { return header_; }
  std::size_t header_line() const { return header_line_; }

  // The next data row into `row`; false at the end of the input.
  bool next(CsvRow& row);

 private:
  enum class FieldEnd { delimiter, line_end, input_end };

  bool read_record(std::vector<std::string>& fields, std::size_t& start_line,
                   std::size_t max_fields);
  FieldEnd read_quoted(std::string& field, std::size_t field_number);
  FieldEnd read_unquoted(std::string& field, std::size_t field_number);
  FieldEnd end_after_quote(std::size_t field_number);
  void consume_line_end();
  void check_size(const std::string& field, std::size_t line) const;

  std::streambuf& input_;
  CsvOptions options_;
  std::string bom_leftover_;  // bytes that looked like the start of a BOM but were text
  std::size_t line_ = 1;      // the line the reader is on
  std::vector<std::string> header_;
  std::size_t header_line_ = 0;
};

}  // namespace connectors::files
