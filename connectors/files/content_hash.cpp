#include "connectors/files/content_hash.h"

#include <array>
#include <fstream>
#include <stdexcept>

namespace connectors::files {

std::string hash_stream(std::istream& input) {
  text::Fnv1a64 hash;
  std::array<char, std::size_t{64} * 1024> block{};
  while (input.read(block.data(), block.size()) || input.gcount() > 0) {
    hash.add({block.data(), static_cast<std::size_t>(input.gcount())});
  }
  return hash.hex();
}

std::string hash_file(const std::filesystem::path& file) {
  std::ifstream input(file, std::ios::binary);
  if (!input) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::string hash = hash_stream(input);
  if (input.bad()) {
    throw std::runtime_error("error while reading " + file.string());
  }
  return hash;
}

HashingStreambuf::HashingStreambuf(std::streambuf& source, std::size_t block_bytes)
    : source_(source), block_(block_bytes == 0 ? 1 : block_bytes) {}

HashingStreambuf::int_type HashingStreambuf::underflow() {
  if (gptr() < egptr()) {
    return traits_type::to_int_type(*gptr());
  }
  const auto count = source_.sgetn(block_.data(), static_cast<std::streamsize>(block_.size()));
  if (count <= 0) {
    setg(block_.data(), block_.data(), block_.data());
    return traits_type::eof();
  }
  hash_.add({block_.data(), static_cast<std::size_t>(count)});
  setg(block_.data(), block_.data(), block_.data() + count);
  return traits_type::to_int_type(*gptr());
}

std::string HashingStreambuf::finish() {
  setg(block_.data(), block_.data(), block_.data());  // what is buffered is hashed already
  while (underflow() != traits_type::eof()) {
    setg(block_.data(), block_.data(), block_.data());
  }
  return hash_.hex();
}

}  // namespace connectors::files
