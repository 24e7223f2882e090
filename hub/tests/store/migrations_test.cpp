// migrate(): the numbered migrations build the schema the store writes, once.
#include "hub/store/migrations.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hub/model/canonical.h"
#include "hub/store/row_values.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

class MigrationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::set<std::string> table_columns(std::string_view table) {
    std::set<std::string> names;
    std::string name(table);
    std::string sql =
        database_.dialect() == Dialect::sqlite3
            ? "SELECT name FROM pragma_table_info('" + name + "')"
        : database_.dialect() == Dialect::postgresql
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = "
              "current_schema() AND table_name = '" +
                  name + "'"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = "
              "DATABASE() AND table_name = '" +
                  name + "'";
    soci::rowset<soci::row> rows = database_.session().prepare << sql;
    for (const auto& row : rows)
      names.insert(column_text(row, 0).value_or(""));
    return names;
  }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
};

TEST_P(MigrationsTest, EmptyDatabaseIsAtVersionZero) {
  EXPECT_EQ(schema_version(database_), 0);
}

TEST_P(MigrationsTest, FirstMigrateAppliesEveryMigrationAndTheSecondNone) {
  EXPECT_EQ(migrate(database_), latest_schema_version());
  EXPECT_EQ(schema_version(database_), latest_schema_version());
  EXPECT_EQ(migrate(database_), 0);
  EXPECT_EQ(schema_version(database_), latest_schema_version());
}

TEST_P(MigrationsTest, EveryEntityTableHasEveryCanonicalColumn) {
  migrate(database_);
  for (Entity entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step,
                        Entity::metrics}) {
    std::set<std::string> present = table_columns(table_name(entity));
    ASSERT_FALSE(present.empty()) << "no table " << table_name(entity);
    for (const Column& column : columns(entity)) {
      EXPECT_TRUE(present.contains(std::string(column.name)))
          << table_name(entity) << " lacks column " << column.name;
    }
    EXPECT_TRUE(present.contains("instance")) << table_name(entity);
    EXPECT_TRUE(present.contains("content_hash")) << table_name(entity);
  }
}

TEST_P(MigrationsTest, RecordTablesHaveTheKeyAndBookkeepingColumns) {
  migrate(database_);
  for (Entity entity : {Entity::campaign, Entity::opportunity, Entity::participant, Entity::step}) {
    std::set<std::string> present = table_columns(table_name(entity));
    for (const char* name : {"id", "instance", "external_id", "content_hash", "first_seen",
                             "last_synced", "last_run"}) {
      EXPECT_TRUE(present.contains(name)) << table_name(entity) << " lacks column " << name;
    }
  }
  EXPECT_EQ(table_columns("metrics_snapshots").count("run_id"), 1u);
}

TEST_P(MigrationsTest, BookkeepingTablesExist) {
  migrate(database_);
  EXPECT_EQ(table_columns("leases"),
            (std::set<std::string>{"instance", "run_id", "holder", "acquired_at", "expires_at",
                                   "epoch", "next_at", "asked", "failures"}));
  EXPECT_EQ(table_columns("cursors"),
            (std::set<std::string>{"instance", "stream", "cursor_value", "updated_at", "run_id"}));
  for (const char* table : {"runs", "quarantine", "status_events", "initiatives"}) {
    EXPECT_FALSE(table_columns(table).empty()) << "no table " << table;
  }
}

TEST_P(MigrationsTest, DatabaseNewerThanTheHubIsRefused) {
  migrate(database_);
  database_.session() << "INSERT INTO schema_migrations (version, applied_at) "
                         "VALUES (99, '2030-01-01T00:00:00Z')";
  try {
    migrate(database_);
    FAIL() << "a version 99 database was accepted";
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("schema version 99, newer than this hub's " +
                        std::to_string(latest_schema_version())),
              std::string::npos)
        << error.what();
  }
}

// Every run's process checks the schema: a current one is recognised without the migration
// lock, so that no start waits for another's. Shown on SQLite, where the lock is the write
// lock another connection can hold (the read is the same SQL on every backend).
TEST_P(MigrationsTest, ACurrentSchemaIsRecognisedWithoutTheMigrationLock) {
  if (GetParam() != "sqlite3")
    GTEST_SKIP() << "the migration lock is held from outside on SQLite only";
  migrate(database_);
  Database writer(backend_.url());
  writer.session() << "BEGIN IMMEDIATE";
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(migrate(database_), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1))
      << "it waited for the lock";
  writer.session() << "ROLLBACK";
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub

namespace hub {
namespace {

// The database holds contact names and e-mails: a file the hub creates is its owner's only,
// and so are SQLite's -wal and -shm files beside it; a file that exists keeps its mode.
TEST(SqliteFileTest, ANewDatabaseFileAndItsWalAreReadableByTheOwnerOnly) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("hub-mode-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto old_mask = ::umask(022);
  {
    Database database("sqlite3://" + (dir / "hub.db").string());
    migrate(database);
    const auto mode = [](const fs::path& file) {
      return fs::status(file).permissions() & fs::perms::all;
    };
    EXPECT_EQ(mode(dir / "hub.db"), fs::perms::owner_read | fs::perms::owner_write);
    ASSERT_TRUE(fs::exists(dir / "hub.db-wal"));
    EXPECT_EQ(mode(dir / "hub.db-wal"), fs::perms::owner_read | fs::perms::owner_write);

    std::ofstream(dir / "shared.db").close();
    fs::permissions(dir / "shared.db", fs::perms::owner_all | fs::perms::group_read);
    Database shared("sqlite3://" + (dir / "shared.db").string());
    EXPECT_EQ(mode(dir / "shared.db"), fs::perms::owner_all | fs::perms::group_read);
  }
  ::umask(old_mask);
  fs::remove_all(dir);
}

// config/README.md showed postgresql://user:password@host/db, which did not work at all. Both
// libpq forms open, and the URI's password is never shown.
TEST(PostgresqlUrlTest, TheUriFormOpensAndItsPasswordIsRedacted) {
  test_support::BackendDatabase backend("postgresql");
  std::map<std::string, std::string> keys;
  std::istringstream pairs(backend.url().substr(std::string("postgresql://").size()));
  for (std::string pair; pairs >> pair;)
    keys[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
  const std::string uri = "postgresql://" + keys["user"] + ":" + keys["password"] + "@" +
                          keys["host"] + ":" + keys["port"] + "/" + keys["dbname"] +
                          "?sslmode=disable";
  Database database(uri);
  migrate(database);
  EXPECT_EQ(database.display_url().find(keys["password"]), std::string::npos);
  EXPECT_NE(database.display_url().find(":***@"), std::string::npos) << database.display_url();
  try {
    Database wrong("postgresql://" + keys["user"] + ":" + keys["password"] + "x@" + keys["host"] +
                   ":" + keys["port"] + "/" + keys["dbname"]);
    ADD_FAILURE() << "a wrong password opened the database";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(std::string(error.what()).find(keys["password"]), std::string::npos) << error.what();
  }
}

// A failing multi-row statement carried kilobytes of SQL and values into the run's error.
TEST(DatabaseMessageTest, TheStatementIsCutAndTheRestBounded) {
  Database database("sqlite3://:memory:");
  std::string values;
  for (int i = 0; i < 200; ++i)
    values += (i ? ", " : "") + std::string("('a-very-long-value-") + std::to_string(i) + "')";
  try {
    database.session() << "INSERT INTO no_such_table (x) VALUES " + values;
    FAIL() << "the statement ran";
  } catch (const soci::soci_error& error) {
    ASSERT_GT(std::string(error.what()).size(), 2000u);
    const std::string said = database_message(error.what());
    EXPECT_LE(said.size(), 403u);
    EXPECT_NE(said.find("no such table: no_such_table"), std::string::npos) << said;
    EXPECT_EQ(said.find("a-very-long-value"), std::string::npos) << said;
  }
  EXPECT_EQ(database_message(std::string(500, 'x')), std::string(400, 'x') + "...");
  EXPECT_EQ(database_message("connect failed: password=hunter2 host=db"),
            "connect failed: password=*** host=db");
}

}  // namespace
}  // namespace hub
