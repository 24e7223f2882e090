// How a provider's status text is compared with the keys of a mapping's status map.
#pragma once

#include <string>
#include <string_view>

namespace rest_json {

enum class StatusMatch {
  exact,               // byte for byte, after trimming outer spaces
  case_insensitive,    // also ignores case (ASCII and Latin-1 letters: É = é)
  accent_insensitive,  // also ignores Latin-1 accents (é = e, œ = oe), ’ = ', runs of spaces
};

// The form of `text` under which two texts that `match` treats as equal are equal.
std::string fold_status(std::string_view text, StatusMatch match);

}  // namespace rest_json
