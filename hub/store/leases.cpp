#include "hub/store/leases.h"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>

#include <unistd.h>

#include "hub/model/time.h"

namespace hub {
namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0)
    return "localhost";
  return name;
}

// A zombie (dead, not yet reaped) or dead process: its state in /proc/PID/stat, the letter
// after the parenthesized command name, is Z or X. kill(pid, 0) succeeds on a zombie.
bool is_zombie(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  if (close == std::string::npos || close + 2 >= text.size())
    return false;
  const char state = text[close + 2];
  return state == 'Z' || state == 'X';
}

// A holder on this machine whose process is gone can never renew or release its lease.
bool holder_is_gone(const std::string& holder) {
  auto colon = holder.rfind(':');
  if (colon == std::string::npos || holder.substr(0, colon) != host_name())
    return false;
  long pid = std::strtol(holder.c_str() + colon + 1, nullptr, 10);
  if (pid <= 0)
    return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0)
    return errno == ESRCH;
  return is_zombie(pid);
}

// The leases this process holds now. A lease the database says this process holds, for a
// run not among them, belongs to a run of this process that ended without releasing it (the
// database failed when it tried): stale, as a dead process's is.
class HeldHere {
 public:
  void add(const std::string& instance, std::int64_t run) {
    std::lock_guard lock(mutex_);
    held_.emplace(instance, run);
  }
  void remove(const std::string& instance, std::int64_t run) {
    std::lock_guard lock(mutex_);
    held_.erase({instance, run});
  }
  bool has(const std::string& instance, std::int64_t run) const {
    std::lock_guard lock(mutex_);
    return held_.count({instance, run}) > 0;
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<std::string, std::int64_t>> held_;
};

HeldHere& held_here() {
  static HeldHere held;
  return held;
}

}  // namespace

std::string this_holder() {
  return host_name() + ":" + std::to_string(getpid());
}

Leases::Outcome Leases::acquire(const std::string& instance, std::int64_t run_id,
                                const std::string& expires_at) {
  auto& sql = database_.session();
  Outcome outcome;
  std::string now = utc_now();
  std::string holder = this_holder();
  long long run = run_id;
  for (int attempt = 0; attempt < 2; ++attempt) {
    long long held_run = 0;
    std::string held_by, acquired_at, held_until;
    soci::indicator found = soci::i_null;
    sql << "SELECT run_id, holder, acquired_at, expires_at FROM leases WHERE instance = :i",
        soci::use(instance), soci::into(held_run, found), soci::into(held_by),
        soci::into(acquired_at), soci::into(held_until);
    if (sql.got_data() && found == soci::i_ok) {
      bool stale = held_until < now || holder_is_gone(held_by) ||
                   (held_by == holder && !held_here().has(instance, held_run));
      if (!stale) {
        outcome.holder = {held_run, held_by, acquired_at};
        return outcome;
      }
      // Only the reader that still sees the same stale row removes it.
      soci::statement remove =
          (sql.prepare << "DELETE FROM leases WHERE instance = :i AND run_id = :r",
           soci::use(instance), soci::use(held_run));
      remove.execute(true);
      if (remove.get_affected_rows() == 1)
        outcome.taken_over = held_run;
    }
    try {
      sql << "INSERT INTO leases (instance, run_id, holder, acquired_at, expires_at) "
             "VALUES (:i, :r, :h, :a, :x)",
          soci::use(instance), soci::use(run), soci::use(holder), soci::use(now),
          soci::use(expires_at);
      held_here().add(instance, run_id);
      outcome.acquired = true;
      return outcome;
    } catch (const soci::soci_error&) {
      // Another run inserted first: read who holds it now.
    }
  }
  return outcome;
}

void Leases::release(const std::string& instance, std::int64_t run_id) {
  held_here().remove(instance, run_id);  // over, whether the database hears of it or not
  long long run = run_id;
  database_.session() << "DELETE FROM leases WHERE instance = :i AND run_id = :r",
      soci::use(instance), soci::use(run);
}

void Leases::renew(const std::string& instance, std::int64_t run_id,
                   const std::string& expires_at) {
  long long run = run_id;
  database_.session() << "UPDATE leases SET expires_at = :x WHERE instance = :i AND run_id = :r",
      soci::use(expires_at), soci::use(instance), soci::use(run);
}

}  // namespace hub
