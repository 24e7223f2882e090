// A fresh, empty database per test on any of the three backends: an SQLite file in its own
// temporary folder, or a database of its own on the PostgreSQL or MariaDB server that the
// `db-servers` CTest fixture started (start.sh), created for the test and dropped after it.
//
//   class StoreTest : public ::testing::TestWithParam<std::string> {
//     test_support::BackendDatabase backend_{GetParam()};
//     hub::Database database_{backend_.url()};
//   };
//   INSTANTIATE_TEST_SUITE_P(, StoreTest, ::testing::ValuesIn(test_support::kBackends),
//                            test_support::backend_test_name);
//
// A test that uses it declares `FIXTURES_REQUIRED db-servers` (CMakeLists.txt here); when the
// servers are not running it fails naming what to run, it never passes silently.
#pragma once

#include <array>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace test_support {

inline const std::array<std::string, 3> kBackends = {"sqlite3", "postgresql", "mysql"};

// For INSTANTIATE_TEST_SUITE_P: names the instantiation after its backend.
inline std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

// A value of the servers file the fixture wrote (postgresql, postgresql_admin,
// postgresql_ctl, mysql, mysql_admin); throws std::runtime_error saying what to run when the
// file or the key is missing.
std::string db_server_setting(const std::string& key);

class BackendDatabase {
 public:
  // `backend`: sqlite3, postgresql or mysql.
  explicit BackendDatabase(std::string backend);
  ~BackendDatabase();
  BackendDatabase(const BackendDatabase&) = delete;
  BackendDatabase& operator=(const BackendDatabase&) = delete;

  const std::string& backend() const { return backend_; }
  // What hub::Database takes, as the hub's own least-privileged user.
  const std::string& url() const { return url_; }
  // The same database as a superuser, for what the hub's user may not do (triggers).
  const std::string& admin_url() const { return admin_url_; }

 private:
  std::string backend_;
  std::string name_;
  std::filesystem::path dir_;  // SQLite only
  std::string url_;
  std::string admin_url_;
};

}  // namespace test_support
