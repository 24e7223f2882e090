#include "connectors/text/base64.h"

#include <string>

#include <gtest/gtest.h>

namespace connectors::text {
namespace {

using namespace std::string_literals;

// RFC 4648, section 10.
TEST(Base64Test, MatchesTheRfcVectorsBothWays) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64(bytes), text);
    EXPECT_EQ(base64_decode(text), bytes);
  }
  const std::string all_bytes = "\x00\xff\x10\x80\x7f"s;
  EXPECT_EQ(base64_decode(base64(all_bytes)), all_bytes);
}

TEST(Base64Test, RefusesWhatIsNotPaddedStandardBase64) {
  EXPECT_EQ(base64_decode("Zm9"), std::nullopt);       // not a multiple of four
  EXPECT_EQ(base64_decode("Zm9v!A=="), std::nullopt);  // not in the alphabet
  EXPECT_EQ(base64_decode("Zm-_"), std::nullopt);      // the URL-safe alphabet
  EXPECT_EQ(base64_decode("Zm=v"), std::nullopt);      // padding inside
  EXPECT_EQ(base64_decode("Zh=="), std::nullopt);      // bits set past the last byte
}

}  // namespace
}  // namespace connectors::text
