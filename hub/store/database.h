// One connection to the configured SQL database, and what differs between dialects.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace hub {

enum class Dialect { sqlite3, postgresql, mysql };

// Names what failed without the database password.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Database {
 public:
  // `url`: sqlite3://campaign-hub.db (or sqlite3://db=path), postgresql://host=... dbname=...
  // (or postgresql://user:password@host/db), mysql://host=... db=.... SQLite runs in WAL mode
  // with a busy timeout, so that a second process waits for a lock instead of failing.
  //
  // No wait on a server is unbounded. Unless the URL sets them: connecting gives up after
  // 10 s (libpq's and the MySQL client's connect_timeout); a statement after 300 s
  // (PostgreSQL's statement_timeout, MariaDB's max_statement_time, and the MySQL client's
  // read_timeout and write_timeout of 100 s, which also hold against a frozen server); TCP
  // keepalives notice a PostgreSQL host that vanished. A PostgreSQL server frozen in the
  // middle of a statement answers no keepalive wrongly (its kernel still does), so there the
  // bound is the run's own run_timeout_seconds.
  explicit Database(const std::string& url);

  soci::session& session() { return session_; }
  Dialect dialect() const { return dialect_; }
  // The sqlite3* under SOCI's session, for the fast write path; null for other dialects.
  void* sqlite_handle();
  // The PGconn* under SOCI's session, for COPY; null for other dialects.
  void* postgresql_handle();
  // The URL with any password removed, for messages.
  const std::string& display_url() const { return display_url_; }

  // The dialect's spelling of "insert, or update these columns when the key exists". With
  // `keep_when_null`, a null new value keeps the stored one (a tombstone that only says
  // "deleted" must not erase what was known); `table` names the stored row for that
  // (PostgreSQL finds a bare column name ambiguous there).
  std::string upsert_clause(std::string_view key_columns,
                            const std::vector<std::string>& update_columns,
                            bool keep_when_null = false, std::string_view table = {}) const;

 private:
  Dialect dialect_;
  std::string display_url_;
  soci::session session_;
};

// The file an sqlite3:// URL names; nothing for another backend or an in-memory database.
// Throws DatabaseError for a URL without a known scheme.
std::optional<std::string> sqlite_path(const std::string& url);

// Removes `password=...` (and a user:password@ form) from a connection string.
std::string redact_database_url(std::string_view url);

// A database driver's message fit for a person and a log: SOCI's "while executing "<the
// whole statement>"" context cut (a multi-row statement is kilobytes of SQL and values),
// what is left at most 400 characters, passwords redacted.
std::string database_message(std::string_view message);

}  // namespace hub
