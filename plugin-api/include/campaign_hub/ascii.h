// ASCII case folding, for names that are case-insensitive by their protocol: HTTP header
// names, link relations, month and day names. The one compare the hub, its connectors and
// plugins share; it leaves bytes outside A-Z alone, so UTF-8 text is never damaged.
#pragma once

#include <string>
#include <string_view>

namespace campaign_hub {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i]))
      return false;
  }
  return true;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

}  // namespace campaign_hub
