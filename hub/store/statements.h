// Statements built for their rows: the values of one execution (Parameters), a one-time
// execution, a query visited row by row, "... IN (<list>)" in chunks, and multi-row INSERTs.
// What every SOCI-bound write of the store is made of.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "hub/model/canonical.h"
#include "hub/store/database.h"

namespace hub {

// A batch is written with a few multi-row statements rather than one per record: one round
// trip for a thousand rows. SOCI 4.0's own vector binding sends one round trip per row on
// PostgreSQL and MySQL, and can re-send old values when a re-executed statement's vectors
// change size (SOCI issue 1167), so each statement here is built for its rows and bound to
// scalars that live as long as its one execution.
inline constexpr std::size_t kMaxRowsPerStatement = 1000;
// Below SQLite's 32766 host parameters (PostgreSQL and MySQL allow 65535).
inline constexpr std::size_t kMaxParametersPerStatement = 30000;

// The values of one statement execution, in placeholder order. Deques: binding is by
// reference, and adding a value must not move the ones already bound.
class Parameters {
 public:
  explicit Parameters(Dialect dialect) : anonymous_(dialect == Dialect::sqlite3) {}

  void text(const std::string& value) { add(value, soci::i_ok); }
  void text(const Value& value) { add(value.value_or(""), value ? soci::i_ok : soci::i_null); }
  void integer(long long value) {
    integers_.push_back(value);
    order_.emplace_back(false, integers_.size() - 1);
  }
  std::size_t size() const { return order_.size(); }

  // The placeholder of the next value, for SQL text built alongside: ":p<n>", or "?" on
  // SQLite, whose lookup of named parameters is linear (quadratic over a 20,000-value
  // statement); SOCI's PostgreSQL and MySQL backends need names.
  std::string next() const { return placeholder(order_.size()); }
  std::string placeholder(std::size_t index) const {
    return anonymous_ ? "?" : ":p" + std::to_string(index);
  }

  void bind(soci::statement& statement) {
    for (auto [is_text, index] : order_) {
      if (is_text)
        statement.exchange(soci::use(texts_[index], indicators_[index]));
      else
        statement.exchange(soci::use(integers_[index]));
    }
  }

 private:
  void add(const std::string& value, soci::indicator indicator) {
    texts_.push_back(value);
    indicators_.push_back(indicator);
    order_.emplace_back(true, texts_.size() - 1);
  }

  std::deque<std::string> texts_;
  std::deque<soci::indicator> indicators_;
  std::deque<long long> integers_;
  std::vector<std::pair<bool, std::size_t>> order_;
  bool anonymous_;
};

// Runs `sql` once with `parameters`; answers the rows it changed. A one-time query: on
// PostgreSQL one PQexecParams, no server-side prepared statement left behind.
long long execute(soci::session& session, const std::string& sql, Parameters& parameters);

// How many rows of `parameters_per_row` values one multi-row statement takes.
std::size_t rows_per_statement(std::size_t parameters_per_row);

// Runs the query `sql` and hands every row to `visit`.
template <typename Visit>
void each_row(soci::session& session, const std::string& sql, Parameters& parameters, Visit visit) {
  soci::row row;
  soci::statement statement(session);
  statement.alloc();
  parameters.bind(statement);
  statement.exchange(soci::into(row));
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
  if (!statement.execute(true))
    return;
  do {
    visit(row);
  } while (statement.fetch());
}

// One statement per chunk of at most kMaxRowsPerStatement of `keys`, for a key list in
// "... IN (<list>)": `head` binds the values before the list, `bind` one key, and `run` gets
// the list's placeholders ("?, ?, ?" or ":p1, :p2, :p3") with the parameters to execute.
template <typename Keys, typename Head, typename Bind, typename Run>
void in_chunks(Dialect dialect, const Keys& keys, Head head, Bind bind, Run run) {
  for (std::size_t first = 0; first < keys.size(); first += kMaxRowsPerStatement) {
    std::size_t last = std::min<std::size_t>(keys.size(), first + kMaxRowsPerStatement);
    Parameters parameters(dialect);
    head(parameters);
    std::string in;
    for (std::size_t i = first; i < last; ++i) {
      in += (i == first ? "" : ", ") + parameters.next();
      bind(parameters, keys[i]);
    }
    run(in, parameters);
  }
}

// Inserts `count` rows with one statement per chunk: `head` ("INSERT INTO t (a, b) VALUES "),
// then `fill(parameters, i)` adds the values of row i, then `tail` (an upsert clause).
template <typename Fill>
void insert_rows(Database& database, const std::string& head, std::size_t per_row,
                 std::size_t count, const std::string& tail, Fill fill) {
  std::size_t chunk = rows_per_statement(per_row);
  for (std::size_t first = 0; first < count; first += chunk) {
    std::size_t last = std::min(count, first + chunk);
    Parameters parameters(database.dialect());
    std::string sql = head;
    sql.reserve(head.size() + tail.size() + (last - first) * per_row * 8);
    for (std::size_t i = first; i < last; ++i) {
      std::size_t from = parameters.size();
      fill(parameters, i);
      sql += i == first ? "(" : ", (";
      for (std::size_t p = from; p < parameters.size(); ++p) {
        if (p != from)
          sql += ", ";
        sql += parameters.placeholder(p);
      }
      sql += ')';
    }
    sql += tail;
    execute(database.session(), sql, parameters);
  }
}

}  // namespace hub
