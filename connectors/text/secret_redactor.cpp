#include "connectors/text/secret_redactor.h"

#include <algorithm>
#include <mutex>

namespace connectors::text {

std::vector<std::string> encoded_forms(std::string_view secret) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  auto encode = [&](const char* hex, bool space_as_plus) {
    std::string out;
    for (unsigned char c : secret) {
      bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
      if (unreserved) {
        out += static_cast<char>(c);
      } else if (c == ' ' && space_as_plus) {
        out += '+';
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::vector<std::string> forms = {std::string(secret)};
  for (auto form :
       {encode(kUpper, false), encode(kLower, false), encode(kUpper, true), encode(kLower, true)}) {
    if (std::find(forms.begin(), forms.end(), form) == forms.end())
      forms.push_back(std::move(form));
  }
  return forms;
}

SecretRedactor::SecretRedactor(const SecretRedactor& other) {
  std::shared_lock lock(other.mutex_);
  forms_ = other.forms_;
}

SecretRedactor& SecretRedactor::operator=(const SecretRedactor& other) {
  if (this != &other) {
    std::vector<std::string> forms;
    {
      std::shared_lock lock(other.mutex_);
      forms = other.forms_;
    }
    std::unique_lock lock(mutex_);
    forms_ = std::move(forms);
  }
  return *this;
}

void SecretRedactor::add(std::string_view secret) {
  if (secret.size() < kShortest)
    return;
  std::unique_lock lock(mutex_);
  for (auto& form : encoded_forms(secret)) {
    if (std::find(forms_.begin(), forms_.end(), form) == forms_.end())
      forms_.push_back(std::move(form));
  }
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretRedactor::redact(std::string_view text) const {
  std::string out(text);
  std::shared_lock lock(mutex_);
  for (const auto& form : forms_) {
    for (auto at = out.find(form); at != std::string::npos; at = out.find(form, at + 3))
      out.replace(at, form.size(), "***");
  }
  return out;
}

bool SecretRedactor::empty() const {
  std::shared_lock lock(mutex_);
  return forms_.empty();
}

}  // namespace connectors::text
