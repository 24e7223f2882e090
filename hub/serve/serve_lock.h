// SQLite stays single-node: one `serve` per SQLite file. Several serve processes coordinate
// through a shared PostgreSQL or MariaDB (README.md, "Running several workers"); on one SQLite
// file two would run the same schedules twice and fight over its write lock. The lock is an
// flock(2) on a file beside the database, so a serve that dies (even by SIGKILL) frees it.
#pragma once

#include <string>

namespace hub {

class ServeLock {
 public:
  // Takes the lock of the SQLite database `database_url` names (`<file>.serve-lock`, holding
  // this process's pid); nothing to take for a server database. Throws std::runtime_error
  // naming the file and the pid of the serve that holds it.
  explicit ServeLock(const std::string& database_url);
  ~ServeLock();
  ServeLock(const ServeLock&) = delete;
  ServeLock& operator=(const ServeLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace hub
