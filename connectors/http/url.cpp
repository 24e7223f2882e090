#include "connectors/http/url.h"

#include <stdexcept>

namespace connectors::http {
namespace {

bool has_scheme(std::string_view url) {
  std::size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0)
    return false;
  for (char c : url.substr(0, colon)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

}  // namespace

std::string_view url_origin(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos)
    return {};
  std::size_t end = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, end);
}

std::string resolve_url(std::string_view base, std::string_view reference) {
  if (has_scheme(reference))
    return std::string(reference);
  if (base.empty() || !has_scheme(base)) {
    throw std::invalid_argument("relative URL \"" + std::string(reference) +
                                "\" but the instance has no http.base_url");
  }
  std::string_view without_fragment = base.substr(0, base.find('#'));
  std::string_view without_query = without_fragment.substr(0, without_fragment.find('?'));
  if (reference.rfind("//", 0) == 0) {
    return std::string(base.substr(0, base.find("://") + 1)) + std::string(reference);
  }
  if (reference.empty())
    return std::string(without_fragment);
  if (reference.front() == '/')
    return std::string(url_origin(base)) + std::string(reference);
  if (reference.front() == '?')
    return std::string(without_query) + std::string(reference);
  std::string folder(without_query);
  if (folder.size() == url_origin(base).size() || folder.back() != '/')
    folder += '/';
  while (reference.rfind("./", 0) == 0)
    reference.remove_prefix(2);
  return folder + std::string(reference);
}

}  // namespace connectors::http
