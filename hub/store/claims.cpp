#include "hub/store/claims.h"

#include <algorithm>
#include <map>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/row_values.h"
#include "hub/store/run_log.h"
#include "hub/store/statements.h"

namespace hub {
namespace {

struct LeaseRow {
  std::int64_t run_id = 0;
  std::string holder;
  std::string expires_at;
  std::int64_t epoch = 0;
  std::optional<std::string> next_at;
  bool asked = false;
  int failures = 0;
};

// "?, ?, ?" for the candidates' instances, bound to `parameters`.
std::string in_list(Parameters& parameters, const std::vector<ClaimCandidate>& candidates) {
  std::string in;
  for (const auto& candidate : candidates) {
    in += (in.empty() ? "" : ", ") + parameters.next();
    parameters.text(candidate.instance);
  }
  return in;
}

// The claim's transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE, waited
// for by the busy timeout): a transaction that read first could not write after a run's batch
// committed in between (WAL answers SQLITE_BUSY_SNAPSHOT), and the claim would fail.
class ClaimTransaction {
 public:
  explicit ClaimTransaction(Database& database) : session_(database.session()) {
    if (database.dialect() == Dialect::sqlite3) {
      session_ << "BEGIN IMMEDIATE";
    } else {
      session_.begin();
    }
  }
  ~ClaimTransaction() {
    if (open_) {
      try {
        session_.rollback();
      } catch (const std::exception&) {  // the connection is gone: so is the transaction
      }
    }
  }
  ClaimTransaction(const ClaimTransaction&) = delete;
  ClaimTransaction& operator=(const ClaimTransaction&) = delete;

  void commit() {
    session_.commit();
    open_ = false;
  }

 private:
  soci::session& session_;
  bool open_ = true;
};

}  // namespace

void Claims::enrol(const std::vector<std::string>& instances) {
  const bool mysql = database_.dialect() == Dialect::mysql;
  const std::string sql =
      std::string(mysql ? "INSERT IGNORE" : "INSERT") +
      " INTO leases (instance, run_id, holder, acquired_at, expires_at, epoch) VALUES (:i, 0, "
      "'', '', '', 0)" +
      (mysql ? "" : " ON CONFLICT (instance) DO NOTHING");
  for (const auto& instance : instances)
    database_.session() << sql, soci::use(instance);
}

ClaimRound Claims::claim(const std::vector<ClaimCandidate>& candidates, std::size_t limit,
                         const std::string& expires_at) {
  ClaimRound round;
  if (candidates.empty())
    return round;
  auto& sql = database_.session();
  const std::string now = utc_now();
  const std::string holder = this_holder();

  ClaimTransaction transaction(database_);
  // What each candidate's lease says, read without locking anything.
  std::map<std::string, LeaseRow> rows;
  {
    Parameters parameters(database_.dialect());
    const std::string in = in_list(parameters, candidates);
    each_row(sql,
             "SELECT instance, run_id, holder, expires_at, epoch, next_at, asked, failures FROM "
             "leases WHERE instance IN (" +
                 in + ")",
             parameters, [&](const soci::row& row) {
               LeaseRow lease;
               lease.run_id = column_integer(row, 1);
               lease.holder = column_text(row, 2).value_or("");
               lease.expires_at = column_text(row, 3).value_or("");
               lease.epoch = column_integer(row, 4);
               lease.next_at = column_text(row, 5);
               lease.asked = column_integer(row, 6) != 0;
               lease.failures = static_cast<int>(column_integer(row, 7));
               rows[column_text(row, 0).value_or("")] = std::move(lease);
             });
  }

  // The claimable ones, the longest due first (an ingestion, or a pull that never ran, first),
  // up to `limit`.
  std::vector<std::pair<std::string, const ClaimCandidate*>> ready;
  for (const auto& candidate : candidates) {
    auto it = rows.find(candidate.instance);
    if (it == rows.end()) {  // not enrolled yet
      round.missed.push_back({candidate.instance, std::nullopt});
      continue;
    }
    const LeaseRow& lease = it->second;
    if (lease.run_id != 0 &&
        !lease_is_stale(candidate.instance, lease.run_id, lease.holder, lease.expires_at, now)) {
      round.missed.push_back({candidate.instance, std::nullopt});
      continue;
    }
    if (candidate.pull && !lease.asked && lease.next_at && *lease.next_at > now) {
      round.missed.push_back({candidate.instance, lease.next_at});
      continue;
    }
    ready.emplace_back(candidate.pull ? lease.next_at.value_or("") : "", &candidate);
  }
  std::stable_sort(ready.begin(), ready.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  // The rows to take, locked until the commit: a few at a time down the list, so that other
  // workers' claims find the rest free. A row another worker's claim locked is skipped (SKIP
  // LOCKED), not waited for, and the next one down is tried: two claims never take one
  // instance, and neither blocks the other. SQLite has no row locks: its transaction locks the
  // file, and one serve alone works on it (ServeLock).
  std::vector<const ClaimCandidate*> chosen;
  std::size_t next = 0;
  while (chosen.size() < limit && next < ready.size()) {
    const std::size_t count = std::min(limit - chosen.size(), ready.size() - next);
    std::vector<ClaimCandidate> trying;
    for (std::size_t i = next; i < next + count; ++i)
      trying.push_back(*ready[i].second);
    Parameters parameters(database_.dialect());
    std::string query = "SELECT instance, epoch FROM leases WHERE instance IN (" +
                        in_list(parameters, trying) + ")";
    if (database_.dialect() != Dialect::sqlite3)
      query += " FOR UPDATE SKIP LOCKED";
    std::map<std::string, std::int64_t> locked;  // instance: epoch now
    each_row(sql, query, parameters, [&](const soci::row& row) {
      locked[column_text(row, 0).value_or("")] = column_integer(row, 1);
    });
    for (std::size_t i = next; i < next + count; ++i) {
      const ClaimCandidate* candidate = ready[i].second;
      auto lock = locked.find(candidate->instance);
      // Missing: another worker's claim holds it; another epoch: taken since it was read.
      if (lock != locked.end() && lock->second == rows[candidate->instance].epoch) {
        chosen.push_back(candidate);
      } else {
        round.missed.push_back({candidate->instance, std::nullopt});
      }
    }
    next += count;
  }
  for (; next < ready.size(); ++next)  // past this round's share
    round.untried.push_back(ready[next].second->instance);
  if (chosen.empty())
    return round;

  RunLog runs(database_);
  for (const ClaimCandidate* candidate : chosen) {
    const LeaseRow& lease = rows[candidate->instance];
    // The lease first, compare-and-set on the epoch read (run_id -1 until the run's row
    // exists, within this transaction), then the run's row.
    Parameters take(database_.dialect());
    std::string update = "UPDATE leases SET run_id = -1, holder = " + take.next();
    take.text(holder);
    update += ", acquired_at = " + take.next();
    take.text(now);
    update += ", expires_at = " + take.next();
    take.text(expires_at);
    update += ", epoch = epoch + 1";
    if (candidate->pull) {
      update += ", asked = 0, next_at = " + take.next();
      take.text(candidate->next_at.empty() ? Value() : Value(candidate->next_at));
    }
    update += " WHERE instance = " + take.next();
    take.text(candidate->instance);
    update += " AND epoch = " + take.next();
    take.integer(lease.epoch);
    if (execute(sql, update, take) != 1) {  // SQLite: a `sync` took it since it was read
      round.missed.push_back({candidate->instance, std::nullopt});
      continue;
    }
    ClaimedRun run;
    run.instance = candidate->instance;
    run.pull = candidate->pull;
    run.epoch = lease.epoch + 1;
    run.failures = lease.failures;
    // The stale lease's run ends before the new one begins: its end is never after the start.
    if (lease.run_id > 0) {
      runs.mark_interrupted(lease.run_id, now);
      run.taken_over = lease.run_id;
    }
    run.run_id = runs.begin(candidate->instance, false, false, worker_);
    long long id = run.run_id;
    sql << "UPDATE leases SET run_id = :r WHERE instance = :i", soci::use(id),
        soci::use(candidate->instance);
    runs.set_epoch(run.run_id, run.epoch);
    round.claimed.push_back(std::move(run));
  }
  transaction.commit();
  for (const auto& run : round.claimed)
    note_held_here(run.instance, run.run_id);
  return round;
}

void Claims::ask(const std::string& instance) {
  enrol({instance});
  database_.session() << "UPDATE leases SET asked = 1 WHERE instance = :i", soci::use(instance);
}

void Claims::settle(const std::string& instance, std::int64_t epoch, const std::string& next_at,
                    int failures) {
  long long token = epoch;
  soci::indicator when = next_at.empty() ? soci::i_null : soci::i_ok;
  database_.session() << "UPDATE leases SET next_at = :n, failures = :f WHERE instance = :i AND "
                         "epoch = :e",
      soci::use(next_at, when), soci::use(failures), soci::use(instance), soci::use(token);
}

}  // namespace hub
