#include "connectors/json/depth.h"

namespace connectors::json {

std::optional<std::size_t> too_deep(std::string_view json, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // whatever is escaped cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth)
          return i;
        break;
      case ']':
      case '}':
        if (depth > 0)
          --depth;
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

std::string too_deep_reason(std::size_t offset, std::size_t max_depth) {
  return "is nested deeper than " + std::to_string(max_depth) + " levels (at byte " +
         std::to_string(offset) + ")";
}

}  // namespace connectors::json
