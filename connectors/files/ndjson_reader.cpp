#include "connectors/files/ndjson_reader.h"

#include <stdexcept>
#include <utility>

#include "connectors/files/utf8_bom.h"

namespace connectors::files {
namespace {

using Traits = std::streambuf::traits_type;

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t") == std::string::npos;
}

std::streambuf& buffer_of(std::istream& input) {
  if (input.rdbuf() == nullptr) {
    throw std::invalid_argument("NdjsonReader: the input stream has no buffer");
  }
  return *input.rdbuf();
}

}  // namespace

NdjsonReader::NdjsonReader(std::istream& input, NdjsonOptions options)
    : input_(buffer_of(input)), options_(options) {
  bom_leftover_ = detail::skip_utf8_bom(input_);
}

bool NdjsonReader::next(NdjsonLine& line) {
  for (;;) {
    if (input_.sgetc() == Traits::eof() && bom_leftover_.empty()) {
      return false;
    }
    ++line_;
    line.line = line_;
    line.text = std::exchange(bom_leftover_, {});
    for (auto c = input_.sbumpc(); c != Traits::eof() && c != Traits::to_int_type('\n');
         c = input_.sbumpc()) {
      line.text += Traits::to_char_type(c);
      if (line.text.size() > options_.max_line_bytes) {
        throw ParseError(
            line_, "the line is longer than " + std::to_string(options_.max_line_bytes) + " bytes");
      }
    }
    if (!line.text.empty() && line.text.back() == '\r') {
      line.text.pop_back();
    }
    if (!is_blank(line.text)) {
      return true;
    }
  }
}

}  // namespace connectors::files
