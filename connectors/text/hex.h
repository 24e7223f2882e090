// Bytes as lowercase hex: token digests, session ids, the API's opaque cursors.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace connectors::text {

inline std::string hex(std::span<const unsigned char> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

inline std::string hex(std::string_view bytes) {
  return hex(std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

}  // namespace connectors::text
