// A fresh SQLite file per test, in its own temporary folder, removed when the test ends.
// Standard library only, like the rest of tests/support: a test opens it with
// hub::Database(temp.url()) and applies hub::migrate() itself.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace test_support {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("campaign-hub-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDatabase() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  std::filesystem::path file() const { return dir_ / "x.db"; }
  // What hub::Database takes: "sqlite3://<tmpdir>/x.db".
  std::string url() const { return "sqlite3://" + file().string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace test_support
