// The one trim of outer white space (space, tab, CR, LF, VT, FF) that the hub applies to what a
// provider sends: ids, status words, text fields.
#pragma once

#include <string_view>

namespace connectors::text {

constexpr std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace connectors::text
