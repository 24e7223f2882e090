// The fixture of the end-to-end tests: a folder of the test's own, configs of slow-feed
// instances, `campaign-hub` started as a real process, and reads of the database it wrote.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "hub/store/database.h"
#include "hub/store/row_values.h"

namespace test_support {

namespace fs = std::filesystem;

// A process a test started: killed (SIGKILL) and reaped when the test ends, however it ends,
// so that a failing test leaves no server behind.
class ScopedProcess {
 public:
  explicit ScopedProcess(pid_t pid) : pid_(pid) {}
  ScopedProcess(const ScopedProcess&) = delete;
  ScopedProcess& operator=(const ScopedProcess&) = delete;
  ~ScopedProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  void signal(int signal) const { ::kill(pid_, signal); }

  // Waits up to `limit` for it to end: its exit code (128 + signal when killed), or -1 when
  // it still runs.
  int wait(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() >= until)
        return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  pid_t pid_;
};

class HubProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("process-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A database URL: `db` itself when it is one, else an SQLite file of that name in the
  // test's folder.
  std::string url(const std::string& db) const {
    return db.find("://") != std::string::npos ? db : "sqlite3://" + (dir_ / db).string();
  }

  // Writes a config whose one instance is slow-feed with `settings`, on database `db`.
  fs::path write_config(const std::string& name, const std::string& db, const std::string& settings,
                        int batch_size = 100) {
    fs::path file = dir_ / name;
    std::ofstream(file) << R"({"database": {"url": ")" << url(db) << R"("}, "plugin_dir": ")"
                        << CAMPAIGN_HUB_TEST_PLUGIN_DIR
                        << R"(", "logging": {"level": "warn"}, "instances": [{"name": "feed", )"
                        << R"("plugin": "slow-feed", "batch_size": )" << batch_size
                        << R"(, "settings": )" << settings << "}]}";
    return file;
  }

  // Starts `campaign-hub --config <config> <args>` with stdout to `out`; `own_group`: in a
  // process group of its own (its pid), so that a signal to the group reaches its runs too.
  pid_t start(const fs::path& config, std::vector<std::string> args, const fs::path& out,
              bool own_group = false) {
    pid_t pid = fork();
    if (pid == 0) {
      if (own_group)
        setpgid(0, 0);
      FILE* file = std::fopen(out.c_str(), "w");
      dup2(fileno(file), STDOUT_FILENO);
      dup2(fileno(file), STDERR_FILENO);
      std::vector<std::string> all = {CAMPAIGN_HUB_EXECUTABLE, "--config", config.string()};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& arg : all)
        argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  static int wait_for(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  static std::string read(const fs::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Every stored row of the canonical tables, as text, in key order.
  std::string dump(const std::string& db) {
    return rows_of(db, {"SELECT external_id, name, status FROM campaigns ORDER BY external_id",
                        "SELECT external_id, campaign_external_id, status, amount, content_hash "
                        "FROM opportunities ORDER BY external_id",
                        "SELECT stream, cursor_value FROM cursors ORDER BY stream"});
  }

  // The rows each query answers, one line each, "|" between the columns.
  std::string rows_of(const std::string& db, std::initializer_list<const char*> queries) {
    hub::Database database(url(db));
    std::string out;
    for (const char* sql : queries) {
      soci::rowset<soci::row> rows = database.session().prepare << sql;
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
          out += (i ? "|" : "") + hub::column_text(row, i).value_or("");
        out += "\n";
      }
    }
    return out;
  }

  long long count(const std::string& db, const std::string& sql) {
    hub::Database database(url(db));
    long long n = 0;
    database.session() << sql, soci::into(n);
    return n;
  }

  // Writes `text` as a config file of the test's folder.
  fs::path write_text(const std::string& name, const std::string& text) {
    fs::path file = dir_ / name;
    std::ofstream(file) << text;
    return file;
  }

  // Polls `done` every 20 ms until it holds or `limit` passes; answers whether it held.
  template <typename Predicate>
  static bool eventually(Predicate done,
                         std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (done())
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  fs::path dir_;
};

}  // namespace test_support
