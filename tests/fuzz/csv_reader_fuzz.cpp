// The CSV reader (connectors/files): byte 0 is the delimiter (a quote or a line end means ','),
// byte 1 '1' asks for tight size limits so that the limit checks are reached by small inputs;
// the rest is the file. ParseError is the answer to a bad file; every row it returns has as
// many fields as the header, on a line after the previous row's.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "connectors/files/csv_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  connectors::files::CsvOptions options;
  const char delimiter = static_cast<char>(data[0]);
  if (delimiter != '"' && delimiter != '\r' && delimiter != '\n')
    options.delimiter = delimiter;
  if (data[1] == '1') {
    options.max_field_bytes = 64;
    options.max_fields = 8;
    options.max_record_bytes = 256;
  }
  std::istringstream input(std::string(reinterpret_cast<const char*>(data) + 2, size - 2));
  try {
    connectors::files::CsvReader csv(input, options);
    const std::size_t columns = csv.header().size();
    if (columns > options.max_fields)
      fuzz::broken_promise("csv-reader", "a header wider than max_fields was accepted");
    std::size_t last_line = csv.header_line();
    for (connectors::files::CsvRow row; csv.next(row);) {
      if (row.fields.size() != columns)
        fuzz::broken_promise("csv-reader", "a row does not have as many fields as the header");
      if (row.line <= last_line)
        fuzz::broken_promise("csv-reader", "a row starts on or before the previous one's line");
      std::size_t bytes = 0;
      for (const auto& field : row.fields) {
        if (field.size() > options.max_field_bytes)
          fuzz::broken_promise("csv-reader", "a field longer than max_field_bytes was accepted");
        bytes += field.size();
      }
      if (bytes > options.max_record_bytes)
        fuzz::broken_promise("csv-reader", "a record longer than max_record_bytes was accepted");
      last_line = row.line;
    }
  } catch (const connectors::files::ParseError& error) {
    if (error.line() == 0)
      fuzz::broken_promise("csv-reader", "a ParseError names line 0");
  }
  return 0;
}
