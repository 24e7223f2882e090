#include "connectors/json/depth.h"

#include <string>

#include <gtest/gtest.h>

namespace connectors::json {
namespace {

TEST(TooDeep, CountsObjectsAndArraysTogether) {
  EXPECT_EQ(too_deep(R"({"a": [{"b": [1]}]})", 4), std::nullopt);
  EXPECT_EQ(too_deep(R"({"a": [{"b": [1]}]})", 3), 13u);  // the second '['
}

TEST(TooDeep, BracketsInsideStringsDoNotCount) {
  EXPECT_EQ(too_deep(R"({"a": "[[[[{{{{", "b": "\"[[[["})", 1), std::nullopt);
  EXPECT_EQ(too_deep(R"(["\\", [[]]])", 2), 8u);  // an escaped backslash ends no string
}

TEST(TooDeep, SiblingsDoNotAddUp) {
  std::string wide = "[";
  for (int i = 0; i < 10000; ++i)
    wide += "[1],";
  wide += "[2]]";
  EXPECT_EQ(too_deep(wide, 2), std::nullopt);
}

TEST(TooDeep, AMillionLevelsAreMeasuredWithoutRecursion) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_EQ(too_deep(deep), kMaxJsonDepth);
  EXPECT_EQ(too_deep_reason(kMaxJsonDepth), "is nested deeper than 256 levels (at byte 256)");
}

}  // namespace
}  // namespace connectors::json
