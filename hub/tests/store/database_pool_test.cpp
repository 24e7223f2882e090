// DatabasePool: a connection given back is the next one taken, at most as many as asked are
// kept, one the server closed while it was idle is replaced, and a new URL starts afresh.
#include "hub/store/database_pool.h"

#include <gtest/gtest.h>

#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

class DatabasePoolTest : public ::testing::TestWithParam<std::string> {
 protected:
  // A temporary table (on MariaDB, where the hub's user may make none, a user variable)
  // lives in one connection: it tells a connection again, where a freed and reallocated
  // address would not.
  static void mark(Database& database) {
    if (database.dialect() == Dialect::mysql)
      database.session() << "SET @pool_marker = 1";
    else
      database.session() << "CREATE TEMPORARY TABLE pool_marker (x INTEGER)";
  }
  static bool marked(Database& database) {
    if (database.dialect() == Dialect::mysql) {
      int marker = 0;
      database.session() << "SELECT COALESCE(@pool_marker, 0)", soci::into(marker);
      return marker == 1;
    }
    try {
      int rows = -1;
      database.session() << "SELECT COUNT(*) FROM pool_marker", soci::into(rows);
      return rows == 0;
    } catch (const soci::soci_error&) {
      return false;
    }
  }

  test_support::BackendDatabase backend_{GetParam()};
  DatabasePool pool_;
};

TEST_P(DatabasePoolTest, AConnectionGivenBackIsTheNextOneTaken) {
  auto first = pool_.take(backend_.url());
  mark(*first);
  pool_.give_back(backend_.url(), std::move(first), 2);
  EXPECT_EQ(pool_.idle(), 1u);
  auto again = pool_.take(backend_.url());
  EXPECT_TRUE(marked(*again));
  EXPECT_EQ(pool_.idle(), 0u);
  auto other = pool_.take(backend_.url());
  EXPECT_FALSE(marked(*other)) << "none idle: a new one";
}

TEST_P(DatabasePoolTest, NoMoreThanAskedAreKept) {
  auto a = pool_.take(backend_.url());
  auto b = pool_.take(backend_.url());
  auto c = pool_.take(backend_.url());
  pool_.give_back(backend_.url(), std::move(a), 2);
  pool_.give_back(backend_.url(), std::move(b), 2);
  pool_.give_back(backend_.url(), std::move(c), 2);
  EXPECT_EQ(pool_.idle(), 2u);
}

TEST_P(DatabasePoolTest, AnIdleConnectionTheServerClosedIsReplaced) {
  if (GetParam() == "sqlite3")
    GTEST_SKIP() << "an SQLite connection has no server to close it";
  auto idle = pool_.take(backend_.url());
  long long backend_pid = 0;
  idle->session() << (GetParam() == "postgresql" ? "SELECT pg_backend_pid()"
                                                 : "SELECT CONNECTION_ID()"),
      soci::into(backend_pid);
  pool_.give_back(backend_.url(), std::move(idle), 1);
  {
    Database killer(backend_.url());
    killer.session() << (GetParam() == "postgresql" ? "SELECT pg_terminate_backend(:p)"
                                                    : "KILL :p"),
        soci::use(backend_pid);
  }
  auto taken = pool_.take(backend_.url());
  long long taken_pid = 0;
  taken->session() << (GetParam() == "postgresql" ? "SELECT pg_backend_pid()"
                                                  : "SELECT CONNECTION_ID()"),
      soci::into(taken_pid);
  EXPECT_NE(taken_pid, backend_pid) << "the closed connection was given out";
  EXPECT_EQ(pool_.idle(), 0u);
}

TEST_P(DatabasePoolTest, AnotherUrlClosesTheIdleOnes) {
  auto first = pool_.take(backend_.url());
  mark(*first);
  pool_.give_back(backend_.url(), std::move(first), 2);
  test_support::BackendDatabase other(GetParam());
  auto taken = pool_.take(other.url());
  EXPECT_FALSE(marked(*taken));
  EXPECT_EQ(pool_.idle(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabasePoolTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
