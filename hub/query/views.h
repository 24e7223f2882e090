// What account managers read, as typed tables: the one query layer under the JSON API and the
// CLI (two presenters). Every value keeps its type (a number, a time, a flag, JSON), so that a
// presenter writes numbers as numbers and null as null; lists are paged by an opaque cursor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "hub/store/database.h"
#include "hub/store/reports.h"

namespace hub::views {

using Value = std::optional<std::string>;

struct TypedTable {
  std::vector<ExportColumn> columns;
  std::vector<std::vector<Value>> rows;
  // The value of `column` in row `row`; nothing when the table has no such column.
  const Value* at(std::size_t row, std::string_view column) const;
};

// A request the query layer cannot answer as asked: the parameter and why, for a 400.
class BadQuery : public std::invalid_argument {
 public:
  BadQuery(std::string parameter, const std::string& reason)
      : std::invalid_argument(parameter + ": " + reason), parameter_(std::move(parameter)) {}
  const std::string& parameter() const { return parameter_; }

 private:
  std::string parameter_;
};

struct Paging {
  std::size_t limit = 50;             // 1 to 1000
  std::optional<std::string> cursor;  // from the previous page's next_cursor
};

// ---- campaigns ----

struct CampaignQuery {
  std::optional<std::string> instance;
  std::optional<std::string> status;  // canonical
  std::optional<std::string> kind;
  bool include_deleted = false;
  Paging paging;
};

// One campaign with what a card shows: its canonical and provider status, owner, manager,
// dates, the review deadline and days left, counts, when it was last synced, its funnel
// (opportunities per status), its participants per status with the completion rate, and its
// latest metrics snapshot.
struct CampaignSummary {
  std::vector<ExportColumn> columns;  // of `values`
  std::vector<Value> values;
  std::map<std::string, std::int64_t> funnel;        // opportunity status -> count
  std::map<std::string, std::int64_t> participants;  // participant status -> count
  std::optional<double> completion_rate;             // completed / participants, 0 to 1
  TypedTable latest_metrics;                         // zero or one row
};

struct CampaignPage {
  std::vector<CampaignSummary> items;
  std::optional<std::string> next_cursor;
};

CampaignPage list_campaigns(Database& database, const CampaignQuery& query,
                            const std::string& today);

// One campaign with its status history (both words of each change, when, which run) and its
// metrics trend (every snapshot, oldest first). Nothing when there is no such campaign.
struct CampaignDetail {
  CampaignSummary summary;
  TypedTable history;
  TypedTable metrics_trend;
};
std::optional<CampaignDetail> campaign_detail(Database& database, const std::string& instance,
                                              const std::string& external_id,
                                              const std::string& today);

// ---- records ----

struct OpportunityQuery {
  std::optional<std::string> instance;
  std::optional<std::string> campaign;            // the provider's campaign id
  std::optional<std::string> status;              // canonical
  std::optional<std::string> initiative;          // as triaged, else as synced
  std::optional<std::string> triage;              // new, reviewing, shortlisted or rejected
  std::optional<std::int64_t> changed_since_run;  // written by a run after this one
  bool include_deleted = false;
  Paging paging;
};

struct RecordQuery {  // participants (by campaign) and steps (by participant)
  std::optional<std::string> instance;
  std::optional<std::string> parent;  // campaign id for participants, participant id for steps
  std::optional<std::string> status;
  bool include_deleted = false;
  Paging paging;
};

struct RowPage {
  TypedTable table;
  std::optional<std::string> next_cursor;
};

RowPage list_opportunities(Database& database, const OpportunityQuery& query);
RowPage list_participants(Database& database, const RecordQuery& query);
RowPage list_steps(Database& database, const RecordQuery& query);

// Metrics snapshots (e-mail campaigns' figures, one per sync that saw them), newest first.
struct MetricsQuery {
  std::optional<std::string> instance;
  std::optional<std::string> campaign;  // the provider's campaign id
  Paging paging;
};
RowPage list_metrics(Database& database, const MetricsQuery& query);

// ---- runs and changes ----

struct RunQuery {
  std::optional<std::string> instance;
  Paging paging;  // newest first
};
RowPage list_runs(Database& database, const RunQuery& query);

// A run and what it changed: its counts, every status change it wrote (deletions are changes
// to "deleted"), and what it sent to quarantine.
struct RunDetail {
  TypedTable run;  // one row
  TypedTable status_changes;
  TypedTable quarantined;
};
std::optional<RunDetail> run_detail(Database& database, std::int64_t run_id);

// What changed since a run (exclusive) or a time: the runs since, their status changes (at most
// `limit`, `truncated` when there were more), and how many records of each kind they wrote.
struct ChangesQuery {
  std::optional<std::int64_t> since_run;
  std::optional<std::string> since_time;  // ISO 8601 UTC
  std::optional<std::string> instance;
  std::size_t limit = 1000;
};
struct Changes {
  TypedTable runs;
  TypedTable status_changes;
  bool truncated = false;
  std::map<std::string, std::int64_t> records_written;  // table -> rows written since
};
Changes changes_since(Database& database, const ChangesQuery& query);

// ---- quarantine ----

struct QuarantineQuery {
  std::optional<std::string> instance;
  std::optional<std::int64_t> run_id;
  bool include_replayed = false;
  bool with_record = false;  // the kept record, as JSON
  Paging paging;
};
RowPage list_quarantine(Database& database, const QuarantineQuery& query);

// The UTC date now, YYYY-MM-DD: the `today` days left are counted from.
std::string utc_today();

// The instances holding a campaign of that provider id (one, mostly; none when unknown).
std::vector<std::string> campaign_instances(Database& database, const std::string& external_id);

// Days from `today` (YYYY-MM-DD) to the date of `deadline` (a date or a UTC time); negative
// when past. Nothing when either does not read as a date.
std::optional<std::int64_t> days_until(const std::string& today, const std::string& deadline);

}  // namespace hub::views
