// The hub's one redactor: secret values, in every form they travel, replaced by "***".
#pragma once

#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::text {

// `secret` as it is and percent-encoded (upper- and lower-case hex, a space as %20 or +): in a
// query string a provider's error body repeats, or in a form body, a secret is encoded.
std::vector<std::string> encoded_forms(std::string_view secret);

class SecretRedactor {
 public:
  // Values shorter than this would mask ordinary words; they are not secrets worth the name.
  static constexpr std::size_t kShortest = 4;

  SecretRedactor() = default;
  SecretRedactor(const SecretRedactor& other);
  SecretRedactor& operator=(const SecretRedactor& other);

  // Thread-safe: tokens are added as they are obtained, while other threads redact.
  void add(std::string_view secret);
  // `text` with every form of every secret replaced by "***"; the longest first, so that a
  // secret containing another is masked whole.
  std::string redact(std::string_view text) const;
  bool empty() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::string> forms_;  // longest first
};

}  // namespace connectors::text
