#include "connectors/files/content_hash.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "connectors/files/csv_reader.h"

namespace connectors::files {
namespace {

std::string hash_of(std::string_view text) {
  return text::Fnv1a64().add(text).hex();
}

TEST(ContentHash, HashStreamReadsLargeInputInBlocks) {
  const std::string text(200 * 1024 + 7, 'z');
  std::istringstream input(text);
  EXPECT_EQ(hash_stream(input), hash_of(text));
}

TEST(ContentHash, HashFileHashesTheFileContent) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("content_hash_test_" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".csv");
  {
    std::ofstream file(path, std::ios::binary);
    file << "id\r\n1\r\n";
  }
  EXPECT_EQ(hash_file(path), hash_of("id\r\n1\r\n"));
  std::filesystem::remove(path);
}

TEST(ContentHash, HashFileNamesAFileItCannotRead) {
  try {
    hash_file("/nonexistent/campaigns.csv");
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "cannot read /nonexistent/campaigns.csv");
  }
}

TEST(HashingStreambuf, HashesExactlyTheBytesAReaderConsumed) {
  const std::string text = "id,name\n1,Alpha\n2,\"Beta\nGamma\"\n";
  std::istringstream source(text);
  HashingStreambuf hashing(*source.rdbuf(), 5);  // small blocks cross record boundaries
  std::istream input(&hashing);
  CsvReader reader(input);
  int rows = 0;
  for (CsvRow row; reader.next(row);) {
    ++rows;
  }
  EXPECT_EQ(rows, 2);
  EXPECT_EQ(hashing.finish(), hash_of(text));
}

TEST(HashingStreambuf, FinishReadsWhatTheReaderLeft) {
  const std::string text = "header\nrest of the file\n";
  std::istringstream source(text);
  HashingStreambuf hashing(*source.rdbuf(), 4);
  std::istream input(&hashing);
  std::string first;
  std::getline(input, first);
  EXPECT_EQ(first, "header");
  EXPECT_EQ(hashing.finish(), hash_of(text));
}

}  // namespace
}  // namespace connectors::files
