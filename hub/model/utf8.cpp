#include "hub/model/utf8.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace hub {
namespace {

// The length of the valid UTF-8 sequence at `at`, or 0 when it is invalid (RFC 3629).
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80)
    return 1;
  std::size_t length;
  std::uint32_t minimum;
  std::uint32_t code;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, minimum = 0x80, code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, minimum = 0x800, code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, minimum = 0x10000, code = lead & 0x07;
  } else {
    return 0;
  }
  if (at + length > text.size())
    return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80)
      return 0;
    code = (code << 6) | (byte(at + i) & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return 0;
  return length;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::optional<std::string> unstorable_text(std::string_view text) {
  // Every field of every record passes here, raw payloads included: runs of ASCII without NUL,
  // nearly all of it, are skipped eight bytes at a time without decoding.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  for (std::size_t at = 0; at < text.size();) {
    std::uint64_t word = 0;
    while (at + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + at, sizeof word);
      // A byte with its high bit set, or a zero byte, ends the run.
      if (((word | ((word - kOnes) & ~word)) & kHighBits) != 0)
        break;
      at += sizeof word;
    }
    if (at == text.size())
      break;
    if (static_cast<unsigned char>(text[at]) - 1u < 0x7Fu) {
      ++at;
      continue;
    }
    if (text[at] == '\0')
      return "contains a NUL character at byte " + std::to_string(at);
    std::size_t length = sequence_length(text, at);
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[at]));
      return "is not valid UTF-8 at byte " + std::to_string(at) + " (" + hex + ")";
    }
    at += length;
  }
  return std::nullopt;
}

std::string storable_text(std::string_view text) {
  if (!unstorable_text(text))
    return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = text[at] == '\0' ? 0 : sequence_length(text, at);
    if (length == 0) {
      out += kReplacement;
      ++at;
    } else {
      out.append(text, at, length);
      at += length;
    }
  }
  return out;
}

}  // namespace hub
