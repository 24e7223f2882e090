#include "hub/store/database.h"

#include <chrono>
#include <optional>
#include <regex>
#include <thread>

#include <fcntl.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

namespace hub {

namespace {

struct Target {
  Dialect dialect;
  const soci::backend_factory* factory;
  std::string connect;
};

// Every wait on the database is bounded, unless the URL sets its own bound (see the header).
constexpr int kConnectTimeoutSeconds = 10;
constexpr int kStatementTimeoutSeconds = 300;

// SQLite's page and page cache for a new file (issue 14, bench/README.md "Where the time goes"):
// with 4 KiB pages and the default 2 MiB cache, a first sync of 100,000 opportunities (about
// 2 kB a row) made 425,000 preads and 390,000 pwrites, the campaign index's pages spilling
// and being read back. 16 KiB pages and an 8 MiB cache take a quarter off that sync for 6 MiB
// of resident memory. The page size only applies to a file that has no table yet.
constexpr int kSqlitePageSize = 16384;
constexpr int kSqliteCacheKib = 8192;
// How long a statement waits for a lock another connection holds.
constexpr std::chrono::milliseconds kSqliteBusyTimeout{10000};

bool mentions(std::string_view connect, std::string_view key) {
  return connect.find(key) != std::string_view::npos;
}

// Appends `key=value` in the connect string's own form (key=value pairs, or a URI's query)
// when the operator did not write that key.
void add_default(std::string& connect, bool uri, std::string_view key, int value) {
  if (mentions(connect, key))
    return;
  std::string pair = std::string(key) + "=" + std::to_string(value);
  if (!uri)
    connect += " " + pair;
  else
    connect += (connect.find('?') == std::string::npos ? "?" : "&") + pair;
}

Target parse_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    throw DatabaseError("database url '" + redact_database_url(url) +
                        "' has no scheme: write sqlite3://FILE, postgresql://... or mysql://...");
  }
  std::string scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);
  if (scheme == "sqlite3" || scheme == "sqlite") {
    if (rest.empty())
      rest = "campaign-hub.db";
    if (rest.find('=') == std::string::npos)
      rest = "db=" + rest;
    return {Dialect::sqlite3, &soci::sqlite3, rest};
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    // libpq reads both forms: key=value pairs, or the URI itself
    // (postgresql://user:password@host:port/db?sslmode=require), given whole.
    static const std::regex key_value_start(R"(^\s*[A-Za-z_]+\s*=)");
    const bool key_values = std::regex_search(rest, key_value_start);
    std::string connect = key_values ? rest : "postgresql://" + rest;
    add_default(connect, !key_values, "connect_timeout", kConnectTimeoutSeconds);
    // A host that vanished (a machine gone, a partition) is noticed within about a minute.
    add_default(connect, !key_values, "keepalives_idle", 30);
    add_default(connect, !key_values, "keepalives_interval", 10);
    add_default(connect, !key_values, "keepalives_count", 3);
    return {Dialect::postgresql, &soci::postgresql, connect};
  }
  if (scheme == "mysql" || scheme == "mariadb") {
    // The client library's own bounds: they hold even when the server is frozen. It retries a
    // read up to three times, so a read waits at most three read_timeouts.
    add_default(rest, false, "connect_timeout", kConnectTimeoutSeconds);
    add_default(rest, false, "read_timeout", kStatementTimeoutSeconds / 3);
    add_default(rest, false, "write_timeout", kStatementTimeoutSeconds / 3);
    return {Dialect::mysql, &soci::mysql, rest};
  }
  throw DatabaseError("database url '" + redact_database_url(url) + "': unknown backend '" +
                      scheme + "' (sqlite3, postgresql or mysql)");
}

// The file an SQLite connect string ("db=path ...") names; nothing for an in-memory one.
std::optional<std::string> sqlite_file(const std::string& connect) {
  auto at = connect.find("db=");
  if (at == std::string::npos || (at > 0 && connect[at - 1] != ' '))
    return std::nullopt;
  std::string path = connect.substr(at + 3, connect.find(' ', at) - (at + 3));
  if (path.empty() || path == ":memory:" || path.starts_with("file:"))
    return std::nullopt;
  return path;
}

// The database holds contact names and e-mails: a new file is readable by its owner only
// (SQLite gives its -wal and -shm files the same mode). An existing file keeps its mode.
void create_private(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0)
    ::close(fd);
  // EEXIST: it is there already; any other error is SQLite's to report, with its words.
}

void on_notice(void*, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n')
    text.remove_suffix(1);
  spdlog::debug("database: {}", text);
}

}  // namespace

std::optional<std::string> sqlite_path(const std::string& url) {
  const Target target = parse_url(url);
  return target.dialect == Dialect::sqlite3 ? sqlite_file(target.connect) : std::nullopt;
}

std::string redact_database_url(std::string_view url) {
  static const std::regex password(R"((password|pass|pwd)\s*=\s*('[^']*'|\S+))", std::regex::icase);
  static const std::regex user_info(R"(://([^:/@\s]+):[^@\s]+@)");
  std::string text = std::regex_replace(std::string(url), password, "$1=***");
  return std::regex_replace(text, user_info, "://$1:***@");
}

std::string database_message(std::string_view message) {
  for (std::string_view context :
       {" while executing \"", " while preparing \"", "while executing \"", "while preparing \""}) {
    if (auto at = message.find(context); at != std::string_view::npos) {
      message = message.substr(0, at);
      break;
    }
  }
  while (!message.empty() && (message.back() == ' ' || message.back() == '\n' ||
                              message.back() == '.' || message.back() == ':')) {
    message.remove_suffix(1);
  }
  constexpr std::size_t kLongest = 400;
  std::string text = redact_database_url(message.substr(0, kLongest));
  if (message.size() > kLongest)
    text += "...";
  return text;
}

namespace {

// Switching a new file to WAL takes the file's exclusive lock. Processes opening a new file at
// once can each hold its shared lock while wanting the exclusive one: SQLite then answers
// SQLITE_BUSY at once, without the busy handler (its rule against deadlock), so the switch is
// tried again for as long as the busy timeout. (`db migrate` six at once on a new file, the
// machine busy: 2 of 240 failed "database is locked".)
void switch_to_wal(soci::session& session) {
  const auto deadline = std::chrono::steady_clock::now() + kSqliteBusyTimeout;
  for (;;) {
    try {
      session << "PRAGMA journal_mode=WAL";
      return;
    } catch (const soci::sqlite3_soci_error& error) {
      if ((error.result() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline)
        throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

Database::Database(const std::string& url) : display_url_(redact_database_url(url)) {
  Target target = parse_url(url);
  dialect_ = target.dialect;
  if (dialect_ == Dialect::sqlite3) {
    if (auto file = sqlite_file(target.connect))
      create_private(*file);
  }
  try {
    session_.open(*target.factory, target.connect);
  } catch (const std::exception& error) {
    throw DatabaseError("cannot open database " + display_url_ + ": " +
                        redact_database_url(error.what()));
  }
  if (dialect_ == Dialect::sqlite3) {
    // The busy timeout first: switching to WAL needs a lock another process may hold.
    session_ << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeout.count());
    session_ << "PRAGMA page_size=" + std::to_string(kSqlitePageSize);  // before WAL: see above
    switch_to_wal(session_);
    session_ << "PRAGMA cache_size=-" + std::to_string(kSqliteCacheKib);
    session_ << "PRAGMA synchronous=NORMAL";
    session_ << "PRAGMA foreign_keys=ON";
  } else if (dialect_ == Dialect::postgresql) {
    // libpq prints NOTICE lines ("relation already exists, skipping") on stderr itself, which
    // breaks --log-format json: they go through the logger instead.
    PQsetNoticeProcessor(static_cast<PGconn*>(postgresql_handle()), on_notice, nullptr);
    // The server's bound on one statement, lock waits included; `options='-c
    // statement_timeout=...'` in the URL sets another.
    if (!mentions(target.connect, "statement_timeout"))
      session_ << "SET statement_timeout = '" + std::to_string(kStatementTimeoutSeconds) + "s'";
  } else if (dialect_ == Dialect::mysql) {
    session_ << "SET NAMES utf8mb4";
    session_ << "SET time_zone = '+00:00'";
    session_ << "SET SESSION max_statement_time = " + std::to_string(kStatementTimeoutSeconds);
  }
}

void* Database::sqlite_handle() {
  if (dialect_ != Dialect::sqlite3)
    return nullptr;
  return static_cast<soci::sqlite3_session_backend*>(session_.get_backend())->conn_;
}

void* Database::postgresql_handle() {
  if (dialect_ != Dialect::postgresql)
    return nullptr;
  return static_cast<soci::postgresql_session_backend*>(session_.get_backend())->conn_;
}

std::string Database::upsert_clause(std::string_view key_columns,
                                    const std::vector<std::string>& update_columns,
                                    bool keep_when_null, std::string_view table) const {
  bool mysql = dialect_ == Dialect::mysql;
  std::string clause = mysql ? " ON DUPLICATE KEY UPDATE "
                             : " ON CONFLICT (" + std::string(key_columns) + ") DO UPDATE SET ";
  for (std::size_t i = 0; i < update_columns.size(); ++i) {
    const std::string& column = update_columns[i];
    std::string incoming = mysql ? "VALUES(" + column + ")" : "excluded." + column;
    if (keep_when_null) {
      std::string stored = table.empty() ? column : std::string(table) + "." + column;
      incoming = "COALESCE(" + incoming + ", " + stored + ")";
    }
    clause += (i ? ", " : "") + column + " = " + incoming;
  }
  return clause;
}

}  // namespace hub
