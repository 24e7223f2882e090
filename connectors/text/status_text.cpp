#include "connectors/text/status_text.h"

#include "connectors/text/trim.h"

namespace connectors::text {
namespace {

// The base letters of U+00C0 to U+00FF, lower case ("" for × and ÷, kept as they are).
constexpr const char* kLatin1Base[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

}  // namespace

std::string fold_status(std::string_view text, campaign_hub::StatusMatch match) {
  using campaign_hub::StatusMatch;
  text = trimmed(text);
  if (match == StatusMatch::exact)
    return std::string(text);
  std::string out;
  out.reserve(text.size());
  const bool accents = match == StatusMatch::accent_insensitive;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c < 0x80) {
      char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      if (accents && (lower == ' ' || lower == '\t')) {
        if (!out.empty() && out.back() == ' ')
          continue;
        lower = ' ';
      }
      out += lower;
    } else if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      // U+00C0..U+00FF: upper case is U+00C0..U+00DE except U+00D7 (×).
      unsigned code = 0xC0 + (next - 0x80);
      if (accents && kLatin1Base[code - 0xC0][0] != '\0') {
        out += kLatin1Base[code - 0xC0];
      } else {
        bool upper = code <= 0xDE && code != 0xD7 && code != 0xDF;
        out += static_cast<char>(c);
        out += static_cast<char>(upper ? next + 0x20 : next);
      }
      ++i;
    } else if (accents && c == 0xC5 && (next == 0x92 || next == 0x93)) {
      out += "oe";  // Œ œ
      ++i;
    } else if (accents && c == 0xC2 && next == 0xA0) {
      if (out.empty() || out.back() != ' ')
        out += ' ';  // no-break space
      ++i;
    } else if (accents && c == 0xE2 && next == 0x80 && i + 2 < text.size() &&
               (static_cast<unsigned char>(text[i + 2]) == 0x98 ||
                static_cast<unsigned char>(text[i + 2]) == 0x99)) {
      out += '\'';  // ‘ ’
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace connectors::text
