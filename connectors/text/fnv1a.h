// FNV-1a, 64 bits: the hub's one fast, non-cryptographic hash, for telling whether content
// changed (a record since the last sync, a file since its import, a provider's summary).
// It only has to notice an edit; never use it where someone could choose the input to collide.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace connectors::text {

class Fnv1a64 {
 public:
  constexpr Fnv1a64& add(std::string_view bytes) {
    for (char byte : bytes) {
      state_ ^= static_cast<unsigned char>(byte);
      state_ *= 0x100000001b3ULL;  // the FNV 64-bit prime
    }
    return *this;
  }
  constexpr std::uint64_t value() const { return state_; }
  // 16 lower-case hex digits.
  std::string hex() const {
    constexpr char digits[] = "0123456789abcdef";
    std::string text(16, '0');
    std::uint64_t rest = state_;
    for (auto at = text.rbegin(); at != text.rend(); ++at, rest >>= 4)
      *at = digits[rest & 0xF];
    return text;
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;  // the FNV-1a 64 offset basis
};

}  // namespace connectors::text
