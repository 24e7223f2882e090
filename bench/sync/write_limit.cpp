// The write limit of the sync benchmark: how fast these exact rows can go into SQLite at all.
//
//   write_limit --url http://127.0.0.1:PORT --db FILE [--token T] [--instance connect]
//               [--initiative "Default Initiative"] [--page-size 500] [--tsv FILE]
//
// Untimed: pages every Connect opportunity out of the simulator (libcurl, RapidJSON), maps each
// record as connect-scouting does and puts it through the hub's own Normalizer, so that the
// rows are the hub's rows, and holds them all in memory. Timed: only the upserts into FILE (a
// database that `campaign-hub db migrate` created, so the table and key are the hub's), with
// one prepared INSERT ... ON CONFLICT(instance, external_id) DO UPDATE reused through
// bind/step/reset, WAL, synchronous=NORMAL, a COMMIT every 10,000 rows.
// Prints {"records": n, "seconds": s, "records_per_second": r, "fetch_seconds": f} on stdout
// (fetch_seconds: the untimed fetch and mapping, for information).
// With --tsv, writes the same rows afterwards (untimed) as a PostgreSQL COPY text file, for the
// COPY baseline (pg_copy_baseline.py).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include "hub/model/canonical.h"
#include "hub/model/time.h"
#include "hub/normalize/normalizer.h"

namespace {

constexpr int kRowsPerTransaction = 10'000;

struct Options {
  std::string url;
  std::string db;
  std::string token = "sim-connect-token";
  std::string instance = "connect";
  std::string initiative = "Default Initiative";
  int page_size = 500;
  std::string tsv;
};

// One stored row: the provider-facing columns in hub::columns(opportunity) order, plus the key
// and the content hash; the bookkeeping columns are the same for every row of a run.
struct Row {
  std::string external_id;
  std::vector<hub::Value> values;
  std::string hash;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "write_limit: %s\n", message.c_str());
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        fail(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--url")
      options.url = value();
    else if (arg == "--db")
      options.db = value();
    else if (arg == "--token")
      options.token = value();
    else if (arg == "--instance")
      options.instance = value();
    else if (arg == "--initiative")
      options.initiative = value();
    else if (arg == "--page-size")
      options.page_size = std::stoi(value());
    else if (arg == "--tsv")
      options.tsv = value();
    else
      fail("unknown argument " + std::string(arg) +
           " (usage: write_limit --url URL --db FILE [--token T] [--instance NAME] "
           "[--initiative NAME] [--page-size N] [--tsv FILE])");
  }
  if (options.url.empty() || options.db.empty())
    fail("--url and --db are required");
  return options;
}

// ---- fetching (untimed) -------------------------------------------------------------------

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

class Feed {
 public:
  explicit Feed(const Options& options) : options_(options), curl_(curl_easy_init()) {
    if (curl_ == nullptr)
      fail("curl_easy_init failed");
    auth_ = curl_slist_append(nullptr, ("Authorization: Bearer " + options.token).c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, auth_);
    // No Accept-Encoding: the fetch is untimed, and on 127.0.0.1 the simulator's gzip only
    // makes the whole run longer. The bodies are the same JSON either way.
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
  }
  ~Feed() {
    curl_slist_free_all(auth_);
    curl_easy_cleanup(curl_);
  }
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  // GET one page; answers the body.
  const std::string& get(const std::string& url) {
    body_.clear();
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK)
      fail("GET " + url + ": " + curl_easy_strerror(code));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
      fail("GET " + url + ": HTTP " + std::to_string(status) + ": " + body_.substr(0, 300));
    return body_;
  }

 private:
  const Options& options_;
  CURL* curl_;
  curl_slist* auth_ = nullptr;
  std::string body_;
};

hub::Value text_at(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject())
    return std::nullopt;
  auto found = object.FindMember(key);
  if (found == object.MemberEnd() || !found->value.IsString() ||
      found->value.GetStringLength() == 0) {
    return std::nullopt;
  }
  return std::string(found->value.GetString(), found->value.GetStringLength());
}

hub::Value nested_text(const rapidjson::Value& object, const char* key, const char* field) {
  auto found = object.FindMember(key);
  return found == object.MemberEnd() ? std::nullopt : text_at(found->value, field);
}

// As connect-scouting maps a feed record (plugins/connect-scouting/record_mapping.cpp).
campaign_hub::Opportunity map_opportunity(const rapidjson::Value& record) {
  campaign_hub::Opportunity opportunity;
  opportunity.external_id = text_at(record, "id").value_or("");
  opportunity.updated_at = text_at(record, "updated_at");
  rapidjson::StringBuffer raw;
  rapidjson::Writer<rapidjson::StringBuffer> writer(raw);
  record.Accept(writer);
  opportunity.raw.assign(raw.GetString(), raw.GetSize());
  opportunity.campaign_id = text_at(record, "campaign_id");
  opportunity.title = text_at(record, "title");
  opportunity.organisation = nested_text(record, "institution", "name");
  opportunity.contact_name = nested_text(record, "submitted_by", "name");
  opportunity.contact_email = nested_text(record, "submitted_by", "email");
  opportunity.status = text_at(record, "status");
  opportunity.submitted_at = text_at(record, "submitted_at");
  return opportunity;
}

// FNV-1a over the values, nulls marked: a 16-hex content hash like the hub's.
std::string content_hash(const std::vector<hub::Value>& values) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view bytes) {
    for (unsigned char byte : bytes) {
      hash ^= byte;
      hash *= 0x100000001b3ULL;
    }
  };
  for (const auto& value : values) {
    mix(value ? std::string_view("\x01", 1) : std::string_view("\x00", 1));
    if (value)
      mix(*value);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::vector<Row> fetch_rows(const Options& options) {
  hub::StatusTable statuses;
  statuses.add("opportunity", "Active", "active")
      .add("opportunity", "On-hold", "on_hold")
      .add("opportunity", "Closed", "closed")
      .add("opportunity", "Declined", "declined");
  hub::Normalizer normalizer(statuses, "connect-scouting", options.instance, options.initiative);
  Feed feed(options);
  std::vector<Row> rows;
  const std::string first =
      options.url + "/v1/opportunities?limit=" + std::to_string(options.page_size);
  std::string url = first;
  for (;;) {
    rapidjson::Document page;
    page.Parse(feed.get(url).c_str());
    if (page.HasParseError() || !page.IsObject() || !page.HasMember("data") ||
        !page["data"].IsArray()) {
      fail("GET " + url + ": not a Connect page");
    }
    for (const auto& record : page["data"].GetArray()) {
      hub::Normalized normalized = normalizer.normalize(map_opportunity(record));
      if (!normalized.record)
        fail("record rejected by the normalizer: " + normalized.rejection.reason);
      Row row;
      row.external_id = std::move(normalized.record->external_id);
      row.values = std::move(normalized.record->values);
      row.hash = content_hash(row.values);
      rows.push_back(std::move(row));
    }
    auto next = page.FindMember("next_cursor");
    if (next == page.MemberEnd() || !next->value.IsString())
      break;
    char* escaped = curl_easy_escape(nullptr, next->value.GetString(),
                                     static_cast<int>(next->value.GetStringLength()));
    url = first + "&cursor=" + escaped;
    curl_free(escaped);
  }
  return rows;
}

// ---- writing (timed) ----------------------------------------------------------------------

void check(int code, sqlite3* db, const char* what) {
  if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW)
    fail(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = std::string(sql) + ": " + (error ? error : "?");
    sqlite3_free(error);
    fail(message);
  }
}

std::string upsert_sql() {
  auto columns = hub::columns(hub::Entity::opportunity);
  std::string names = "instance, external_id", placeholders = "?, ?", updates;
  for (const auto& column : columns) {
    names += ", " + std::string(column.name);
    placeholders += ", ?";
    updates += std::string(updates.empty() ? "" : ", ") + std::string(column.name) +
               " = excluded." + std::string(column.name);
  }
  names += ", content_hash, first_seen, last_synced, last_run";
  placeholders += ", ?, ?, ?, ?";
  updates +=
      ", content_hash = excluded.content_hash, last_synced = excluded.last_synced, "
      "last_run = excluded.last_run";
  return "INSERT INTO opportunities (" + names + ") VALUES (" + placeholders +
         ") ON CONFLICT(instance, external_id) DO UPDATE SET " + updates;
}

void bind_text(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

double write_rows(const Options& options, const std::vector<Row>& rows, const std::string& now) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(options.db.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    fail("cannot open " + options.db + " (migrate it with campaign-hub db migrate first)");
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  sqlite3_stmt* statement = nullptr;
  const std::string sql = upsert_sql();
  check(sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr), db,
        "prepare");

  auto start = std::chrono::steady_clock::now();
  exec(db, "BEGIN");
  int in_transaction = 0;
  for (const Row& row : rows) {
    int p = 1;
    bind_text(statement, p++, options.instance);
    bind_text(statement, p++, row.external_id);
    for (const auto& value : row.values) {
      if (value)
        bind_text(statement, p++, *value);
      else
        sqlite3_bind_null(statement, p++);
    }
    bind_text(statement, p++, row.hash);
    bind_text(statement, p++, now);
    bind_text(statement, p++, now);
    sqlite3_bind_int64(statement, p++, 1);
    check(sqlite3_step(statement), db, "step");
    sqlite3_reset(statement);
    if (++in_transaction == kRowsPerTransaction) {
      exec(db, "COMMIT");
      exec(db, "BEGIN");
      in_transaction = 0;
    }
  }
  exec(db, "COMMIT");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  sqlite3_finalize(statement);
  sqlite3_close(db);
  return seconds;
}

// ---- the COPY file (untimed) --------------------------------------------------------------

// PostgreSQL COPY text format: tab-separated, \N for null, backslash escapes.
void put_field(std::string& line, const hub::Value& value) {
  if (!value) {
    line += "\\N";
    return;
  }
  for (char c : *value) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

void write_tsv(const Options& options, const std::vector<Row>& rows, const std::string& now) {
  std::ofstream out(options.tsv, std::ios::binary);
  if (!out)
    fail("cannot write " + options.tsv);
  std::string line;
  for (const Row& row : rows) {
    line.clear();
    put_field(line, options.instance);
    line += '\t';
    put_field(line, row.external_id);
    for (const auto& value : row.values) {
      line += '\t';
      put_field(line, value);
    }
    line += '\t' + row.hash + '\t' + now + '\t' + now + "\t1\n";
    out << line;
  }
  if (!out.flush())
    fail("writing " + options.tsv + " failed");
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto fetch_start = std::chrono::steady_clock::now();
  std::vector<Row> rows = fetch_rows(options);
  double fetch_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fetch_start).count();
  const std::string now = hub::utc_now();
  double seconds = write_rows(options, rows, now);
  if (!options.tsv.empty())
    write_tsv(options, rows, now);
  curl_global_cleanup();
  std::printf(
      "{\"records\": %zu, \"seconds\": %.3f, \"records_per_second\": %.0f, "
      "\"fetch_seconds\": %.3f}\n",
      rows.size(), seconds, seconds > 0 ? static_cast<double>(rows.size()) / seconds : 0.0,
      fetch_seconds);
  return 0;
}
