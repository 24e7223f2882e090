// A file's content hash, for telling whether it changed since it was imported: the hub's
// FNV-1a 64 (connectors/text/fnv1a.h), as 16 lower-case hex digits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/text/fnv1a.h"

namespace connectors::files {

// Hashes everything left in `input`, reading it in blocks.
std::string hash_stream(std::istream& input);

// Hashes a file's content; throws std::runtime_error naming the file when it cannot be read.
std::string hash_file(const std::filesystem::path& file);

// A stream buffer that hands out the bytes of `source` and hashes them on the way, so that a
// reader can parse a file and learn the hash of exactly the bytes it parsed in one pass.
//
//   std::ifstream file(path, std::ios::binary);
//   HashingStreambuf hashing(*file.rdbuf());
//   std::istream input(&hashing);
//   ... parse input ...
//   std::string hash = hashing.finish();
class HashingStreambuf : public std::streambuf {
 public:
  explicit HashingStreambuf(std::streambuf& source, std::size_t block_bytes = 64 * 1024);

  // Reads whatever the parser left of the source, then returns the hash of all of it.
  std::string finish();

 protected:
  int_type underflow() override;

 private:
  std::streambuf& source_;
  std::vector<char> block_;
  text::Fnv1a64 hash_;
};

}  // namespace connectors::files
