// Reading a column of a soci::row whatever type the backend reports for it: SQLite, PostgreSQL
// and MySQL disagree on what an INTEGER or a COUNT(*) comes back as.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <soci/soci.h>

namespace hub {

std::optional<std::string> column_text(const soci::row& row, std::size_t index);
std::int64_t column_integer(const soci::row& row, std::size_t index);

}  // namespace hub
