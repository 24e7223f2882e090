#include "connectors/files/ndjson_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace connectors::files {
namespace {

std::vector<NdjsonLine> read_lines(const std::string& text, NdjsonOptions options = {}) {
  std::istringstream input(text);
  NdjsonReader reader(input, options);
  std::vector<NdjsonLine> lines;
  for (NdjsonLine line; reader.next(line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(NdjsonReader, ReadsEachLineWithItsNumber) {
  const auto lines = read_lines("{\"id\":1}\n{\"id\":2}\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "{\"id\":1}");
  EXPECT_EQ(lines[0].line, 1u);
  EXPECT_EQ(lines[1].text, "{\"id\":2}");
  EXPECT_EQ(lines[1].line, 2u);
}

TEST(NdjsonReader, BlankLinesAreSkippedButCounted) {
  const auto lines = read_lines("\n{\"id\":1}\n  \t\n\r\n{\"id\":2}\n\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].line, 2u);
  EXPECT_EQ(lines[1].line, 5u);
}

TEST(NdjsonReader, CrlfLineEndsAreDropped) {
  const auto lines = read_lines("{\"id\":1}\r\n{\"id\":2}\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "{\"id\":1}");
  EXPECT_EQ(lines[1].text, "{\"id\":2}");
}

TEST(NdjsonReader, LastLineWithoutLineEnd) {
  const auto lines = read_lines("{\"id\":1}\n{\"id\":2}");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "{\"id\":2}");
}

TEST(NdjsonReader, Utf8BomIsDropped) {
  const auto lines = read_lines("\xEF\xBB\xBF{\"name\":\"Zoë\"}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "{\"name\":\"Zoë\"}");
}

TEST(NdjsonReader, BytesThatOnlyStartLikeABomAreText) {
  const auto lines = read_lines("\xEF{}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "\xEF{}");
}

TEST(NdjsonReader, EmptyInputHasNoLines) {
  EXPECT_TRUE(read_lines("").empty());
  EXPECT_TRUE(read_lines("\n\n").empty());
}

TEST(NdjsonReader, OverlongLineNamesItsLine) {
  try {
    read_lines("{}\n" + std::string(100, 'x') + "\n", {.max_line_bytes = 64});
    FAIL() << "no ParseError";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.line(), 2u);
    EXPECT_STREQ(error.what(), "line 2: the line is longer than 64 bytes");
  }
}

}  // namespace
}  // namespace connectors::files
