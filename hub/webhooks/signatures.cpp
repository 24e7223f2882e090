#include "hub/webhooks/signatures.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <stdexcept>

#include "connectors/text/base64.h"
#include "connectors/text/hex.h"

namespace hub::webhooks {
namespace {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return connectors::text::hex(std::span<const unsigned char>(digest.data(), size));
}

std::optional<long long> integer(std::string_view text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// Why a signed time is refused, or nothing when it is within the tolerance.
std::optional<std::string> stale(std::string_view header, long long seconds,
                                 std::chrono::system_clock::time_point now, int tolerance) {
  const long long clock =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const long long off = clock - seconds;
  if (std::llabs(off) <= tolerance)
    return std::nullopt;
  return std::string(header) + " is " + std::to_string(std::llabs(off)) + " s " +
         (off > 0 ? "old" : "ahead of the hub's clock") + " (tolerance " +
         std::to_string(tolerance) + " s)";
}

Verdict refused(std::string reason) {
  return {false, std::move(reason), {}};
}

Verdict standard_webhooks(const WebhookConfig& config, const SignedRequest& request,
                          std::chrono::system_clock::time_point now) {
  const auto id = campaign_hub::find_header(request.headers, "webhook-id");
  const auto timestamp = campaign_hub::find_header(request.headers, "webhook-timestamp");
  const auto signatures = campaign_hub::find_header(request.headers, "webhook-signature");
  if (!id || id->empty())
    return refused("no webhook-id header");
  if (!timestamp)
    return refused("no webhook-timestamp header");
  if (!signatures)
    return refused("no webhook-signature header");
  const auto seconds = integer(*timestamp);
  if (!seconds)
    return refused("webhook-timestamp is not a number of seconds");
  if (auto why = stale("webhook-timestamp", *seconds, now, config.tolerance_seconds))
    return refused(*why);

  std::string_view secret = config.secret;
  if (secret.starts_with("whsec_"))
    secret.remove_prefix(6);
  const auto key = connectors::text::base64_decode(secret);
  if (!key || key->empty())
    return refused("the instance's webhook secret is not a whsec_ base64 secret");
  std::string content;
  content.reserve(id->size() + timestamp->size() + request.body.size() + 2);
  content.append(*id).append(".").append(*timestamp).append(".").append(request.body);
  const std::string expected = hmac_sha256_base64(*key, content);

  // "v1,<base64> v1,<base64> ...": several during a key rotation; any one may match.
  bool any_v1 = false;
  std::string_view rest = *signatures;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    std::string_view token = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (!token.starts_with("v1,"))
      continue;
    any_v1 = true;
    if (same_bytes(token.substr(3), expected))
      return {true, {}, *id};
  }
  return refused(any_v1 ? "no webhook-signature matches" : "webhook-signature has no v1 signature");
}

// HubSpot decodes these escapes of the URL before signing it, and no others.
std::string hubspot_uri(std::string_view url) {
  static constexpr std::pair<std::string_view, char> kDecoded[] = {
      {"%3A", ':'},  {"%2F", '/'}, {"%3F", '?'}, {"%40", '@'}, {"%21", '!'}, {"%24", '$'},
      {"%27", '\''}, {"%28", '('}, {"%29", ')'}, {"%2A", '*'}, {"%2C", ','}, {"%3B", ';'},
  };
  std::string out;
  out.reserve(url.size());
  for (std::size_t i = 0; i < url.size();) {
    std::optional<char> decoded;
    if (url[i] == '%' && i + 3 <= url.size()) {
      const char high = static_cast<char>(std::toupper(static_cast<unsigned char>(url[i + 1])));
      const char low = static_cast<char>(std::toupper(static_cast<unsigned char>(url[i + 2])));
      for (const auto& [escape, character] : kDecoded) {
        if (escape[1] == high && escape[2] == low)
          decoded = character;
      }
    }
    if (decoded) {
      out += *decoded;
      i += 3;
    } else {
      out += url[i++];
    }
  }
  return out;
}

Verdict hubspot_v3(const WebhookConfig& config, const SignedRequest& request,
                   std::chrono::system_clock::time_point now) {
  const auto signature = campaign_hub::find_header(request.headers, "X-HubSpot-Signature-v3");
  const auto timestamp = campaign_hub::find_header(request.headers, "X-HubSpot-Request-Timestamp");
  if (!signature)
    return refused("no X-HubSpot-Signature-v3 header");
  if (!timestamp)
    return refused("no X-HubSpot-Request-Timestamp header");
  const auto milliseconds = integer(*timestamp);
  if (!milliseconds)
    return refused("X-HubSpot-Request-Timestamp is not a number of milliseconds");
  if (auto why = stale("X-HubSpot-Request-Timestamp", *milliseconds / 1000, now,
                       config.tolerance_seconds)) {
    return refused(*why);
  }
  std::string content;
  content.append(request.method).append(hubspot_uri(request.url)).append(request.body);
  content.append(*timestamp);
  if (!same_bytes(*signature, hmac_sha256_base64(config.secret, content)))
    return refused("X-HubSpot-Signature-v3 does not match");
  return {true, {}, sha256_hex(request.body)};
}

// A secret anyone could guess in a few thousand tries protects nothing.
constexpr std::size_t kShortestUrlSecret = 16;

Verdict url_secret(const WebhookConfig& config, const SignedRequest& request) {
  if (config.secret.size() < kShortestUrlSecret) {
    return refused("the instance's url-secret is shorter than " +
                   std::to_string(kShortestUrlSecret) + " characters: the hub takes nothing");
  }
  if (request.path_secret.empty())
    return refused("the URL has no secret segment");
  if (!same_bytes(request.path_secret, config.secret))
    return refused("the URL's secret does not match");
  return {true, {}, sha256_hex(request.body)};
}

}  // namespace

std::optional<Scheme> scheme_named(std::string_view name) {
  if (name == "standard-webhooks")
    return Scheme::standard_webhooks;
  if (name == "hubspot-v3")
    return Scheme::hubspot_v3;
  if (name == "url-secret")
    return Scheme::url_secret;
  return std::nullopt;
}

Verdict verify(const WebhookConfig& config, const SignedRequest& request,
               std::chrono::system_clock::time_point now) {
  const auto scheme = scheme_named(config.scheme);
  if (!scheme)
    return refused("the instance's webhook scheme '" + config.scheme +
                   "' is not one the hub knows");
  if (config.secret.empty())
    return refused("the instance has no webhook secret");
  switch (*scheme) {
    case Scheme::standard_webhooks:
      return standard_webhooks(config, request, now);
    case Scheme::hubspot_v3:
      return hubspot_v3(config, request, now);
    case Scheme::url_secret:
      return url_secret(config, request);
  }
  return refused("unknown scheme");
}

std::string hmac_sha256_base64(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
           &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return connectors::text::base64(
      std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

bool same_bytes(std::string_view a, std::string_view b) {
  // The lengths are not secret (a signature's length is public); the bytes are.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hub::webhooks
