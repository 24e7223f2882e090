// Paging helpers for the page styles our providers use. Pure functions: no I/O, no libcurl, so
// that a plugin (or the rest-json mapping engine) can link them without the HTTP client.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace connectors::http::paging {

// A page that cannot be followed: malformed JSON, a cursor of the wrong type, a bad Link header.
// The message names the JSON pointer or the header.
class PagingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The target of the `rel="next"` link in an RFC 8288 `Link` header, if any.
// `<https://x/items?page=3>; rel="next", <https://x/items?page=1>; rel="first"` gives the first
// URL.
std::optional<std::string> next_link(std::string_view link_header);

// The string at `pointer` (RFC 6901, e.g. "/next_cursor" or "/paging/next") in a parsed body.
// Absent, null or empty means "no next page". A number is accepted and returned as its text
// (some providers send numeric cursors); any other type throws PagingError.
std::optional<std::string> string_at(const rapidjson::Value& document, std::string_view pointer);

// The same, parsing `json_body` first; throws PagingError (with the parse offset) if it is not
// JSON.
std::optional<std::string> string_at(std::string_view json_body, std::string_view pointer);

// The integer at `pointer`, if present and an integer (for totals, page counts, `done` flags use
// bool_at). Throws PagingError for another type.
std::optional<std::int64_t> integer_at(const rapidjson::Value& document, std::string_view pointer);
std::optional<bool> bool_at(const rapidjson::Value& document, std::string_view pointer);

// Offset/count with a total (Mailchimp, Clover): the offset of the next page, or nothing when
// this page was the last. An empty page always ends paging, whatever the total says, so that a
// provider whose total shrinks while we read cannot loop us forever.
std::optional<std::int64_t> next_offset(std::int64_t offset, std::int64_t returned,
                                        std::int64_t total);

// Page/pages (BNTouch): the next page number, or nothing after the last one or an empty page.
std::optional<std::int64_t> next_page(std::int64_t page, std::int64_t pages, std::int64_t returned);

// `url` with query parameter `name` set to `value` (percent-encoded); an existing one is replaced.
std::string with_query(std::string_view url, std::string_view name, std::string_view value);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(std::string_view text);

}  // namespace connectors::http::paging
