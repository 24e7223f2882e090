// migrate(): the numbered migrations build the schema the store writes, once.
#include "hub/store/migrations.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "hub/model/canonical.h"
#include "hub/store/row_values.h"
#include "tests/support/temp_database.h"

namespace hub {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  std::set<std::string> table_columns(std::string_view table) {
    std::set<std::string> names;
    soci::rowset<soci::row> rows = database_.session().prepare
                                   << "PRAGMA table_info(" + std::string(table) + ")";
    for (const auto& row : rows)
      names.insert(column_text(row, 1).value_or(""));
    return names;
  }

  test_support::TempDatabase temp_;
  Database database_{temp_.url()};
};

TEST_F(MigrationsTest, EmptyDatabaseIsAtVersionZero) {
  EXPECT_EQ(schema_version(database_), 0);
}

TEST_F(MigrationsTest, FirstMigrateAppliesEveryMigrationAndTheSecondNone) {
  EXPECT_EQ(migrate(database_), latest_schema_version());
  EXPECT_EQ(schema_version(database_), latest_schema_version());
  EXPECT_EQ(migrate(database_), 0);
  EXPECT_EQ(schema_version(database_), latest_schema_version());
}

TEST_F(MigrationsTest, EveryEntityTableHasEveryCanonicalColumn) {
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

TEST_F(MigrationsTest, RecordTablesHaveTheKeyAndBookkeepingColumns) {
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

TEST_F(MigrationsTest, BookkeepingTablesExist) {
  migrate(database_);
  EXPECT_EQ(table_columns("leases"),
            (std::set<std::string>{"instance", "run_id", "holder", "acquired_at", "expires_at"}));
  EXPECT_EQ(table_columns("cursors"),
            (std::set<std::string>{"instance", "stream", "cursor_value", "updated_at", "run_id"}));
  for (const char* table : {"runs", "quarantine", "status_events", "initiatives"}) {
    EXPECT_FALSE(table_columns(table).empty()) << "no table " << table;
  }
}

TEST_F(MigrationsTest, DatabaseNewerThanTheHubIsRefused) {
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

}  // namespace
}  // namespace hub
