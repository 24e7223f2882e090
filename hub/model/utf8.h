// Text the database can hold the same way on every backend. PostgreSQL refuses a NUL byte
// and invalid UTF-8 in a text column (and so fails the whole batch), while SQLite stores
// them as they came: a record carrying either is quarantined naming its field, and the
// quarantine row itself is made storable.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hub {

// Why `text` cannot be stored as it is: "contains a NUL character at byte 4", "is not valid
// UTF-8 at byte 7 (0xC3)"; nothing when it can. Overlong forms, surrogates and code points
// past U+10FFFF are invalid.
std::optional<std::string> unstorable_text(std::string_view text);

// `text` with each invalid UTF-8 sequence and each NUL replaced by U+FFFD, for the columns
// of a quarantine row (which must be stored whatever the record held).
std::string storable_text(std::string_view text);

}  // namespace hub
