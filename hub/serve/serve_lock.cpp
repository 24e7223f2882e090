#include "hub/serve/serve_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "hub/store/database.h"

namespace hub {

ServeLock::ServeLock(const std::string& database_url) {
  const auto database = sqlite_path(database_url);
  if (!database)
    return;
  const std::string file = *database + ".serve-lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + file +
                             " (serve's lock beside the database): " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char pid[32] = {};
    const auto got = ::pread(fd_, pid, sizeof pid - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK)
      throw std::runtime_error("cannot lock " + file + ": " + std::strerror(error));
    throw std::runtime_error(
        "another campaign-hub serve" +
        (got > 0 ? " (pid " + std::string(pid, static_cast<std::size_t>(got)) + ")"
                 : std::string()) +
        " already serves the SQLite database " + *database +
        ": SQLite is single-node. To run several workers, share a PostgreSQL or MariaDB "
        "database (README.md, \"Running several workers\"); `campaign-hub sync` may still run "
        "beside it (its lease keeps each instance to one run)");
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd_, 0) == 0)
    (void)::pwrite(fd_, pid.data(), pid.size(), 0);
}

ServeLock::~ServeLock() {
  if (fd_ >= 0)
    ::close(fd_);  // the flock goes with the last descriptor
}

}  // namespace hub
