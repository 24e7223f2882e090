// Resolution of request URLs against an instance's base URL.
#pragma once

#include <string>
#include <string_view>

namespace connectors::http {

// RFC 3986 reference resolution, with the base's path taken as a folder so that a base URL of
// "https://us21.api.mailchimp.com/3.0" and "campaigns" give ".../3.0/campaigns":
//   "https://x/y"  -> as is          "/a/b?c" -> base origin + "/a/b?c"
//   "a/b"          -> base folder + "a/b"     "?c"     -> base without query + "?c"
// Throws std::invalid_argument for a relative reference without a base.
std::string resolve_url(std::string_view base, std::string_view reference);

// "https://host:port" of an absolute URL.
std::string_view url_origin(std::string_view url);

}  // namespace connectors::http
