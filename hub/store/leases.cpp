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

bool lease_is_stale(const std::string& instance, std::int64_t run_id, const std::string& holder,
                    const std::string& expires_at, const std::string& now) {
  return expires_at < now || holder_is_gone(holder) ||
         (holder == this_holder() && !held_here().has(instance, run_id));
}

void note_held_here(const std::string& instance, std::int64_t run_id) {
  held_here().add(instance, run_id);
}

void forget_held_here(const std::string& instance, std::int64_t run_id) {
  held_here().remove(instance, run_id);
}

Leases::Outcome Leases::acquire(const std::string& instance, std::int64_t run_id,
                                const std::string& expires_at) {
  auto& sql = database_.session();
  Outcome outcome;
  const std::string now = utc_now();
  const std::string holder = this_holder();
  long long run = run_id;
  for (int attempt = 0; attempt < 3; ++attempt) {
    long long held_run = 0, epoch = 0;
    std::string held_by, acquired_at, held_until;
    soci::indicator found = soci::i_null;
    sql << "SELECT run_id, holder, acquired_at, expires_at, epoch FROM leases WHERE instance = :i",
        soci::use(instance), soci::into(held_run, found), soci::into(held_by),
        soci::into(acquired_at), soci::into(held_until), soci::into(epoch);
    if (sql.got_data() && found == soci::i_ok) {
      if (held_run != 0 && !lease_is_stale(instance, held_run, held_by, held_until, now)) {
        outcome.holder = {held_run, held_by, acquired_at};
        return outcome;
      }
      // Taken only by the one that still sees the epoch it read: a compare-and-set.
      soci::statement take =
          (sql.prepare << "UPDATE leases SET run_id = :r, holder = :h, acquired_at = :a, "
                          "expires_at = :x, epoch = epoch + 1 WHERE instance = :i AND epoch = :e",
           soci::use(run), soci::use(holder), soci::use(now), soci::use(expires_at),
           soci::use(instance), soci::use(epoch));
      take.execute(true);
      if (take.get_affected_rows() != 1)
        continue;  // another run took it meanwhile: read again
      if (held_run != 0)
        outcome.taken_over = held_run;
      outcome.epoch = epoch + 1;
    } else {
      try {
        sql << "INSERT INTO leases (instance, run_id, holder, acquired_at, expires_at, epoch) "
               "VALUES (:i, :r, :h, :a, :x, 1)",
            soci::use(instance), soci::use(run), soci::use(holder), soci::use(now),
            soci::use(expires_at);
      } catch (const soci::soci_error&) {
        continue;  // another run made the row first: read it
      }
      outcome.epoch = 1;
    }
    held_here().add(instance, run_id);
    outcome.acquired = true;
    return outcome;
  }
  return outcome;
}

bool Leases::release(const std::string& instance, std::int64_t run_id) {
  held_here().remove(instance, run_id);  // over, whether the database hears of it or not
  long long run = run_id;
  soci::statement free =
      (database_.session().prepare << "UPDATE leases SET run_id = 0, holder = '', expires_at = '' "
                                      "WHERE instance = :i AND run_id = :r",
       soci::use(instance), soci::use(run));
  free.execute(true);
  return free.get_affected_rows() == 1;
}

bool Leases::renew(const std::string& instance, std::int64_t run_id,
                   const std::string& expires_at) {
  long long run = run_id;
  const std::string now = utc_now();
  soci::statement renew =
      (database_.session().prepare << "UPDATE leases SET expires_at = :x WHERE instance = :i AND "
                                      "run_id = :r AND expires_at >= :n",
       soci::use(expires_at), soci::use(instance), soci::use(run), soci::use(now));
  renew.execute(true);
  return renew.get_affected_rows() == 1;
}

}  // namespace hub
