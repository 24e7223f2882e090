// PostgreSQL's COPY text format, as the store writes it.
#include "hub/store/postgresql_rows.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

std::string copied(const Value& value) {
  std::string out;
  append_copy_value(out, value);
  return out;
}

TEST(CopyFormat, NullIsBackslashN) {
  EXPECT_EQ(copied(std::nullopt), "\\N");
}

TEST(CopyFormat, SeparatorsAndBackslashesAreEscaped) {
  EXPECT_EQ(copied("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
}

TEST(CopyFormat, TextThatLooksLikeNullStaysText) {
  EXPECT_EQ(copied("\\N"), "\\\\N");
}

TEST(CopyFormat, Utf8PassesUnchanged) {
  EXPECT_EQ(copied("Université de Lyon — 40 µm 🌱"), "Université de Lyon — 40 µm 🌱");
}

}  // namespace
}  // namespace hub
