#include "hub/store/cursors.h"

#include "hub/store/row_values.h"

namespace hub {

std::map<std::string, std::string> load_cursors(Database& database, const std::string& instance) {
  std::map<std::string, std::string> cursors;
  soci::rowset<soci::row> rows =
      (database.session().prepare << "SELECT stream, cursor_value FROM cursors WHERE instance = :i",
       soci::use(instance));
  for (const auto& row : rows) {
    cursors[column_text(row, 0).value_or("")] = column_text(row, 1).value_or("");
  }
  return cursors;
}

long long reset_cursors(Database& database, const std::string& instance,
                        const std::optional<std::string>& stream) {
  auto& sql = database.session();
  soci::statement remove =
      stream ? (sql.prepare << "DELETE FROM cursors WHERE instance = :i AND stream = :s",
                soci::use(instance), soci::use(*stream))
             : (sql.prepare << "DELETE FROM cursors WHERE instance = :i", soci::use(instance));
  remove.execute(true);
  return remove.get_affected_rows();
}

}  // namespace hub
