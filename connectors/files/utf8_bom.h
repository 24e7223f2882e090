// Spreadsheet tools on Windows start UTF-8 files with a byte order mark; both readers drop it.
#pragma once

#include <streambuf>
#include <string>

namespace connectors::files::detail {

// Consumes a UTF-8 BOM at the start of `input`. Returns the bytes it consumed that turned out
// not to be a BOM (say "\xEF" then "x"): they are text the caller must put back in front.
inline std::string skip_utf8_bom(std::streambuf& input) {
  static constexpr unsigned char bom[] = {0xEF, 0xBB, 0xBF};
  std::string consumed;
  for (unsigned char expected : bom) {
    const auto next = input.sgetc();
    if (next == std::streambuf::traits_type::eof() ||
        static_cast<unsigned char>(std::streambuf::traits_type::to_char_type(next)) != expected) {
      return consumed;
    }
    consumed += static_cast<char>(input.sbumpc());
  }
  return {};
}

}  // namespace connectors::files::detail
