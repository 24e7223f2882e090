// A guard against deeply nested JSON. RapidJSON's parser, its writer and our own walks over a
// document recurse once per level: a value nested 100,000 deep (200 KB of brackets, in a
// dropped file or a provider's page) overflows the stack and kills the process. Every text
// that comes from outside is measured here first, without recursion, and refused past
// kMaxJsonDepth with a message that says so.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace connectors::json {

// Far deeper than any provider's records (they nest under 20), far shallower than a stack.
inline constexpr std::size_t kMaxJsonDepth = 256;

// The byte offset of the first '[' or '{' that opens level `max_depth + 1`, or nothing when
// `json` never nests that deep. Brackets inside strings do not count. Not a validator: a text
// that is not JSON is measured all the same, and left to the parser to refuse.
std::optional<std::size_t> too_deep(std::string_view json, std::size_t max_depth = kMaxJsonDepth);

// "is nested deeper than 256 levels (at byte 1234)", for "<what> <this>" messages.
std::string too_deep_reason(std::size_t offset, std::size_t max_depth = kMaxJsonDepth);

}  // namespace connectors::json
