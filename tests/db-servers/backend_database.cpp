#include "tests/db-servers/backend_database.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <regex>
#include <stdexcept>

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

namespace test_support {
namespace {

const std::map<std::string, std::string>& settings() {
  static const std::map<std::string, std::string> values = [] {
    std::map<std::string, std::string> read;
    std::ifstream in(CAMPAIGN_HUB_DB_SERVERS_FILE);
    std::string line;
    while (std::getline(in, line)) {
      auto equals = line.find('=');
      if (equals != std::string::npos)
        read[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return read;
  }();
  return values;
}

// The connection string of a URL, without its scheme.
std::string connect_string(const std::string& url) {
  return url.substr(url.find("://") + 3);
}

// The URL with its database name replaced by `name`.
std::string with_database(const std::string& url, const std::string& name) {
  static const std::regex database(R"(\b(dbname|db)=\S+)");
  return std::regex_replace(url, database, "$1=" + name);
}

std::unique_ptr<soci::session> admin_session(const std::string& backend,
                                             const std::string& database) {
  std::string url = with_database(db_server_setting(backend + "_admin"), database);
  if (backend == "postgresql") {
    auto session = std::make_unique<soci::session>(soci::postgresql, connect_string(url));
    *session << "SET client_min_messages = warning";  // no "does not exist, skipping"
    return session;
  }
  return std::make_unique<soci::session>(soci::mysql, connect_string(url));
}

}  // namespace

std::string db_server_setting(const std::string& key) {
  auto found = settings().find(key);
  if (found == settings().end()) {
    throw std::runtime_error(
        std::string("no '") + key + "' in " + CAMPAIGN_HUB_DB_SERVERS_FILE +
        ": the database servers are not running. CTest starts them with the `db-servers` "
        "fixture (ctest -R <test> includes it); by hand: tests/db-servers/start.sh "
        "<build>/db-servers (needs the Debian packages postgresql and mariadb-server)");
  }
  return found->second;
}

BackendDatabase::BackendDatabase(std::string backend) : backend_(std::move(backend)) {
  static std::atomic<int> counter{0};
  std::string unique = std::to_string(::getpid()) + "_" + std::to_string(counter++);
  if (backend_ == "sqlite3") {
    dir_ = std::filesystem::temp_directory_path() / ("campaign-hub-test-" + unique);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    url_ = "sqlite3://" + (dir_ / "hub.db").string();
    admin_url_ = url_;
    return;
  }
  if (backend_ != "postgresql" && backend_ != "mysql")
    throw std::invalid_argument("unknown backend '" + backend_ + "'");
  name_ = "hub_test_" + unique;
  if (backend_ == "postgresql") {
    auto admin = admin_session(backend_, "postgres");
    *admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    *admin << "CREATE DATABASE " + name_;
    *admin << "REVOKE ALL ON DATABASE " + name_ + " FROM PUBLIC";
    *admin << "GRANT CONNECT, TEMPORARY ON DATABASE " + name_ + " TO hub";
    auto inside = admin_session(backend_, name_);
    *inside << "GRANT USAGE, CREATE ON SCHEMA public TO hub";
  } else {
    auto admin = admin_session(backend_, "mysql");
    *admin << "DROP DATABASE IF EXISTS " + name_;
    *admin << "CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    *admin << "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON " + name_ +
                  ".* TO 'hub'@'127.0.0.1'";
  }
  url_ = with_database(db_server_setting(backend_), name_);
  admin_url_ = with_database(db_server_setting(backend_ + "_admin"), name_);
}

BackendDatabase::~BackendDatabase() {
  try {
    if (backend_ == "sqlite3") {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    } else if (backend_ == "postgresql") {
      *admin_session(backend_, "postgres") << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    } else {
      *admin_session(backend_, "mysql") << "DROP DATABASE IF EXISTS " + name_;
    }
  } catch (const std::exception&) {
    // The server is gone already (stopped by a test, or by the fixture's cleanup).
  }
}

}  // namespace test_support
