#include "hub/store/workers.h"

#include <unistd.h>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/row_values.h"

namespace hub {

std::string Workers::join(const std::string& now) {
  // host:pid alone would be reused by a later process with the same pid.
  const std::string holder = this_holder();
  std::string id = holder + "@" + now;
  const std::string host = holder.substr(0, holder.rfind(':'));
  const long long pid = ::getpid();
  database_.session() << "INSERT INTO workers (id, host, pid, started_at, heartbeat_at) VALUES "
                         "(:i, :h, :p, :s, :b)",
      soci::use(id), soci::use(host), soci::use(pid), soci::use(now), soci::use(now);
  return id;
}

void Workers::beat(const std::string& id, const std::string& now) {
  database_.session() << "UPDATE workers SET heartbeat_at = :b WHERE id = :i", soci::use(now),
      soci::use(id);
}

void Workers::leave(const std::string& id, const std::string& now) {
  database_.session() << "UPDATE workers SET heartbeat_at = :b, stopped_at = :s WHERE id = :i",
      soci::use(now), soci::use(now), soci::use(id);
}

std::vector<WorkerRow> Workers::list() {
  std::vector<WorkerRow> workers;
  soci::rowset<soci::row> rows = database_.session().prepare
                                 << "SELECT id, host, pid, started_at, heartbeat_at, stopped_at "
                                    "FROM workers ORDER BY started_at DESC, id";
  for (const soci::row& row : rows) {
    WorkerRow worker;
    worker.id = column_text(row, 0).value_or("");
    worker.host = column_text(row, 1).value_or("");
    worker.pid = column_integer(row, 2);
    worker.started_at = column_text(row, 3).value_or("");
    worker.heartbeat_at = column_text(row, 4).value_or("");
    worker.stopped_at = column_text(row, 5).value_or("");
    workers.push_back(std::move(worker));
  }
  return workers;
}

std::size_t Workers::count_running(std::chrono::system_clock::time_point now,
                                   std::chrono::seconds lost_after) {
  const std::string since = format_utc(now - lost_after);
  long long count = 0;
  database_.session() << "SELECT COUNT(*) FROM workers WHERE stopped_at IS NULL AND "
                         "heartbeat_at >= :since",
      soci::use(since), soci::into(count);
  return static_cast<std::size_t>(count);
}

std::size_t Workers::prune_stopped(const std::string& before) {
  soci::statement statement =
      (database_.session().prepare << "DELETE FROM workers WHERE stopped_at IS NOT NULL AND "
                                      "stopped_at < :before",
       soci::use(before));
  statement.execute(true);
  return static_cast<std::size_t>(statement.get_affected_rows());
}

std::string worker_state(const WorkerRow& worker, std::chrono::system_clock::time_point now,
                         std::chrono::seconds lost_after) {
  if (!worker.stopped_at.empty())
    return "stopped";
  return worker.heartbeat_at < format_utc(now - lost_after) ? "lost" : "running";
}

}  // namespace hub
