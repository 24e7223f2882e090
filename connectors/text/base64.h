// Base64 (RFC 4648, the standard alphabet, padded): HTTP Basic credentials, and the webhook
// signatures and secrets providers send (Standard Webhooks, HubSpot v3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace connectors::text {

inline std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0)
    out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  while (out.size() % 4 != 0)
    out.push_back('=');
  return out;
}

// The bytes `in` encodes, or nothing when it is not padded base64 of the standard alphabet.
inline std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0)
    return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < in.size() && in[in.size() - 1 - padding] == '=')
    ++padding;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < in.size() - padding; ++i) {
    const char c = in[i];
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+')
      value = 62;
    else if (c == '/')
      value = 63;
    else
      return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  if ((bits & ((1u << count) - 1)) != 0)  // bits past the last byte must be zero
    return std::nullopt;
  return out;
}

}  // namespace connectors::text
