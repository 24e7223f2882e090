#include "connectors/files/csv_reader.h"

#include <stdexcept>
#include <utility>

#include "connectors/files/utf8_bom.h"

namespace connectors::files {
namespace {

using Traits = std::streambuf::traits_type;

constexpr Traits::int_type end_of_input = Traits::eof();

bool is(Traits::int_type c, char expected) {
  return c == Traits::to_int_type(expected);
}

std::streambuf& buffer_of(std::istream& input) {
  if (input.rdbuf() == nullptr) {
    throw std::invalid_argument("CsvReader: the input stream has no buffer");
  }
  return *input.rdbuf();
}

std::string field_label(std::size_t field_number) {
  return "field " + std::to_string(field_number);
}

}  // namespace

CsvReader::CsvReader(std::istream& input, CsvOptions options)
    : input_(buffer_of(input)), options_(options) {
  if (options_.delimiter == '"' || options_.delimiter == '\r' || options_.delimiter == '\n') {
    throw std::invalid_argument("CsvReader: the delimiter cannot be a quote or a line end");
  }
  bom_leftover_ = detail::skip_utf8_bom(input_);
  read_record(header_, header_line_, options_.max_fields);
}

bool CsvReader::next(CsvRow& row) {
  if (header_.empty() || !read_record(row.fields, row.line, header_.size())) {
    return false;
  }
  if (row.fields.size() != header_.size()) {
    throw ParseError(row.line, "the row has " + std::to_string(row.fields.size()) +
                                   " fields but the header (line " + std::to_string(header_line_) +
                                   ") has " + std::to_string(header_.size()));
  }
  return true;
}

bool CsvReader::read_record(std::vector<std::string>& fields, std::size_t& start_line,
                            std::size_t max_fields) {
  fields.clear();
  if (bom_leftover_.empty()) {
    // Blank lines carry no record.
    for (auto c = input_.sgetc(); is(c, '\r') || is(c, '\n'); c = input_.sgetc()) {
      consume_line_end();
    }
    if (input_.sgetc() == end_of_input) {
      return false;
    }
  }
  start_line = line_;
  std::size_t bytes = 0;
  for (;;) {
    if (fields.size() == max_fields) {
      throw ParseError(start_line,
                       fields.size() == header_.size() && &fields != &header_
                           ? "the row has more fields than the header (line " +
                                 std::to_string(header_line_) + "), which has " +
                                 std::to_string(header_.size())
                           : "the header has more than " + std::to_string(max_fields) + " fields");
    }
    std::string& field = fields.emplace_back();
    FieldEnd end;
    if (!bom_leftover_.empty()) {
      // The leftover bytes are not a quote, so this first field is unquoted.
      field = std::exchange(bom_leftover_, {});
      end = read_unquoted(field, fields.size());
    } else if (is(input_.sgetc(), '"')) {
      end = read_quoted(field, fields.size());
    } else {
      end = read_unquoted(field, fields.size());
    }
    bytes += field.size();
    if (bytes > options_.max_record_bytes) {
      throw ParseError(start_line, "the record is longer than " +
                                       std::to_string(options_.max_record_bytes) + " bytes");
    }
    if (end != FieldEnd::delimiter) {
      return true;
    }
  }
}

CsvReader::FieldEnd CsvReader::read_quoted(std::string& field, std::size_t field_number) {
  const std::size_t opened_on = line_;
  input_.sbumpc();  // the opening quote
  for (;;) {
    const auto c = input_.sbumpc();
    if (c == end_of_input) {
      throw ParseError(opened_on, field_label(field_number) +
                                      ": the quote that opens it is never closed "
                                      "(a quote inside a quoted field must be doubled: \"\")");
    }
    if (is(c, '"')) {
      if (!is(input_.sgetc(), '"')) {
        return end_after_quote(field_number);
      }
      input_.sbumpc();
    } else if (is(c, '\n') || (is(c, '\r') && !is(input_.sgetc(), '\n'))) {
      ++line_;
    }
    field += Traits::to_char_type(c);
    check_size(field, opened_on);
  }
}

CsvReader::FieldEnd CsvReader::end_after_quote(std::size_t field_number) {
  const auto c = input_.sgetc();
  if (c == end_of_input) {
    return FieldEnd::input_end;
  }
  if (is(c, options_.delimiter)) {
    input_.sbumpc();
    return FieldEnd::delimiter;
  }
  if (is(c, '\r') || is(c, '\n')) {
    consume_line_end();
    return FieldEnd::line_end;
  }
  throw ParseError(line_, field_label(field_number) +
                              ": text after the closing quote (a quote inside a quoted field "
                              "must be doubled: \"\")");
}

CsvReader::FieldEnd CsvReader::read_unquoted(std::string& field, std::size_t field_number) {
  for (;;) {
    const auto c = input_.sgetc();
    if (c == end_of_input) {
      return FieldEnd::input_end;
    }
    if (is(c, options_.delimiter)) {
      input_.sbumpc();
      return FieldEnd::delimiter;
    }
    if (is(c, '\r') || is(c, '\n')) {
      consume_line_end();
      return FieldEnd::line_end;
    }
    if (is(c, '"')) {
      throw ParseError(line_, field_label(field_number) +
                                  ": stray quote in an unquoted field (quote the whole field "
                                  "and double the quotes inside it)");
    }
    field += Traits::to_char_type(input_.sbumpc());
    check_size(field, line_);
  }
}

void CsvReader::consume_line_end() {
  if (is(input_.sbumpc(), '\r') && is(input_.sgetc(), '\n')) {
    input_.sbumpc();
  }
  ++line_;
}

void CsvReader::check_size(const std::string& field, std::size_t line) const {
  if (field.size() > options_.max_field_bytes) {
    throw ParseError(line, "a field longer than " + std::to_string(options_.max_field_bytes) +
                               " bytes starts here; is a quote never closed?");
  }
}

}  // namespace connectors::files
