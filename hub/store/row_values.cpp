#include "hub/store/row_values.h"

#include <ctime>

#include "hub/model/canonical.h"

namespace hub {

std::optional<std::string> column_text(const soci::row& row, std::size_t index) {
  if (row.get_indicator(index) == soci::i_null)
    return std::nullopt;
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
      return row.get<std::string>(index);
    case soci::dt_double:
      return number_text(row.get<double>(index));
    case soci::dt_integer:
      return number_text(static_cast<std::int64_t>(row.get<int>(index)));
    case soci::dt_long_long:
      return number_text(static_cast<std::int64_t>(row.get<long long>(index)));
    case soci::dt_unsigned_long_long:
      return std::to_string(row.get<unsigned long long>(index));
    case soci::dt_date: {
      std::tm time = row.get<std::tm>(index);
      char buffer[32];
      std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &time);
      return std::string(buffer);
    }
    default:
      return std::nullopt;
  }
}

std::int64_t column_integer(const soci::row& row, std::size_t index) {
  if (row.get_indicator(index) == soci::i_null)
    return 0;
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(index);
    case soci::dt_long_long:
      return row.get<long long>(index);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(index));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(index));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(index));
    default:
      return 0;
  }
}

}  // namespace hub
