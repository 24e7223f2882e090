// Database: every wait on a server is bounded, with defaults an operator can override in the
// URL. A "frozen" server here is a socket that listens and never answers: the kernel completes
// the TCP handshake, as it does for a SIGSTOPped PostgreSQL or MariaDB.
#include "hub/store/database.h"

#include <chrono>
#include <filesystem>
#include <string>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

class FrozenServer {
 public:
  FrozenServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
  }
  ~FrozenServer() { ::close(fd_); }
  FrozenServer(const FrozenServer&) = delete;
  FrozenServer& operator=(const FrozenServer&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Opens `url`, expecting it to fail; returns how long that took, and the message.
std::pair<double, std::string> time_failed_open(const std::string& url) {
  auto start = std::chrono::steady_clock::now();
  std::string message;
  try {
    Database database(url);
    ADD_FAILURE() << "opened " << url;
  } catch (const DatabaseError& error) {
    message = error.what();
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return {took.count(), message};
}

TEST(DatabaseTimeoutsTest, PostgreSQLConnectGivesUpAfterTheURLsConnectTimeout) {
  FrozenServer frozen;
  auto [seconds, message] =
      time_failed_open("postgresql://host=127.0.0.1 port=" + std::to_string(frozen.port()) +
                       " dbname=hub user=hub connect_timeout=2");
  EXPECT_GE(seconds, 1.5);
  EXPECT_LT(seconds, 6.0);
  EXPECT_NE(message.find("cannot open database postgresql://host=127.0.0.1"), std::string::npos)
      << message;
  EXPECT_NE(message.find("timeout"), std::string::npos) << message;
}

TEST(DatabaseTimeoutsTest, PostgreSQLConnectGivesUpAfterTenSecondsByDefault) {
  FrozenServer frozen;
  auto [seconds, message] = time_failed_open(
      "postgresql://hub:secret-pw@127.0.0.1:" + std::to_string(frozen.port()) + "/hub");
  EXPECT_GE(seconds, 9.0);
  EXPECT_LT(seconds, 25.0);
  EXPECT_NE(message.find("timeout"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-pw"), std::string::npos) << message;
}

TEST(DatabaseTimeoutsTest, MySQLConnectGivesUpAfterTheURLsConnectTimeout) {
  FrozenServer frozen;
  auto [seconds, message] =
      time_failed_open("mysql://host=127.0.0.1 port=" + std::to_string(frozen.port()) +
                       " db=hub user=hub connect_timeout=2");
  EXPECT_GE(seconds, 1.5);
  EXPECT_LT(seconds, 8.0);
  EXPECT_NE(message.find("cannot open database mysql://host=127.0.0.1"), std::string::npos)
      << message;
}

TEST(DatabaseTimeoutsTest, MySQLConnectGivesUpAfterTenSecondsByDefault) {
  FrozenServer frozen;
  auto [seconds, message] = time_failed_open(
      "mysql://host=127.0.0.1 port=" + std::to_string(frozen.port()) + " db=hub user=hub");
  EXPECT_GE(seconds, 9.0);
  EXPECT_LT(seconds, 35.0);
  EXPECT_FALSE(message.empty());
}

class StatementTimeoutTest : public ::testing::TestWithParam<std::string> {
 protected:
  test_support::BackendDatabase backend_{GetParam()};
};

TEST_P(StatementTimeoutTest, ServerBoundsEveryStatementAtFiveMinutesByDefault) {
  Database database(backend_.url());
  if (database.dialect() == Dialect::postgresql) {
    std::string timeout;
    database.session() << "SHOW statement_timeout", soci::into(timeout);
    EXPECT_EQ(timeout, "5min");
  } else {
    double timeout = 0;
    database.session() << "SELECT @@max_statement_time", soci::into(timeout);
    EXPECT_EQ(timeout, 300.0);
  }
}

TEST(PostgreSQLStatementTimeoutTest, URLSetsItsOwnStatementTimeout) {
  test_support::BackendDatabase backend("postgresql");
  Database database(backend.url() + " options='-c statement_timeout=1500'");
  std::string timeout;
  database.session() << "SHOW statement_timeout", soci::into(timeout);
  EXPECT_EQ(timeout, "1500ms");
  try {
    database.session() << "SELECT pg_sleep(5)";
    ADD_FAILURE() << "pg_sleep(5) ran past a 1.5 s statement timeout";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("statement timeout"), std::string::npos)
        << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(, StatementTimeoutTest, ::testing::Values("postgresql", "mysql"),
                         test_support::backend_test_name);

// A new SQLite file gets 16 KiB pages, WAL and an 8 MiB page cache (issue 14: a first sync's
// index pages no longer spill and come back); an existing file keeps the page size it has.
TEST(SqliteSettingsTest, NewFileGetsLargePagesAndCacheExistingFileKeepsItsPages) {
  const std::string dir =
      ::testing::TempDir() + "hub-sqlite-settings-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  int page_size = 0;
  int cache_size = 0;
  std::string journal;
  {
    Database database("sqlite3://db=" + dir + "/new.db");
    database.session() << "CREATE TABLE t (x INTEGER)";
    database.session() << "PRAGMA page_size", soci::into(page_size);
    database.session() << "PRAGMA cache_size", soci::into(cache_size);
    database.session() << "PRAGMA journal_mode", soci::into(journal);
  }
  EXPECT_EQ(page_size, 16384);
  EXPECT_EQ(cache_size, -8192);
  EXPECT_EQ(journal, "wal");
  {
    soci::session old(soci::sqlite3, "db=" + dir + "/old.db");
    old << "PRAGMA page_size=4096";
    old << "CREATE TABLE t (x INTEGER)";
  }
  {
    Database database("sqlite3://db=" + dir + "/old.db");
    database.session() << "PRAGMA page_size", soci::into(page_size);
  }
  EXPECT_EQ(page_size, 4096);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hub
