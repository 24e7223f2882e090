// Removes secrets from text before it reaches a log line or an error message.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/text/secret_redactor.h"

namespace connectors::http {

class Redactor {
 public:
  // A value that must never be shown (a token, a key, a password, a client secret, an encoded
  // basic credential), in all its encoded forms (connectors/text). Thread-safe: OAuth2 tokens
  // are added as they are obtained.
  void add_secret(std::string_view secret);
  // A query parameter whose value is a secret, beyond the usual ones (api_key, token, ...).
  void add_query_parameter(std::string_view name);

  // `url` with user info and secret-bearing query values replaced by "***", then redact(text).
  std::string url(std::string_view url) const;
  // `text` with every known secret value replaced by "***".
  std::string text(std::string_view text) const;

 private:
  bool secret_parameter(std::string_view name) const;

  text::SecretRedactor secrets_;
  mutable std::mutex mutex_;  // guards parameters_
  std::vector<std::string> parameters_;
};

}  // namespace connectors::http
