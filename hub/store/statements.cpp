#include "hub/store/statements.h"

namespace hub {

long long execute(soci::session& session, const std::string& sql, Parameters& parameters) {
  soci::statement statement(session);
  statement.alloc();
  parameters.bind(statement);
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

std::size_t rows_per_statement(std::size_t parameters_per_row) {
  return std::max<std::size_t>(
      1, std::min(kMaxRowsPerStatement, kMaxParametersPerStatement / parameters_per_row));
}

}  // namespace hub
