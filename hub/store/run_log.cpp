#include "hub/store/run_log.h"

#include "hub/model/time.h"
#include "hub/store/row_values.h"

namespace hub {
namespace {

constexpr const char* kColumns =
    "id, instance, state, started_at, finished_at, full_refresh, dry_run, records_read, "
    "inserted, updated, unchanged, quarantined, http_requests, http_retries, http_bytes, "
    "rate_limit_wait_ms, error, details";

std::string text(const soci::row& row, std::size_t i) {
  return column_text(row, i).value_or("");
}
std::int64_t integer(const soci::row& row, std::size_t i) {
  return column_integer(row, i);
}

RunSummary from_row(const soci::row& row) {
  RunSummary run;
  run.id = integer(row, 0);
  run.instance = text(row, 1);
  run.state = text(row, 2);
  run.started_at = text(row, 3);
  run.finished_at = text(row, 4);
  run.full_refresh = integer(row, 5) != 0;
  run.dry_run = integer(row, 6) != 0;
  run.read = integer(row, 7);
  run.inserted = integer(row, 8);
  run.updated = integer(row, 9);
  run.unchanged = integer(row, 10);
  run.quarantined = integer(row, 11);
  run.http_requests = integer(row, 12);
  run.http_retries = integer(row, 13);
  run.http_bytes = integer(row, 14);
  run.rate_limit_wait_ms = integer(row, 15);
  run.error = text(row, 16);
  run.details = text(row, 17);
  return run;
}

}  // namespace

const char* run_state_name(RunState state) {
  switch (state) {
    case RunState::running:
      return "running";
    case RunState::succeeded:
      return "succeeded";
    case RunState::partial:
      return "partial";
    case RunState::failed:
      return "failed";
    case RunState::skipped:
      return "skipped";
    case RunState::interrupted:
      return "interrupted";
    case RunState::lost_lease:
      return "lost_lease";
  }
  return "unknown";
}

std::int64_t RunLog::begin(const std::string& instance, bool full_refresh, bool dry_run,
                           const std::string& worker) {
  auto& sql = database_.session();
  std::string now = utc_now();
  int full = full_refresh ? 1 : 0;
  int dry = dry_run ? 1 : 0;
  std::string state = run_state_name(RunState::running);
  soci::indicator by_worker = worker.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  if (database_.dialect() == Dialect::postgresql) {
    sql << "INSERT INTO runs (instance, state, started_at, full_refresh, dry_run, worker) "
           "VALUES (:i, :s, :t, :f, :d, :w) RETURNING id",
        soci::use(instance), soci::use(state), soci::use(now), soci::use(full), soci::use(dry),
        soci::use(worker, by_worker), soci::into(id);
  } else {
    sql << "INSERT INTO runs (instance, state, started_at, full_refresh, dry_run, worker) "
           "VALUES (:i, :s, :t, :f, :d, :w)",
        soci::use(instance), soci::use(state), soci::use(now), soci::use(full), soci::use(dry),
        soci::use(worker, by_worker);
    if (!sql.get_last_insert_id("runs", id))
      throw DatabaseError("no id for the new run");
  }
  return id;
}

void RunLog::finish(const RunSummary& run) {
  auto& sql = database_.session();
  std::string now = utc_now();
  long long id = run.id, read = run.read, inserted = run.inserted, updated = run.updated,
            unchanged = run.unchanged, quarantined = run.quarantined, requests = run.http_requests,
            retries = run.http_retries, bytes = run.http_bytes, waited = run.rate_limit_wait_ms;
  soci::indicator error_indicator = run.error.empty() ? soci::i_null : soci::i_ok;
  soci::indicator details_indicator = run.details.empty() ? soci::i_null : soci::i_ok;
  sql << "UPDATE runs SET state = :s, finished_at = COALESCE(finished_at, :t), records_read = :rd, "
         "inserted = :in, "
         "updated = :up, unchanged = :un, quarantined = :q, http_requests = :hr, "
         "http_retries = :ht, http_bytes = :hb, rate_limit_wait_ms = :rw, error = :e, "
         "details = :d WHERE id = :id",
      soci::use(run.state), soci::use(now), soci::use(read), soci::use(inserted),
      soci::use(updated), soci::use(unchanged), soci::use(quarantined), soci::use(requests),
      soci::use(retries), soci::use(bytes), soci::use(waited),
      soci::use(run.error, error_indicator), soci::use(run.details, details_indicator),
      soci::use(id);
}

void RunLog::mark_interrupted(std::int64_t run_id, const std::string& at) {
  long long id = run_id;
  std::string state = run_state_name(RunState::interrupted);
  std::string running = run_state_name(RunState::running);
  std::string error =
      "the process ended or stalled before the run finished (killed, crashed, paused or cut off); "
      "another run took its lease over";
  database_.session() << "UPDATE runs SET state = :s, error = :e, finished_at = :t WHERE id = :id "
                         "AND state = :r",
      soci::use(state), soci::use(error), soci::use(at), soci::use(id), soci::use(running);
}

void RunLog::set_epoch(std::int64_t run_id, std::int64_t epoch) {
  long long id = run_id, token = epoch;
  database_.session() << "UPDATE runs SET epoch = :e WHERE id = :id", soci::use(token),
      soci::use(id);
}

std::vector<RunSummary> RunLog::list(std::size_t limit, const std::string& instance) {
  auto& sql = database_.session();
  long long count = static_cast<long long>(limit);
  std::vector<RunSummary> runs;
  soci::rowset<soci::row> rows =
      instance.empty()
          ? (sql.prepare << "SELECT " << kColumns << " FROM runs ORDER BY id DESC LIMIT :n",
             soci::use(count))
          : (sql.prepare << "SELECT " << kColumns
                         << " FROM runs WHERE instance = :i ORDER BY id DESC LIMIT :n",
             soci::use(instance), soci::use(count));
  for (const auto& row : rows)
    runs.push_back(from_row(row));
  return runs;
}

std::optional<RunSummary> RunLog::find(std::int64_t run_id) {
  long long id = run_id;
  soci::rowset<soci::row> rows =
      (database_.session().prepare << "SELECT " << kColumns << " FROM runs WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows)
    return from_row(row);
  return std::nullopt;
}

}  // namespace hub
