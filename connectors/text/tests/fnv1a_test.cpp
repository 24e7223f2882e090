#include "connectors/text/fnv1a.h"

#include <gtest/gtest.h>

namespace connectors::text {
namespace {

// The reference vectors of the FNV authors' test suite (isthe.com/chongo/tech/comp/fnv).
TEST(Fnv1a64Test, MatchesTheReferenceVectors) {
  EXPECT_EQ(Fnv1a64().hex(), "cbf29ce484222325");
  EXPECT_EQ(Fnv1a64().add("a").hex(), "af63dc4c8601ec8c");
  EXPECT_EQ(Fnv1a64().add("foobar").hex(), "85944171f73967e8");
}

TEST(Fnv1a64Test, HashingInPiecesEqualsHashingWhole) {
  EXPECT_EQ(Fnv1a64().add("foo").add("bar").value(), Fnv1a64().add("foobar").value());
}

TEST(Fnv1a64Test, EveryByteCounts) {
  EXPECT_NE(Fnv1a64().add(std::string_view("a\0", 2)).value(), Fnv1a64().add("a").value());
  EXPECT_NE(Fnv1a64().add("\xff").value(), Fnv1a64().add("\x7f").value());
}

}  // namespace
}  // namespace connectors::text
