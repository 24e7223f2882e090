#include "connectors/http/redact.h"

#include <algorithm>
#include <array>

#include "campaign_hub/ascii.h"

namespace connectors::http {
namespace {

constexpr std::string_view kMask = "***";

// Query parameters that carry credentials in the APIs we know of, compared case-insensitively.
constexpr std::array<std::string_view, 17> kSecretParameters = {
    "api_key", "apikey",        "api-key",       "key",    "token",        "access_token",
    "auth",    "client_secret", "refresh_token", "secret", "password",     "pass",
    "pwd",     "sig",           "signature",     "code",   "private_token"};

}  // namespace

void Redactor::add_secret(std::string_view secret) {
  secrets_.add(secret);
}

void Redactor::add_query_parameter(std::string_view name) {
  std::lock_guard lock(mutex_);
  parameters_.push_back(campaign_hub::ascii_lower(name));
}

bool Redactor::secret_parameter(std::string_view name) const {
  std::string key = campaign_hub::ascii_lower(name);
  if (std::find(kSecretParameters.begin(), kSecretParameters.end(), key) !=
      kSecretParameters.end()) {
    return true;
  }
  std::lock_guard lock(mutex_);
  return std::find(parameters_.begin(), parameters_.end(), key) != parameters_.end();
}

std::string Redactor::url(std::string_view url) const {
  std::string out;
  out.reserve(url.size());
  // user:password@host
  std::size_t scheme = url.find("://");
  std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority);
  std::size_t at = url.substr(0, authority_end).find('@', authority);
  if (at != std::string_view::npos) {
    out.append(url.substr(0, authority));
    out.append(kMask);
    url.remove_prefix(at);
  }
  std::size_t question = url.find('?');
  out.append(url.substr(0, question));
  if (question != std::string_view::npos) {
    out.push_back('?');
    std::string_view query = url.substr(question + 1);
    std::string_view fragment;
    if (std::size_t hash = query.find('#'); hash != std::string_view::npos) {
      fragment = query.substr(hash);
      query = query.substr(0, hash);
    }
    bool first = true;
    while (true) {
      std::size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (!first)
        out.push_back('&');
      first = false;
      std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && secret_parameter(pair.substr(0, eq))) {
        out.append(pair.substr(0, eq + 1));
        out.append(kMask);
      } else {
        out.append(pair);
      }
      if (amp == std::string_view::npos)
        break;
      query.remove_prefix(amp + 1);
    }
    out.append(fragment);
  }
  return text(out);
}

std::string Redactor::text(std::string_view text) const {
  return secrets_.redact(text);
}

}  // namespace connectors::http
