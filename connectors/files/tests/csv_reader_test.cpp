#include "connectors/files/csv_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace connectors::files {
namespace {

using Fields = std::vector<std::string>;

struct CsvFile {
  Fields header;
  std::vector<CsvRow> rows;
};

CsvFile read_csv(const std::string& text, CsvOptions options = {}) {
  std::istringstream input(text);
  CsvReader reader(input, options);
  CsvFile file{reader.header(), {}};
  for (CsvRow row; reader.next(row);) {
    file.rows.push_back(row);
  }
  return file;
}

// The ParseError that reading `text` throws.
ParseError error_of(const std::string& text, CsvOptions options = {}) {
  try {
    read_csv(text, options);
  } catch (const ParseError& error) {
    return error;
  }
  ADD_FAILURE() << "no ParseError for: " << text;
  return ParseError(0, "none");
}

TEST(CsvReader, ReadsHeaderAndRowsWithTheirLines) {
  const auto file = read_csv("id,name\n1,Alpha\n2,Beta\n");
  EXPECT_EQ(file.header, (Fields{"id", "name"}));
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0].fields, (Fields{"1", "Alpha"}));
  EXPECT_EQ(file.rows[0].line, 2u);
  EXPECT_EQ(file.rows[1].fields, (Fields{"2", "Beta"}));
  EXPECT_EQ(file.rows[1].line, 3u);
}

TEST(CsvReader, QuotedFieldKeepsTheDelimiter) {
  const auto file = read_csv("id,org\n1,\"Université Paris-Saclay, LRI\"\n");
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"1", "Université Paris-Saclay, LRI"}));
}

TEST(CsvReader, DoubledQuoteIsOneQuote) {
  const auto file = read_csv("id,title\n1,\"The \"\"smart\"\" sensor\"\n2,\"\"\"\"\n");
  EXPECT_EQ(file.rows.at(0).fields[1], "The \"smart\" sensor");
  EXPECT_EQ(file.rows.at(1).fields[1], "\"");
}

TEST(CsvReader, QuotedFieldKeepsNewlinesAndLinesStayCounted) {
  const auto file = read_csv("id,note\n1,\"first\nsecond\r\nthird\"\n2,plain\n");
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0].fields[1], "first\nsecond\r\nthird");
  EXPECT_EQ(file.rows[0].line, 2u);
  EXPECT_EQ(file.rows[1].line, 5u);
}

TEST(CsvReader, CrlfLineEnds) {
  const auto file = read_csv("id,name\r\n1,Alpha\r\n2,Beta\r\n");
  EXPECT_EQ(file.header, (Fields{"id", "name"}));
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[1].fields, (Fields{"2", "Beta"}));
  EXPECT_EQ(file.rows[1].line, 3u);
}

TEST(CsvReader, LoneCrEndsALine) {
  const auto file = read_csv("id,name\r1,Alpha\r");
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"1", "Alpha"}));
  EXPECT_EQ(file.rows.at(0).line, 2u);
}

TEST(CsvReader, Utf8BomIsDropped) {
  const auto file = read_csv("\xEF\xBB\xBFid,name\n1,Zoë\n");
  EXPECT_EQ(file.header, (Fields{"id", "name"}));
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"1", "Zoë"}));
}

TEST(CsvReader, BytesThatOnlyStartLikeABomAreText) {
  const auto file = read_csv("\xEF\xBBid,name\n1,x\n");
  EXPECT_EQ(file.header, (Fields{"\xEF\xBBid", "name"}));
}

TEST(CsvReader, EmptyLastLineAddsNoRow) {
  EXPECT_EQ(read_csv("id\n1\n").rows.size(), 1u);
  EXPECT_EQ(read_csv("id\n1\n\n").rows.size(), 1u);
  EXPECT_EQ(read_csv("id\r\n1\r\n\r\n").rows.size(), 1u);
}

TEST(CsvReader, LastRowWithoutLineEnd) {
  const auto file = read_csv("id,name\n1,\"Alpha\"");
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"1", "Alpha"}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  const auto file = read_csv("id,name\n\n1,Alpha\n\r\n\n2,Beta\n");
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0].line, 3u);
  EXPECT_EQ(file.rows[1].line, 6u);
}

TEST(CsvReader, EmptyFieldsAndTrailingDelimiter) {
  const auto file = read_csv("a,b,c\n,,\n\"\",x,\n");
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"", "", ""}));
  EXPECT_EQ(file.rows.at(1).fields, (Fields{"", "x", ""}));
}

TEST(CsvReader, SpacesArePartOfTheField) {
  const auto file = read_csv("a,b\n  1 , two \n");
  EXPECT_EQ(file.rows.at(0).fields, (Fields{"  1 ", " two "}));
}

TEST(CsvReader, OtherDelimiters) {
  EXPECT_EQ(read_csv("a;b\n\"x;y\";z\n", {.delimiter = ';'}).rows.at(0).fields,
            (Fields{"x;y", "z"}));
  EXPECT_EQ(read_csv("a\tb\n1,5\t2\n", {.delimiter = '\t'}).rows.at(0).fields,
            (Fields{"1,5", "2"}));
}

TEST(CsvReader, EmptyInputHasNoHeaderAndNoRows) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "\n\n"}) {
    const auto file = read_csv(text);
    EXPECT_TRUE(file.header.empty());
    EXPECT_TRUE(file.rows.empty());
  }
}

TEST(CsvReader, HeaderOnly) {
  const auto file = read_csv("id,name\n");
  EXPECT_EQ(file.header, (Fields{"id", "name"}));
  EXPECT_TRUE(file.rows.empty());
}

TEST(CsvReader, ReadsOneRecordAtATime) {
  std::istringstream input("id,name\n1,Alpha\n2,Beta\n");
  CsvReader reader(input);
  EXPECT_EQ(input.tellg(), 8);  // just past the header
  CsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(input.tellg(), 16);
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItOpensOn) {
  const auto error = error_of("id,note\n1,ok\n2,\"never closed\n3,more\n4,rows\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_STREQ(error.what(),
               "line 3: field 2: the quote that opens it is never closed (a quote inside a "
               "quoted field must be doubled: \"\")");
}

TEST(CsvReader, StrayQuoteInAnUnquotedFieldNamesItsLine) {
  const auto error = error_of("id,title\n1,ok\n2,5\" screen\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_STREQ(error.what(),
               "line 3: field 2: stray quote in an unquoted field (quote the whole field and "
               "double the quotes inside it)");
}

TEST(CsvReader, TextAfterAClosingQuoteIsAnError) {
  const auto error = error_of("id,title\n1,\"Alpha\"x\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_NE(std::string(error.what()).find("text after the closing quote"), std::string::npos);
}

TEST(CsvReader, ErrorLineCountsNewlinesInsideEarlierQuotedFields) {
  const auto error = error_of("id,note\n1,\"two\nlines\"\n2,bad\"quote\n");
  EXPECT_EQ(error.line(), 4u);
}

TEST(CsvReader, RowWithMoreFieldsThanTheHeaderNamesItsLine) {
  const auto error = error_of("id,name\n1,Alpha\n2,Beta,extra\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_STREQ(error.what(),
               "line 3: the row has more fields than the header (line 1), which has 2");
}

// 25 million one-byte fields on one line drove memory to 1.2 GB before the row was refused:
// it is refused at its first field past the header's count, having kept no more than those.
TEST(CsvReader, AVeryWideRowIsRefusedAtItsFirstExtraField) {
  std::string wide = "id,name\n1";
  for (int i = 0; i < 1000000; ++i)
    wide += ",x";
  const auto error = error_of(wide + "\n");
  EXPECT_STREQ(error.what(),
               "line 2: the row has more fields than the header (line 1), which has 2");
}

TEST(CsvReader, HeaderAndRecordSizesAreBounded) {
  CsvOptions options;
  options.max_fields = 3;
  options.max_record_bytes = 10;
  std::istringstream wide_header("a,b,c,d\n");
  try {
    CsvReader reader(wide_header, options);
    ADD_FAILURE() << "a header of 4 fields passed a limit of 3";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "line 1: the header has more than 3 fields");
  }
  std::istringstream long_record("a,b\n123456,7890123\n");
  CsvReader reader(long_record, options);
  CsvRow row;
  try {
    reader.next(row);
    ADD_FAILURE() << "a record of 13 bytes passed a limit of 10";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "line 2: the record is longer than 10 bytes");
  }
}

TEST(CsvReader, RowWithFewerFieldsThanTheHeaderNamesItsLine) {
  const auto error = error_of("\n\nid,name,status\n1,Alpha\n");
  EXPECT_EQ(error.line(), 4u);
  EXPECT_STREQ(error.what(), "line 4: the row has 2 fields but the header (line 3) has 3");
}

TEST(CsvReader, MalformedHeaderFailsAtOnce) {
  std::istringstream input("id,\"name\n1,Alpha\n");
  EXPECT_THROW(CsvReader reader(input), ParseError);
}

TEST(CsvReader, OverlongFieldIsAnError) {
  const auto error = error_of("id,note\n1,\"" + std::string(100, 'x') + "\n",
                              {.delimiter = ',', .max_field_bytes = 64});
  EXPECT_EQ(error.line(), 2u);
  EXPECT_NE(std::string(error.what()).find("is a quote never closed?"), std::string::npos);
}

}  // namespace
}  // namespace connectors::files
