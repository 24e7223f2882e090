// The campaign list and one campaign's detail (issue 12) over a million opportunities in
// SQLite: the hub's answers, through the query layer and through HTTP, timed against what a
// user would write by hand with the sqlite3 C API for the same answer (README.md).
//
//   views_bench [--opportunities N] [--samples N] [--keep FILE] [--json FILE] [--explain]
//
// Exit code 0 when every hub answer (query layer and HTTP) has p95 <= 100 ms, 1 when one has
// not, 2 when the run broke.
#include <curl/curl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "bench/machine.h"
#include "bench/options.h"
#include "hub/api/api_module.h"
#include "hub/query/views.h"
#include "hub/serve/listener.h"
#include "hub/store/migrations.h"

namespace {

constexpr double kTargetMs = 100.0;
constexpr std::size_t kRowsPerTransaction = 50'000;
constexpr const char* kToday = "2026-11-25";
constexpr const char* kSynced = "2026-11-25T03:00:00Z";

struct Options {
  std::size_t opportunities = 1'000'000;
  std::size_t samples = 200;
  std::string keep;  // keep the database at this path
  std::string json = "bench/results/views.json";
  bool explain = false;
  bool tcp_nodelay = false;  // serve the API on a plain httplib::Server with TCP_NODELAY
};

Options parse_options(int argc, char** argv) {
  bench::Arguments args("views_bench",
                        "views_bench [--opportunities N] [--samples N] [--keep FILE] "
                        "[--json FILE] [--explain] [--tcp-nodelay]",
                        argc, argv);
  Options options;
  while (args.next()) {
    const std::string& name = args.name();
    if (name == "--opportunities")
      options.opportunities = args.count();
    else if (name == "--samples")
      options.samples = std::max<std::size_t>(1, args.count());
    else if (name == "--keep")
      options.keep = args.value();
    else if (name == "--json")
      options.json = args.value();
    else if (name == "--explain")
      options.explain = true;
    else if (name == "--tcp-nodelay")
      options.tcp_nodelay = true;
    else
      args.unknown();
  }
  return options;
}

// ---- the sqlite3 C API, thinly ----

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("sqlite: " + message + " in: " + sql);
  }
}

// One prepared statement, bound by position from 1, stepped and reset.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK)
      throw std::runtime_error("sqlite: " + std::string(sqlite3_errmsg(db)) + " in: " + sql);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& text(int at, const std::string& value) {
    sqlite3_bind_text(statement_, at, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& integer(int at, std::int64_t value) {
    sqlite3_bind_int64(statement_, at, value);
    return *this;
  }
  Statement& real(int at, double value) {
    sqlite3_bind_double(statement_, at, value);
    return *this;
  }
  Statement& null(int at) {
    sqlite3_bind_null(statement_, at);
    return *this;
  }
  // Runs a statement that returns no rows, and makes it ready for the next.
  void run() {
    if (sqlite3_step(statement_) != SQLITE_DONE)
      throw std::runtime_error("sqlite: " + std::string(sqlite3_errmsg(db_)));
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  // The next row; false (and reset) after the last.
  bool next() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW)
      return true;
    if (code != SQLITE_DONE)
      throw std::runtime_error("sqlite: " + std::string(sqlite3_errmsg(db_)));
    sqlite3_reset(statement_);
    return false;
  }
  int columns() const { return sqlite3_column_count(statement_); }
  std::optional<std::string> column(int at) const {
    const auto* text = sqlite3_column_text(statement_, at);
    if (!text)
      return std::nullopt;
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, at)));
  }
  std::int64_t column_integer(int at) const { return sqlite3_column_int64(statement_, at); }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

// ---- the data set ----

struct Campaign {
  std::string instance;
  std::string id;
  std::string status;
  bool deleted = false;
  std::int64_t opportunities = 0;  // not deleted
};

struct DataSet {
  std::vector<Campaign> campaigns;
  std::size_t opportunities = 0;
  std::size_t status_events = 0;
  std::size_t metrics_snapshots = 0;
  std::size_t participants = 0;
  std::size_t steps = 0;
  std::size_t triaged = 0;
};

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(engine_);
  }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(engine_);
  }
  double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& from) {
    return from[below(from.size())];
  }
  // An index drawn with the given weights (cumulative, ascending).
  std::size_t weighted(const std::vector<double>& cumulative) {
    const double at = unit() * cumulative.back();
    return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), at) -
                                    cumulative.begin());
  }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

std::string padded(std::size_t number, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%0*zu", width, number);
  return text;
}

// "2026-MM-DDTHH:MM:SSZ", `day` days into 2026 (wrapping at 360).
std::string time_on(std::int64_t day, std::int64_t second = 0) {
  const long long d = ((day % 360) + 360) % 360;
  const long long s = second;
  char text[32];
  std::snprintf(text, sizeof text, "2026-%02lld-%02lldT%02lld:%02lld:%02lldZ", d / 30 + 1,
                d % 28 + 1, s / 3600 % 24, s / 60 % 60, s % 60);
  return text;
}

std::string hash_of(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(value * 0x9E3779B97F4A7C15ULL));
  return text;
}

std::string json_text(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

const std::vector<std::string> kSentences = {
    "Programme de coopération régionale pour l'innovation durable dans les PME.",
    "Förderung der Zusammenarbeit zwischen Hochschulen und mittelständischen Unternehmen.",
    "Iniciativa de transferencia tecnológica con socios en América Latina y Europa.",
    "A pilot on circular-economy supply chains with three municipal partners.",
    "Współpraca transgraniczna w zakresie energii odnawialnej i magazynowania.",
    "Un progetto per la digitalizzazione dei servizi pubblici nelle aree interne.",
    "Scale-up support for climate-tech start-ups entering Nordic markets.",
};
const std::vector<std::string> kOrganisations = {"Société Générale d'Études",
                                                 "Müller & Söhne GmbH",
                                                 "Técnicas Reunidas S.A.",
                                                 "Nordic Wind AB",
                                                 "Åbo Akademi",
                                                 "Zakłady Azotowe",
                                                 "Università di Bologna",
                                                 "Acme Ltd",
                                                 "Grønn Energi AS"};
const std::vector<std::string> kPeople = {"Zoë Martin",   "Jürgen Weiß", "Inés García",
                                          "Łukasz Nowak", "Aoife Byrne", "Giulia Rossi"};
const std::vector<std::string> kCountries = {"FR", "DE", "ES", "PL", "IT", "SE", "IE", "NO"};
const std::vector<std::string> kInitiatives = {"Imported", "Green Deal", "Digital", "Health",
                                               "Mobility"};

// Canonical opportunity statuses with the provider's words, weighted.
struct Status {
  const char* canonical;
  const char* raw;
  double weight;
};
const std::vector<Status> kOpportunityStatuses = {{"active", "Open", 45},
                                                  {"on_hold", "On hold", 10},
                                                  {"won", "Won", 15},
                                                  {"closed", "Closed", 20},
                                                  {"declined", "Declined", 10}};
const std::vector<Status> kCampaignStatuses = {
    {"draft", "Draft", 8},         {"scheduled", "Scheduled", 8}, {"testing", "Testing", 4},
    {"active", "Running", 40},     {"paused", "Paused", 10},      {"completed", "Finished", 20},
    {"cancelled", "Cancelled", 6}, {"failed", "Failed", 4}};
const std::vector<Status> kParticipantStatuses = {{"pending", "Pending", 20},
                                                  {"active", "In progress", 35},
                                                  {"paused", "Paused", 5},
                                                  {"completed", "Completed", 35},
                                                  {"removed", "Removed", 5}};
const std::vector<Status> kStepStatuses = {{"pending", "Pending", 40},
                                           {"done", "Done", 45},
                                           {"skipped", "Skipped", 5},
                                           {"cancelled", "Cancelled", 5},
                                           {"failed", "Failed", 5}};

const Status& pick_status(Random& random, const std::vector<Status>& statuses) {
  double total = 0;
  for (const auto& each : statuses)
    total += each.weight;
  double at = random.unit() * total;
  for (const auto& each : statuses) {
    if (at < each.weight)
      return each;
    at -= each.weight;
  }
  return statuses.back();
}

// Commits every kRowsPerTransaction rows written through it.
class Batches {
 public:
  explicit Batches(sqlite3* db) : db_(db) { exec(db_, "BEGIN"); }
  void row() {
    if (++rows_ % kRowsPerTransaction == 0) {
      exec(db_, "COMMIT");
      exec(db_, "BEGIN");
    }
  }
  void finish() { exec(db_, "COMMIT"); }

 private:
  sqlite3* db_;
  std::size_t rows_ = 0;
};

// Fills a freshly migrated database: about 2,000 campaigns over three instances (Connect and
// Salesforce with opportunities, Mailchimp with metrics), `count` opportunities spread very
// unevenly (six campaigns hold 36% of them, the rest a long tail), scattered over the table in
// the order a sync writes them; status history, metrics, participants and steps, triage.
DataSet fill(sqlite3* db, std::size_t count) {
  Random random(20261125);
  DataSet data;
  Batches batches(db);

  struct Instance {
    const char* name;
    std::size_t campaigns;
  };
  const std::vector<Instance> instances = {
      {"connect", 1100}, {"mailchimp", 400}, {"salesforce", 500}};
  const std::vector<std::string> kinds = {"call", "newsletter", "event", "partnership"};

  Statement run(db,
                "INSERT INTO runs (instance, state, started_at, finished_at, records_read, "
                "inserted, updated, unchanged) VALUES (?, 'succeeded', ?, ?, ?, ?, ?, ?)");
  constexpr int kRuns = 40;  // per instance; run ids 1..120
  for (std::size_t i = 0; i < instances.size(); ++i) {
    for (int r = 0; r < kRuns; ++r) {
      run.text(1, instances[i].name)
          .text(2, time_on(200 + r, std::int64_t{3} * 3600))
          .text(3, time_on(200 + r, 3 * 3600 + 900))
          .integer(4, 1000)
          .integer(5, r == 0 ? 1000 : 10)
          .integer(6, 50)
          .integer(7, 940)
          .run();
    }
  }
  const auto run_of = [&](std::size_t instance) {
    return static_cast<std::int64_t>(instance * kRuns) + random.between(1, kRuns);
  };

  Statement campaign(
      db,
      "INSERT INTO campaigns (instance, external_id, name, kind, status, raw_status, owner, "
      "department, manager_email, start_at, end_at, review_by, description, budget, spend, "
      "expected_responses, opportunity_count, connection_count, target_count, "
      "provider_created_at, provider_updated_at, deleted, raw, content_hash, first_seen, "
      "last_synced, last_run, currency, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::vector<std::size_t> campaign_instance;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    for (std::size_t n = 1; n <= instances[i].campaigns; ++n) {
      Campaign c;
      c.instance = instances[i].name;
      c.id = i == 0   ? "C-2026-" + padded(n, 4)
             : i == 1 ? hash_of(n).substr(0, 10)
                      : "701Hs00000" + padded(n, 5) + "AAA";
      const Status& status = pick_status(random, kCampaignStatuses);
      c.status = status.canonical;
      c.deleted = random.chance(0.02);
      const std::int64_t start = random.between(0, 300);
      const std::string name = kinds[n % kinds.size()] + " " + kCountries[n % kCountries.size()] +
                               " " + std::to_string(2026) + " #" + std::to_string(n);
      const std::string description =
          kSentences[n % kSentences.size()] + " " + kSentences[(n + 3) % kSentences.size()];
      const std::string raw = "{\"id\":" + json_text(c.id) + ",\"name\":" + json_text(name) +
                              ",\"status\":" + json_text(status.raw) +
                              ",\"description\":" + json_text(description) +
                              ",\"owner\":" + json_text(kPeople[n % kPeople.size()]) +
                              ",\"budget\":" + std::to_string(1000 * (n % 90 + 10)) +
                              ",\"currency\":\"EUR\",\"start\":" + json_text(time_on(start)) + "}";
      campaign.text(1, c.instance)
          .text(2, c.id)
          .text(3, name)
          .text(4, kinds[n % kinds.size()])
          .text(5, c.status)
          .text(6, status.raw)
          .text(7, kPeople[n % kPeople.size()])
          .text(8, n % 3 ? "Partnerships" : "Research")
          .text(9, "manager" + std::to_string(n % 17) + "@example.org")
          .text(10, time_on(start))
          .text(11, time_on(start + 90))
          .text(12, time_on(start + 60))
          .text(13, description)
          .real(14, 1000.0 * static_cast<double>(n % 90 + 10))
          .real(15, 37.5 * static_cast<double>(n % 400))
          .integer(16, static_cast<std::int64_t>(n % 300))
          .null(17)
          .integer(18, static_cast<std::int64_t>(n % 50))
          .integer(19, static_cast<std::int64_t>(n % 500))
          .text(20, time_on(start - 10))
          .text(21, time_on(start + 5))
          .integer(22, c.deleted ? 1 : 0)
          .text(23, raw)
          .text(24, hash_of(n + i * 100000))
          .text(25, time_on(start - 9))
          .text(26, kSynced)
          .integer(27, run_of(i))
          .text(28, "EUR")
          .text(29, "{\"segment\":\"" + kinds[(n + 1) % kinds.size()] + "\"}")
          .run();
      batches.row();
      data.campaigns.push_back(std::move(c));
      campaign_instance.push_back(i);
    }
  }

  // Who holds the opportunities: Connect and Salesforce campaigns. Six of them hold 36% (at a
  // million: 80k, 70k, 60k, 55k, 50k, 50k), one of which is on the list's first page; the rest
  // share the other 64% on a long tail (about 14k down to 160), drafts none.
  std::vector<std::size_t> holders;
  for (std::size_t c = 0; c < data.campaigns.size(); ++c) {
    if (data.campaigns[c].instance != "mailchimp" && data.campaigns[c].status != "draft")
      holders.push_back(c);
  }
  std::shuffle(holders.begin(), holders.end(), random.engine());
  // The first page starts at C-2026-0001: the third largest is one of its first campaigns.
  const auto first_page_key = [&](std::size_t c) {
    const Campaign& each = data.campaigns[c];
    return std::pair(each.instance != "connect" || each.deleted || each.id < "C-2026-0012",
                     each.id);
  };
  const auto earliest = std::min_element(holders.begin(), holders.end(), [&](auto a, auto b) {
    return first_page_key(a) < first_page_key(b);
  });
  if (holders.size() > 2 && earliest != holders.end() && !first_page_key(*earliest).first)
    std::iter_swap(holders.begin() + 2, earliest);
  const std::vector<double> large = {0.08, 0.07, 0.06, 0.055, 0.05, 0.05};
  double large_total = 0;
  for (double share : large)
    large_total += share;
  double tail_total = 0;
  for (std::size_t r = large.size(); r < holders.size(); ++r)
    tail_total += std::pow(static_cast<double>(r - large.size() + 1), -0.6);
  std::vector<double> cumulative;
  double sum = 0;
  for (std::size_t r = 0; r < holders.size(); ++r) {
    sum += r < large.size()
               ? large[r]
               : (1 - large_total) * std::pow(static_cast<double>(r - large.size() + 1), -0.6) /
                     tail_total;
    cumulative.push_back(sum);
  }

  Statement opportunity(
      db,
      "INSERT INTO opportunities (instance, external_id, campaign_external_id, initiative, "
      "title, organisation, contact_name, contact_email, status, raw_status, amount, currency, "
      "probability, submitted_at, provider_updated_at, deleted, raw, content_hash, first_seen, "
      "last_synced, last_run, summary, country, readiness_level, attachment_count, owner, "
      "attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?)");
  Statement event(db,
                  "INSERT INTO status_events (instance, entity, external_id, from_status, "
                  "to_status, changed_at, run_id, from_raw_status, to_raw_status) VALUES (?, ?, "
                  "?, ?, ?, ?, ?, ?, ?)");
  Statement triage(db,
                   "INSERT INTO opportunity_triage (instance, external_id, initiative, state, "
                   "note, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const std::vector<std::string> triage_states = {"reviewing", "shortlisted", "rejected"};
  for (std::size_t n = 1; n <= count; ++n) {
    const std::size_t c = holders[random.weighted(cumulative)];
    Campaign& owner = data.campaigns[c];
    const std::size_t instance = campaign_instance[c];
    const std::string id = instance == 0 ? "O-" + padded(n, 7) : "006Hs0000" + padded(n, 7) + "Q";
    const Status& status = pick_status(random, kOpportunityStatuses);
    const bool deleted = random.chance(0.03);
    if (!deleted)
      ++owner.opportunities;
    const std::string title =
        "Opportunité n°" + std::to_string(n) + " — " + kInitiatives[n % kInitiatives.size()];
    const std::string& organisation = kOrganisations[n % kOrganisations.size()];
    const std::string& person = kPeople[n % kPeople.size()];
    const std::string email = "contact" + std::to_string(n) + "@example.com";
    const std::string summary = kSentences[n % kSentences.size()] + " " +
                                kSentences[(n / 7) % kSentences.size()] + " " +
                                kSentences[(n / 49) % kSentences.size()];
    const double amount = static_cast<double>(random.between(1, 500)) * 1000.0;
    const std::int64_t day = random.between(0, 320);
    const std::string& country = kCountries[n % kCountries.size()];
    const std::string raw =
        "{\"id\":" + json_text(id) + ",\"campaignId\":" + json_text(owner.id) +
        ",\"title\":" + json_text(title) +
        ",\"organisation\":{\"name\":" + json_text(organisation) +
        ",\"country\":" + json_text(country) + "},\"contact\":{\"name\":" + json_text(person) +
        ",\"email\":" + json_text(email) + "},\"stage\":" + json_text(status.raw) +
        ",\"amount\":{\"value\":" + std::to_string(static_cast<long long>(amount)) +
        ",\"currency\":\"EUR\"},\"probability\":0.4,\"submittedAt\":" + json_text(time_on(day)) +
        ",\"updatedAt\":" + json_text(time_on(day + 3)) + ",\"summary\":" + json_text(summary) +
        ",\"readiness\":" + std::to_string(n % 9 + 1) +
        ",\"attachments\":" + std::to_string(n % 5) + "}";
    opportunity.text(1, owner.instance)
        .text(2, id)
        .text(3, owner.id)
        .text(4, kInitiatives[n % kInitiatives.size()])
        .text(5, title)
        .text(6, organisation)
        .text(7, person)
        .text(8, email)
        .text(9, status.canonical)
        .text(10, status.raw)
        .real(11, amount)
        .text(12, "EUR")
        .real(13, 0.4)
        .text(14, time_on(day))
        .text(15, time_on(day + 3))
        .integer(16, deleted ? 1 : 0)
        .text(17, raw)
        .text(18, hash_of(n))
        .text(19, time_on(day + 4))
        .text(20, kSynced)
        .integer(21, run_of(instance))
        .text(22, summary)
        .text(23, country)
        .integer(24, static_cast<std::int64_t>(n % 9 + 1))
        .integer(25, static_cast<std::int64_t>(n % 5))
        .text(26, person)
        .text(27, "{\"pipeline\":\"" + kInitiatives[(n + 2) % kInitiatives.size()] + "\"}")
        .run();
    batches.row();
    ++data.opportunities;
    if (random.chance(0.15)) {  // moved once since it was first seen
      event.text(1, owner.instance)
          .text(2, "opportunity")
          .text(3, id)
          .text(4, "active")
          .text(5, status.canonical)
          .text(6, time_on(day + 2, 4000))
          .integer(7, run_of(instance))
          .text(8, "Open")
          .text(9, status.raw)
          .run();
      batches.row();
      ++data.status_events;
    }
    if (random.chance(0.02)) {
      triage.text(1, owner.instance)
          .text(2, id)
          .text(3, kInitiatives[(n + 1) % kInitiatives.size()])
          .text(4, random.pick(triage_states))
          .text(5, "Called them on Monday; wants the budget split.")
          .text(6, "aoife")
          .text(7, time_on(day + 5, 36000))
          .run();
      batches.row();
      ++data.triaged;
    }
  }

  // Each campaign's history: two to five moves through its statuses; metrics for Mailchimp's
  // campaigns and a third of Connect's; participants and steps for a third of Connect's; an
  // owner named by hand for one campaign in ten.
  Statement metrics(db,
                    "INSERT INTO metrics_snapshots (instance, campaign_external_id, run_id, "
                    "taken_at, sent, delivered, opens, unique_opens, clicks, bounces, "
                    "unsubscribes, abuse_reports, responses, expected_responses, spend, budget, "
                    "raw, content_hash, deals_won) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?, ?)");
  Statement participant(
      db,
      "INSERT INTO participants (instance, external_id, campaign_external_id, name, status, "
      "raw_status, started_by, started_at, finished_at, completion, assignee, deleted, raw, "
      "content_hash, first_seen, last_synced, last_run, attributes, provider_updated_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement step(db,
                 "INSERT INTO steps (instance, external_id, participant_external_id, name, "
                 "channel, status, raw_status, due_at, executed_at, cancelled_at, deleted, raw, "
                 "content_hash, first_seen, last_synced, last_run, attributes, "
                 "provider_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?)");
  Statement assignment(db,
                       "INSERT INTO campaign_assignments (instance, external_id, owner, "
                       "changed_by, changed_at) VALUES (?, ?, ?, ?, ?)");
  std::size_t participant_number = 0;
  for (std::size_t c = 0; c < data.campaigns.size(); ++c) {
    const Campaign& each = data.campaigns[c];
    const std::size_t instance = campaign_instance[c];
    const std::vector<std::string> path = {"draft",  "scheduled", "testing",
                                           "active", "paused",    "active"};
    const auto moves = random.between(2, 5);
    for (std::int64_t m = 0; m < moves; ++m) {
      const bool last = m == moves - 1;
      const std::string to = last ? each.status : path[static_cast<std::size_t>(m + 1)];
      event.text(1, each.instance)
          .text(2, "campaign")
          .text(3, each.id)
          .text(4, path[static_cast<std::size_t>(m)])
          .text(5, to)
          .text(6, time_on(150 + m * 20, 7200))
          .integer(7, run_of(instance))
          .text(8, path[static_cast<std::size_t>(m)])
          .text(9, to)
          .run();
      batches.row();
      ++data.status_events;
    }
    const bool has_metrics = instance == 1 || (instance == 0 && random.chance(0.33));
    const auto snapshots = has_metrics ? random.between(3, instance == 1 ? 40 : 10) : 0;
    for (std::int64_t s = 0; s < snapshots; ++s) {
      const std::int64_t sent = 5000 + 100 * s;
      metrics.text(1, each.instance)
          .text(2, each.id)
          .integer(3, static_cast<std::int64_t>(instance * kRuns) + 1 + s % kRuns)
          .text(4, time_on(200 + s, std::int64_t{3} * 3600))
          .integer(5, sent)
          .integer(6, sent * 97 / 100)
          .integer(7, sent / 3)
          .integer(8, sent / 4)
          .integer(9, sent / 20)
          .integer(10, sent / 50)
          .integer(11, sent / 400)
          .integer(12, 1)
          .integer(13, sent / 100)
          .integer(14, 80)
          .real(15, 12.5 * static_cast<double>(s + 1))
          .real(16, 5000.0)
          .text(17, "{\"emails_sent\":" + std::to_string(sent) +
                        ",\"opens\":" + std::to_string(sent / 3) + "}")
          .text(18, hash_of(c * 1000 + static_cast<std::size_t>(s)))
          .integer(19, s / 5)
          .run();
      batches.row();
      ++data.metrics_snapshots;
    }
    const auto people = instance == 0 && random.chance(0.33) ? random.between(20, 300) : 0;
    for (std::int64_t p = 0; p < people; ++p) {
      const std::string id = "P-" + padded(++participant_number, 7);
      const Status& status = pick_status(random, kParticipantStatuses);
      participant.text(1, each.instance)
          .text(2, id)
          .text(3, each.id)
          .text(4, kPeople[static_cast<std::size_t>(p) % kPeople.size()])
          .text(5, status.canonical)
          .text(6, status.raw)
          .text(7, "aoife")
          .text(8, time_on(180 + p % 30))
          .null(9)
          .real(10, status.canonical == std::string("completed") ? 1.0 : 0.5)
          .text(11, kPeople[static_cast<std::size_t>(p + 1) % kPeople.size()])
          .integer(12, 0)
          .text(13, "{\"id\":" + json_text(id) + ",\"state\":" + json_text(status.raw) + "}")
          .text(14, hash_of(participant_number + 7))
          .text(15, time_on(181))
          .text(16, kSynced)
          .integer(17, run_of(instance))
          .text(18, "{}")
          .text(19, time_on(190))
          .run();
      batches.row();
      ++data.participants;
      for (int s = 0; s < 2 && p % 2 == 0; ++s) {
        const Status& step_status = pick_status(random, kStepStatuses);
        step.text(1, each.instance)
            .text(2, id + "-S" + std::to_string(s + 1))
            .text(3, id)
            .text(4, s == 0 ? "Welcome e-mail" : "Follow-up call")
            .text(5, s == 0 ? "email" : "phone")
            .text(6, step_status.canonical)
            .text(7, step_status.raw)
            .text(8, time_on(190 + s * 7))
            .null(9)
            .null(10)
            .integer(11, 0)
            .text(12, "{\"step\":" + std::to_string(s + 1) + "}")
            .text(13, hash_of(participant_number * 3 + static_cast<std::size_t>(s)))
            .text(14, time_on(181))
            .text(15, kSynced)
            .integer(16, run_of(instance))
            .text(17, "{}")
            .text(18, time_on(190))
            .run();
        batches.row();
        ++data.steps;
      }
    }
    if (random.chance(0.1)) {
      assignment.text(1, each.instance)
          .text(2, each.id)
          .text(3, kPeople[c % kPeople.size()])
          .text(4, "giulia")
          .text(5, time_on(210, 50000))
          .run();
      batches.row();
    }
  }
  batches.finish();
  return data;
}

// ---- what a user would write by hand: the same answers, straight SQL ----

constexpr const char* kPeerCampaignColumns =
    "SELECT c.instance, c.external_id, c.name, c.kind, c.status, c.raw_status, c.owner, "
    "c.department, c.manager_email, c.start_at, c.end_at, c.review_by, c.description, c.budget, "
    "c.spend, c.expected_responses, c.opportunity_count, c.connection_count, c.target_count, "
    "c.provider_created_at, c.provider_updated_at, c.deleted, c.currency, c.attributes, "
    "c.first_seen, c.last_synced, c.last_run, a.owner, a.changed_by, a.changed_at FROM "
    "campaigns c LEFT JOIN campaign_assignments a ON a.instance = c.instance AND a.external_id "
    "= c.external_id";

struct PeerCard {
  std::vector<std::optional<std::string>> values;
  std::map<std::string, std::int64_t> funnel;
  std::map<std::string, std::int64_t> participants;
  std::vector<std::optional<std::string>> latest_metrics;
};

struct PeerDetail {
  PeerCard card;
  std::vector<std::vector<std::optional<std::string>>> history;
  std::vector<std::vector<std::optional<std::string>>> trend;
};

std::vector<std::optional<std::string>> row_of(const Statement& statement) {
  std::vector<std::optional<std::string>> row;
  row.reserve(static_cast<std::size_t>(statement.columns()));
  for (int i = 0; i < statement.columns(); ++i)
    row.push_back(statement.column(i));
  return row;
}

// The card's other parts: opportunities and participants per status, the latest metrics.
class PeerCards {
 public:
  explicit PeerCards(sqlite3* db)
      : funnel_(db,
                "SELECT status, COUNT(*) FROM opportunities WHERE instance = ? AND "
                "campaign_external_id = ? AND deleted = 0 GROUP BY status"),
        participants_(db,
                      "SELECT status, COUNT(*) FROM participants WHERE instance = ? AND "
                      "campaign_external_id = ? AND deleted = 0 GROUP BY status"),
        metrics_(db,
                 "SELECT * FROM metrics_snapshots WHERE instance = ? AND campaign_external_id = "
                 "? ORDER BY id DESC LIMIT 1") {}

  void fill(PeerCard& card) {
    const std::string instance = card.values[0].value_or("");
    const std::string id = card.values[1].value_or("");
    funnel_.text(1, instance).text(2, id);
    while (funnel_.next())
      card.funnel[funnel_.column(0).value_or("")] = funnel_.column_integer(1);
    participants_.text(1, instance).text(2, id);
    while (participants_.next())
      card.participants[participants_.column(0).value_or("")] = participants_.column_integer(1);
    metrics_.text(1, instance).text(2, id);
    while (metrics_.next())
      card.latest_metrics = row_of(metrics_);
  }

 private:
  Statement funnel_, participants_, metrics_;
};

struct PageQuery {
  std::optional<std::string> status;
  std::optional<std::pair<std::string, std::string>> after;  // (instance, external_id)
};

std::vector<PeerCard> peer_list(sqlite3* db, const PageQuery& query) {
  std::string sql = std::string(kPeerCampaignColumns) + " WHERE c.deleted = 0";
  if (query.status)
    sql += " AND c.status = ?";
  if (query.after)
    sql += " AND (c.instance, c.external_id) > (?, ?)";
  sql += " ORDER BY c.instance, c.external_id LIMIT 50";
  Statement page(db, sql);
  int at = 1;
  if (query.status)
    page.text(at++, *query.status);
  if (query.after) {
    page.text(at, query.after->first).text(at + 1, query.after->second);
    at += 2;
  }
  std::vector<PeerCard> cards;
  while (page.next())
    cards.push_back({row_of(page), {}, {}, {}});
  PeerCards parts(db);
  for (auto& card : cards)
    parts.fill(card);
  return cards;
}

std::optional<PeerDetail> peer_detail(sqlite3* db, const std::string& instance,
                                      const std::string& id) {
  Statement row(db,
                std::string(kPeerCampaignColumns) + " WHERE c.instance = ? AND c.external_id = ?");
  row.text(1, instance).text(2, id);
  PeerDetail detail;
  bool found = false;
  while (row.next()) {
    detail.card.values = row_of(row);
    found = true;
  }
  if (!found)
    return std::nullopt;
  PeerCards(db).fill(detail.card);
  Statement history(db,
                    "SELECT id, from_status, to_status, from_raw_status, to_raw_status, "
                    "changed_at, run_id FROM status_events WHERE instance = ? AND entity = "
                    "'campaign' AND external_id = ? ORDER BY id");
  history.text(1, instance).text(2, id);
  while (history.next())
    detail.history.push_back(row_of(history));
  Statement trend(db,
                  "SELECT * FROM metrics_snapshots WHERE instance = ? AND campaign_external_id "
                  "= ? ORDER BY id");
  trend.text(1, instance).text(2, id);
  while (trend.next())
    detail.trend.push_back(row_of(trend));
  return detail;
}

// ---- HTTP: what the page calls ----

class HttpClient {
 public:
  explicit HttpClient(std::string base) : base_(std::move(base)), curl_(curl_easy_init()) {
    if (!curl_)
      throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
  }
  ~HttpClient() { curl_easy_cleanup(curl_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  std::string escape(const std::string& text) {
    char* escaped = curl_easy_escape(curl_, text.c_str(), static_cast<int>(text.size()));
    std::string out = escaped ? escaped : "";
    curl_free(escaped);
    return out;
  }

  // The body of a 200; throws on anything else.
  const std::string& get(const std::string& path) {
    body_.clear();
    const std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    const CURLcode code = curl_easy_perform(curl_);
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200) {
      throw std::runtime_error("GET " + url + ": " +
                               (code != CURLE_OK ? curl_easy_strerror(code)
                                                 : "HTTP " + std::to_string(status) + " " + body_));
    }
    return body_;
  }

 private:
  static std::size_t write(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }
  std::string base_;
  CURL* curl_;
  std::string body_;
};

// ---- timing ----

struct Figures {
  double p50 = 0, p95 = 0, max = 0;
};

Figures figures(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto rank = [&](double p) {
    auto at = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ms.size())));
    return ms[std::clamp<std::size_t>(at, 1, ms.size()) - 1];
  };
  return {rank(0.50), rank(0.95), ms.back()};
}

template <typename F>
double time_ms(F&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

struct Case {
  std::string name;
  std::string what;
  std::function<void(std::size_t)> hub, peer, http;  // the sample number picks a campaign
  std::vector<double> hub_ms, peer_ms, http_ms;
};

std::string utc_now_text() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::int64_t total(const std::map<std::string, std::int64_t>& counts) {
  std::int64_t sum = 0;
  for (const auto& [status, count] : counts)
    sum += count;
  return sum;
}

void explain(sqlite3* db, const std::string& sql, const std::vector<std::string>& params) {
  Statement plan(db, "EXPLAIN QUERY PLAN " + sql);
  for (std::size_t i = 0; i < params.size(); ++i)
    plan.text(static_cast<int>(i + 1), params[i]);
  std::printf("  %s\n", sql.c_str());
  while (plan.next())
    std::printf("    %s\n", plan.column(3).value_or("").c_str());
}

int run(const Options& options) {
  namespace fs = std::filesystem;
  const fs::path file =
      options.keep.empty()
          ? fs::temp_directory_path() / ("views-bench-" + std::to_string(getpid()) + ".db")
          : fs::path(options.keep);
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(file.string() + suffix);
  const std::string url = "sqlite3://db=" + file.string();

  // ---- fill (untimed for the targets) ----
  std::printf("views_bench: filling %s with %zu opportunities\n", file.c_str(),
              options.opportunities);
  std::fflush(stdout);
  DataSet data;
  int schema = 0;
  double fill_seconds = 0;
  {
    hub::Database database(url);
    hub::migrate(database);
    schema = hub::schema_version(database);
    auto* db = static_cast<sqlite3*>(database.sqlite_handle());
    exec(db, "PRAGMA synchronous=OFF");
    fill_seconds = time_ms([&] { data = fill(db, options.opportunities); }) / 1000.0;
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const auto bytes = fs::file_size(file);
  std::printf(
      "views_bench: schema version %d; %zu campaigns, %zu opportunities, %zu status events, %zu "
      "metrics snapshots, %zu participants, %zu steps, %zu triaged; %.1f s, %.0f MiB\n",
      schema, data.campaigns.size(), data.opportunities, data.status_events, data.metrics_snapshots,
      data.participants, data.steps, data.triaged, fill_seconds,
      static_cast<double>(bytes) / (1024.0 * 1024.0));

  // ---- the hub: the query layer on a connection of its own, and the API over HTTP ----
  hub::Database hub_db(url);
  hub::ApiModule api(url, hub::Access({}), [] { return std::string(kToday); });
  hub::ServeConfig serve;
  serve.listen = "127.0.0.1:0";
  hub::HttpListener listener(serve);
  // --tcp-nodelay: the same module on a server of the bench's own that sends each write at
  // once, to tell what Nagle's algorithm costs the listener's answers.
  httplib::Server nodelay;
  std::thread nodelay_thread;
  std::string base = listener.url();
  if (options.tcp_nodelay) {
    nodelay.set_tcp_nodelay(true);
    api.attach(nodelay);
    const int port = nodelay.bind_to_any_port("127.0.0.1");
    nodelay_thread = std::thread([&] { nodelay.listen_after_bind(); });
    while (!nodelay.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    base = "http://127.0.0.1:" + std::to_string(port);
  } else {
    listener.attach(api);
    listener.start();
  }
  HttpClient http(base);

  // ---- the peer: its own read-only connection ----
  sqlite3* peer_db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &peer_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + file.string() + " for the peer");
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{peer_db};

  // The campaigns the detail cases read: the largest, and one drawn at random per sample.
  const Campaign& largest = *std::max_element(
      data.campaigns.begin(), data.campaigns.end(),
      [](const Campaign& a, const Campaign& b) { return a.opportunities < b.opportunities; });
  std::vector<const Campaign*> drawn;
  Random draw(7);
  for (std::size_t i = 0; i < options.samples + 8; ++i)
    drawn.push_back(&data.campaigns[draw.below(data.campaigns.size())]);

  // A later page: the 20th, through the cursor the 19th gave.
  hub::views::CampaignQuery later;
  std::pair<std::string, std::string> later_key;
  int later_page = 1;
  for (; later_page < 20; ++later_page) {
    auto page = hub::views::list_campaigns(hub_db, later, kToday);
    if (!page.next_cursor)
      break;
    const auto& last = page.items.back();
    const auto value = [&](std::string_view name) {
      for (std::size_t i = 0; i < last.columns.size(); ++i) {
        if (last.columns[i].name == name)
          return last.values[i].value_or("");
      }
      return std::string();
    };
    later_key = {value("instance"), value("external_id")};
    later.paging.cursor = page.next_cursor;
  }
  const std::string later_cursor = later.paging.cursor.value_or("");

  // The same answers from both sides, once, before anything is timed.
  {
    auto hub_page = hub::views::list_campaigns(hub_db, {}, kToday);
    auto peer_page = peer_list(peer_db, {});
    std::int64_t hub_sum = 0, peer_sum = 0;
    for (const auto& item : hub_page.items)
      hub_sum += total(item.funnel);
    for (const auto& card : peer_page)
      peer_sum += total(card.funnel);
    auto hub_detail = hub::views::campaign_detail(hub_db, largest.instance, largest.id, kToday);
    auto peer = peer_detail(peer_db, largest.instance, largest.id);
    if (hub_page.items.size() != peer_page.size() || hub_sum != peer_sum || !hub_detail || !peer ||
        hub_detail->summary.funnel != peer->card.funnel ||
        hub_detail->history.rows.size() != peer->history.size() ||
        hub_detail->metrics_trend.rows.size() != peer->trend.size()) {
      std::fprintf(stderr, "views_bench: the hub and the peer disagree on the answers\n");
      return 2;
    }
    std::printf(
        "views_bench: answers agree: first page %zu campaigns holding %lld opportunities; "
        "largest campaign %s/%s with %lld\n",
        peer_page.size(), static_cast<long long>(peer_sum), largest.instance.c_str(),
        largest.id.c_str(), static_cast<long long>(largest.opportunities));
  }

  if (options.explain) {
    std::printf("views_bench: query plans (SQLite)\n");
    explain(peer_db,
            "SELECT status, COUNT(*) FROM opportunities WHERE instance = ? AND "
            "campaign_external_id = ? AND deleted = 0 GROUP BY status",
            {largest.instance, largest.id});
    explain(peer_db,
            "SELECT status, COUNT(*) FROM participants WHERE instance = ? AND "
            "campaign_external_id = ? AND deleted = 0 GROUP BY status",
            {largest.instance, largest.id});
    explain(peer_db,
            "SELECT * FROM metrics_snapshots WHERE instance = ? AND campaign_external_id = ? "
            "ORDER BY id DESC LIMIT 1",
            {largest.instance, largest.id});
    explain(peer_db,
            "SELECT * FROM status_events WHERE instance = ? AND entity = 'campaign' AND "
            "external_id = ? ORDER BY id",
            {largest.instance, largest.id});
    explain(peer_db,
            std::string(kPeerCampaignColumns) +
                " WHERE c.status = ? AND c.deleted = 0 ORDER BY c.instance, c.external_id LIMIT 51",
            {"active"});
    explain(peer_db,
            std::string(kPeerCampaignColumns) +
                " WHERE c.deleted = 0 AND (c.instance > ? OR (c.instance = ? AND c.external_id > "
                "?)) ORDER BY c.instance, c.external_id LIMIT 51",
            {later_key.first, later_key.first, later_key.second});
  }

  const auto detail_path = [&](const Campaign& c) {
    return "/api/v1/campaigns/" + http.escape(c.instance) + "/" + http.escape(c.id);
  };
  const auto must = [](bool found) {
    if (!found)
      throw std::runtime_error("a campaign the bench wrote was not found");
  };
  hub::views::CampaignQuery active;
  active.status = "active";
  std::vector<Case> cases;
  cases.push_back({"list, first page",
                   "GET /api/v1/campaigns (50 cards)",
                   [&](std::size_t) { hub::views::list_campaigns(hub_db, {}, kToday); },
                   [&](std::size_t) { peer_list(peer_db, {}); },
                   [&](std::size_t) { http.get("/api/v1/campaigns"); },
                   {},
                   {},
                   {}});
  cases.push_back({"list, status=active",
                   "GET /api/v1/campaigns?status=active",
                   [&](std::size_t) { hub::views::list_campaigns(hub_db, active, kToday); },
                   [&](std::size_t) {
                     peer_list(peer_db, {"active", std::nullopt});
                   },
                   [&](std::size_t) { http.get("/api/v1/campaigns?status=active"); },
                   {},
                   {},
                   {}});
  cases.push_back({"list, page " + std::to_string(later_page),
                   "GET /api/v1/campaigns?cursor=... (page " + std::to_string(later_page) + ")",
                   [&](std::size_t) { hub::views::list_campaigns(hub_db, later, kToday); },
                   [&](std::size_t) {
                     peer_list(peer_db, {std::nullopt, later_key});
                   },
                   [&](std::size_t) { http.get("/api/v1/campaigns?cursor=" + later_cursor); },
                   {},
                   {},
                   {}});
  cases.push_back(
      {"detail, largest campaign",
       "GET /api/v1/campaigns/" + largest.instance + "/" + largest.id + " (" +
           std::to_string(largest.opportunities) + " opportunities)",
       [&](std::size_t) {
         must(
             hub::views::campaign_detail(hub_db, largest.instance, largest.id, kToday).has_value());
       },
       [&](std::size_t) { must(peer_detail(peer_db, largest.instance, largest.id).has_value()); },
       [&](std::size_t) { http.get(detail_path(largest)); },
       {},
       {},
       {}});
  cases.push_back(
      {"detail, random campaign",
       "GET /api/v1/campaigns/{instance}/{id}, a campaign drawn per sample",
       [&](std::size_t i) {
         must(hub::views::campaign_detail(hub_db, drawn[i]->instance, drawn[i]->id, kToday)
                  .has_value());
       },
       [&](std::size_t i) {
         must(peer_detail(peer_db, drawn[i]->instance, drawn[i]->id).has_value());
       },
       [&](std::size_t i) { http.get(detail_path(*drawn[i])); },
       {},
       {},
       {}});

  // Warm the page cache and the connections, untimed; then hub, peer, HTTP, in turn.
  for (std::size_t i = 0; i < 3; ++i) {
    for (auto& each : cases) {
      each.hub(options.samples + i);
      each.peer(options.samples + i);
      each.http(options.samples + i);
    }
  }
  std::printf("views_bench: timing %zu samples of each answer\n", options.samples);
  std::fflush(stdout);
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < options.samples; ++i) {
    for (auto& each : cases) {
      each.hub_ms.push_back(time_ms([&] { each.hub(i); }));
      each.peer_ms.push_back(time_ms([&] { each.peer(i); }));
      each.http_ms.push_back(time_ms([&] { each.http(i); }));
    }
  }
  const double timed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  listener.stop();
  if (nodelay_thread.joinable()) {
    nodelay.stop();
    nodelay_thread.join();
  }

  // ---- the report ----
  std::printf("\n%-26s %23s %23s %23s %9s %9s  %s\n", "answer (ms)", "hub p50 / p95 / max",
              "HTTP p50 / p95 / max", "peer p50 / p95 / max", "hub/peer", "HTTP/peer",
              "p95 <= 100 ms");
  bool pass = true;
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("benchmark");
  json.String("views");
  json.Key("date");
  json.String(utc_now_text().c_str());
  const std::string commit = bench::command_output("git rev-parse --short HEAD 2>/dev/null");
  json.Key("commit");
  json.String(commit.empty() ? "unknown" : commit.c_str());
  json.Key("uncommitted_changes");
  json.Bool(
      !bench::command_output("git status --porcelain --untracked-files=no 2>/dev/null").empty());
  json.Key("machine");
  json.StartObject();
  json.Key("cores");
  json.Uint(std::thread::hardware_concurrency());
  json.Key("cpu");
  json.String(bench::cpu_model().c_str());
  json.Key("sqlite");
  json.String(sqlite3_libversion());
  json.EndObject();
  json.Key("schema_version");
  json.Int(schema);
  json.Key("data");
  json.StartObject();
  json.Key("campaigns");
  json.Uint64(data.campaigns.size());
  json.Key("opportunities");
  json.Uint64(data.opportunities);
  json.Key("status_events");
  json.Uint64(data.status_events);
  json.Key("metrics_snapshots");
  json.Uint64(data.metrics_snapshots);
  json.Key("participants");
  json.Uint64(data.participants);
  json.Key("steps");
  json.Uint64(data.steps);
  json.Key("triaged");
  json.Uint64(data.triaged);
  json.Key("largest_campaign_opportunities");
  json.Int64(largest.opportunities);
  json.Key("database_mib");
  json.Double(std::round(static_cast<double>(bytes) / 1048576.0 * 10) / 10);
  json.Key("fill_seconds");
  json.Double(std::round(fill_seconds * 10) / 10);
  json.EndObject();
  json.Key("samples");
  json.Uint64(options.samples);
  json.Key("timed_seconds");
  json.Double(std::round(timed_seconds * 10) / 10);
  json.Key("http_server");
  json.String(options.tcp_nodelay ? "httplib::Server with TCP_NODELAY (--tcp-nodelay)"
                                  : "hub::HttpListener");
  json.Key("target_p95_ms");
  json.Double(kTargetMs);
  json.Key("answers");
  json.StartArray();
  const auto round2 = [](double v) { return std::round(v * 100) / 100; };
  for (const auto& each : cases) {
    const Figures hub = figures(each.hub_ms);
    const Figures peer = figures(each.peer_ms);
    const Figures over_http = figures(each.http_ms);
    const bool ok = hub.p95 <= kTargetMs && over_http.p95 <= kTargetMs;
    pass = pass && ok;
    std::printf("%-26s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %8.2fx %8.2fx  %s\n",
                each.name.c_str(), hub.p50, hub.p95, hub.max, over_http.p50, over_http.p95,
                over_http.max, peer.p50, peer.p95, peer.max, hub.p95 / peer.p95,
                over_http.p95 / peer.p95, ok ? "PASS" : "FAIL");
    json.StartObject();
    json.Key("answer");
    json.String(each.name.c_str());
    json.Key("request");
    json.String(each.what.c_str());
    const std::pair<const char*, Figures> sides[] = {
        {"hub", hub}, {"http", over_http}, {"peer", peer}};
    for (const auto& [name, f] : sides) {
      json.Key(name);
      json.StartObject();
      json.Key("p50_ms");
      json.Double(round2(f.p50));
      json.Key("p95_ms");
      json.Double(round2(f.p95));
      json.Key("max_ms");
      json.Double(round2(f.max));
      json.EndObject();
    }
    json.Key("hub_over_peer_p50");
    json.Double(round2(hub.p50 / peer.p50));
    json.Key("hub_over_peer_p95");
    json.Double(round2(hub.p95 / peer.p95));
    json.Key("http_over_peer_p95");
    json.Double(round2(over_http.p95 / peer.p95));
    json.Key("pass");
    json.Bool(ok);
    json.EndObject();
  }
  json.EndArray();
  json.Key("pass");
  json.Bool(pass);
  json.EndObject();
  std::printf(
      "\nhub: the query layer (hub::views) on its own connection; HTTP: the same through "
      "ApiModule on 127.0.0.1 (libcurl, keep-alive);\npeer: the same answer by hand "
      "with the sqlite3 C API. Targets: hub and HTTP p95 <= %.0f ms: %s\n",
      kTargetMs, pass ? "PASS" : "FAIL");

  if (!options.json.empty()) {
    const fs::path out(options.json);
    if (out.has_parent_path())
      fs::create_directories(out.parent_path());
    std::ofstream(out) << buffer.GetString() << "\n";
    std::printf("views_bench: wrote %s\n", out.c_str());
  }
  if (options.keep.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(file.string() + suffix);
  }
  return pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int code = 2;
  try {
    code = run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "views_bench: %s\n", error.what());
  }
  curl_global_cleanup();
  return code;
}
