#include "hub/store/sql_query.h"

#include "hub/store/row_values.h"

namespace hub {

void each_row(Database& database, const std::string& sql, const std::vector<std::string>& params,
              const RowVisitor& visit) {
  soci::row row;
  soci::statement statement(database.session());
  statement.alloc();
  for (const auto& param : params)
    statement.exchange(soci::use(param));
  statement.exchange(soci::into(row));
  statement.prepare(sql);
  statement.define_and_bind();
  statement.execute(false);
  std::vector<std::string> columns;
  std::vector<std::optional<std::string>> values;
  while (statement.fetch()) {
    if (columns.empty()) {
      for (std::size_t i = 0; i < row.size(); ++i)
        columns.push_back(row.get_properties(i).get_name());
    }
    values.clear();
    for (std::size_t i = 0; i < row.size(); ++i)
      values.push_back(column_text(row, i));
    visit(columns, values);
  }
}

Table query(Database& database, const std::string& sql, const std::vector<std::string>& params) {
  Table table;
  each_row(database, sql, params, [&](const auto& columns, const auto& row) {
    if (table.columns.empty())
      table.columns = columns;
    table.rows.push_back(row);
  });
  return table;
}

void Where::add(const std::string& condition, const std::optional<std::string>& value) {
  if (!value)
    return;
  clause += (clause.empty() ? " WHERE " : " AND ") + condition;
  params.push_back(*value);
}

void Where::add_raw(const std::string& condition, std::vector<std::string> values) {
  clause += (clause.empty() ? " WHERE " : " AND ") + condition;
  params.insert(params.end(), values.begin(), values.end());
}

}  // namespace hub
