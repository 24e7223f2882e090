// The write limits of the sync benchmark: how fast these exact rows can go into SQLite at all.
//
//   write_limit --url http://127.0.0.1:PORT --db FILE [--raw-db FILE] [--token T]
//               [--instance connect] [--initiative "Default Initiative"] [--page-size 500]
//               [--tsv FILE] [--pragma NAME=VALUE]...
//
// Untimed: pages every Connect opportunity out of the simulator (libcurl, RapidJSON), maps each
// record as connect-scouting does and puts it through the hub's own Normalizer, so that the
// rows are the hub's rows, and holds them all in memory.
// Timed, the write limit of issue 14: the canonical columns a user wants (the script peer's,
// peer.py: id, campaign, title, summary, organisation, country, contact name and e-mail, status,
// raw status, TRL, submitted and updated times; no raw JSON) upserted into the peer's own table
// in FILE (created here when absent, UNIQUE(instance, external_id)).
// Timed too with --raw-db, the write limit of issue 7: every column the hub stores, the raw JSON
// and the content hash included, into the hub's opportunities table of that file (a database
// that `campaign-hub db migrate` created).
// Both: one prepared INSERT ... ON CONFLICT(instance, external_id) DO UPDATE reused through
// bind/step/reset, WAL, synchronous=NORMAL, a COMMIT every 10,000 rows; --pragma adds a setting
// to both (e.g. cache_size=-65536), to measure it.
// Prints {"records": n, "seconds": s, "records_per_second": r, "fetch_seconds": f} on stdout,
// with "raw_seconds" and "raw_records_per_second" when --raw-db is given (fetch_seconds: the
// untimed fetch and mapping, for information).
// With --tsv, writes the hub's rows afterwards (untimed) as a PostgreSQL COPY text file, for the
// COPY baseline (pg_copy_baseline.py).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>
#include <zdict.h>
#include <zstd.h>

#include "hub/model/canonical.h"
#include "hub/model/time.h"
#include "hub/normalize/normalizer.h"

namespace {

constexpr int kRowsPerTransaction = 10'000;

struct Options {
  std::string url;
  std::string db;
  std::string raw_db;
  std::string token = "sim-connect-token";
  std::string instance = "connect";
  std::string initiative = "Default Initiative";
  int page_size = 500;
  std::string tsv;
  std::vector<std::string> pragmas;  // --pragma cache_size=-65536: to measure a setting
  // How the "with raw" write keeps the provider's payload (issue 14 asks to measure options):
  // plain (as the hub does), zstd (each payload compressed alone, level 1), zstd-dict (level 1
  // with a dictionary trained, untimed, on the first 10,000 payloads), none (no payload).
  std::string raw_storage = "plain";
};

// One stored row: the provider-facing columns in hub::columns(opportunity) order, plus the key
// and the content hash; the bookkeeping columns are the same for every row of a run.
struct Row {
  std::string external_id;
  std::vector<hub::Value> values;
  std::string hash;
  std::optional<std::int64_t> readiness_level;  // the TRL as a number, for the user's table
};

// The user's table (issue 14): the script peer's, column for column (peer.py, TABLE).
constexpr const char* kUserTable =
    "CREATE TABLE IF NOT EXISTS opportunities ("
    "instance TEXT NOT NULL, external_id TEXT NOT NULL, campaign_id TEXT, title TEXT, "
    "summary TEXT, organisation TEXT, country TEXT, contact_name TEXT, contact_email TEXT, "
    "status TEXT, raw_status TEXT, trl INTEGER, submitted_at TEXT, updated_at TEXT, "
    "UNIQUE (instance, external_id))";

// Its text columns after instance and external_id, each with the hub column it comes from;
// trl (readiness_level) is bound as a number between raw_status and submitted_at.
struct UserColumn {
  const char* name;
  const char* hub_column;
};
constexpr UserColumn kUserText[] = {
    {"campaign_id", "campaign_external_id"},
    {"title", "title"},
    {"summary", "summary"},
    {"organisation", "organisation"},
    {"country", "country"},
    {"contact_name", "contact_name"},
    {"contact_email", "contact_email"},
    {"status", "status"},
    {"raw_status", "raw_status"},
};
constexpr UserColumn kUserTimes[] = {{"submitted_at", "submitted_at"},
                                     {"updated_at", "provider_updated_at"}};

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
    else if (arg == "--raw-db")
      options.raw_db = value();
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
    else if (arg == "--raw-storage")
      options.raw_storage = value();
    else if (arg == "--pragma")
      options.pragmas.push_back(value());
    else
      fail("unknown argument " + std::string(arg) +
           " (usage: write_limit --url URL --db FILE [--token T] [--instance NAME] "
           "[--raw-db FILE] [--raw-storage plain|zstd|zstd-dict|none] [--initiative NAME] "
           "[--page-size N] [--tsv FILE] [--pragma P]...)");
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
  opportunity.summary = text_at(record, "summary");
  opportunity.organisation = nested_text(record, "institution", "name");
  opportunity.country = nested_text(record, "institution", "country");
  opportunity.contact_name = nested_text(record, "submitted_by", "name");
  opportunity.contact_email = nested_text(record, "submitted_by", "email");
  opportunity.status = text_at(record, "status");
  if (auto trl = record.FindMember("trl"); trl != record.MemberEnd() && trl->value.IsInt64())
    opportunity.readiness_level = trl->value.GetInt64();
  if (auto attachments = record.FindMember("attachments");
      attachments != record.MemberEnd() && attachments->value.IsArray()) {
    opportunity.attachment_count = static_cast<std::int64_t>(attachments->value.Size());
  }
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

std::size_t column_index(std::string_view name) {
  auto columns = hub::columns(hub::Entity::opportunity);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name)
      return i;
  }
  fail("the hub has no opportunity column " + std::string(name));
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
  const std::size_t readiness_level = column_index("readiness_level");
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
      if (const auto& trl = row.values[readiness_level])
        row.readiness_level = std::stoll(*trl);
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

// The hub's table: every column it stores, the key, the hash and the bookkeeping.
std::string hub_upsert_sql() {
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

// The user's table: the peer's own upsert.
std::string user_upsert_sql() {
  std::vector<std::string> columns;
  for (const auto& column : kUserText)
    columns.emplace_back(column.name);
  columns.emplace_back("trl");
  for (const auto& column : kUserTimes)
    columns.emplace_back(column.name);
  std::string names = "instance, external_id", placeholders = "?, ?", updates;
  for (const auto& name : columns) {
    names += ", " + name;
    placeholders += ", ?";
    updates += (updates.empty() ? "" : ", ") + name + " = excluded." + name;
  }
  return "INSERT INTO opportunities (" + names + ") VALUES (" + placeholders +
         ") ON CONFLICT(instance, external_id) DO UPDATE SET " + updates;
}

void bind_text(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void bind_value(sqlite3_stmt* statement, int index, const hub::Value& value) {
  if (value)
    bind_text(statement, index, *value);
  else
    sqlite3_bind_null(statement, index);
}

// Binds one row's parameters to the prepared upsert.
using Binder = std::function<void(sqlite3_stmt*, const Row&)>;

// Opens FILE, runs `setup`, then times the upserts of every row: answers the seconds.
double write_rows(const Options& options, const std::string& path, const char* setup,
                  const std::string& sql, const std::vector<Row>& rows, const Binder& bind) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | (setup != nullptr ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
    fail("cannot open " + path + " (migrate it with campaign-hub db migrate first)");
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  for (const auto& pragma : options.pragmas)
    exec(db, ("PRAGMA " + pragma).c_str());
  if (setup != nullptr)
    exec(db, setup);
  sqlite3_stmt* statement = nullptr;
  check(sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr), db,
        "prepare");

  auto start = std::chrono::steady_clock::now();
  exec(db, "BEGIN");
  int in_transaction = 0;
  for (const Row& row : rows) {
    bind(statement, row);
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

double write_user_rows(const Options& options, const std::vector<Row>& rows) {
  std::vector<std::size_t> text, times;
  for (const auto& column : kUserText)
    text.push_back(column_index(column.hub_column));
  for (const auto& column : kUserTimes)
    times.push_back(column_index(column.hub_column));
  return write_rows(options, options.db, kUserTable, user_upsert_sql(), rows,
                    [&](sqlite3_stmt* statement, const Row& row) {
                      int p = 1;
                      bind_text(statement, p++, options.instance);
                      bind_text(statement, p++, row.external_id);
                      for (std::size_t i : text)
                        bind_value(statement, p++, row.values[i]);
                      if (row.readiness_level)
                        sqlite3_bind_int64(statement, p++, *row.readiness_level);
                      else
                        sqlite3_bind_null(statement, p++);
                      for (std::size_t i : times)
                        bind_value(statement, p++, row.values[i]);
                    });
}

// The payload as --raw-storage keeps it, compressed in the timed loop as a hub would.
class RawStorage {
 public:
  RawStorage(const Options& options, const std::vector<Row>& rows) : mode_(options.raw_storage) {
    if (mode_ != "plain" && mode_ != "zstd" && mode_ != "zstd-dict" && mode_ != "none")
      fail("--raw-storage: plain, zstd, zstd-dict or none, not " + mode_);
    if (mode_ == "zstd-dict") {
      std::string samples;
      std::vector<std::size_t> sizes;
      for (std::size_t i = 0; i < rows.size() && i < 10'000; ++i) {
        const auto& raw = rows[i].values[kRaw];
        if (raw) {
          samples += *raw;
          sizes.push_back(raw->size());
        }
      }
      std::string dictionary(112 * 1024, '\0');
      std::size_t size = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), samples.data(),
                                               sizes.data(), static_cast<unsigned>(sizes.size()));
      if (ZDICT_isError(size))
        fail(std::string("training a dictionary: ") + ZDICT_getErrorName(size));
      dictionary_ = ZSTD_createCDict(dictionary.data(), size, kLevel);
      dictionary_bytes_ = size;
    }
  }
  ~RawStorage() {
    ZSTD_freeCDict(dictionary_);
    ZSTD_freeCCtx(context_);
  }
  RawStorage(const RawStorage&) = delete;
  RawStorage& operator=(const RawStorage&) = delete;

  void bind(sqlite3_stmt* statement, int index, const hub::Value& raw) {
    if (mode_ == "none" || !raw) {
      sqlite3_bind_null(statement, index);
      return;
    }
    if (mode_ == "plain") {
      bind_text(statement, index, *raw);
      stored_bytes_ += raw->size();
      return;
    }
    buffer_.resize(ZSTD_compressBound(raw->size()));
    std::size_t size = dictionary_ != nullptr
                           ? ZSTD_compress_usingCDict(context_, buffer_.data(), buffer_.size(),
                                                      raw->data(), raw->size(), dictionary_)
                           : ZSTD_compressCCtx(context_, buffer_.data(), buffer_.size(),
                                               raw->data(), raw->size(), kLevel);
    if (ZSTD_isError(size))
      fail(std::string("compressing: ") + ZSTD_getErrorName(size));
    sqlite3_bind_blob(statement, index, buffer_.data(), static_cast<int>(size), SQLITE_TRANSIENT);
    stored_bytes_ += size;
  }

  std::size_t stored_bytes() const { return stored_bytes_; }
  std::size_t dictionary_bytes() const { return dictionary_bytes_; }

 private:
  static constexpr int kLevel = 1;
  static inline const std::size_t kRaw = column_index("raw");
  std::string mode_;
  ZSTD_CCtx* context_ = ZSTD_createCCtx();
  ZSTD_CDict* dictionary_ = nullptr;
  std::size_t dictionary_bytes_ = 0;
  std::size_t stored_bytes_ = 0;
  std::string buffer_;
};

double write_hub_rows(const Options& options, const std::vector<Row>& rows, const std::string& now,
                      RawStorage& storage) {
  const std::size_t raw = column_index("raw");
  return write_rows(options, options.raw_db, nullptr, hub_upsert_sql(), rows,
                    [&](sqlite3_stmt* statement, const Row& row) {
                      int p = 1;
                      bind_text(statement, p++, options.instance);
                      bind_text(statement, p++, row.external_id);
                      for (std::size_t i = 0; i < row.values.size(); ++i, ++p) {
                        if (i == raw)
                          storage.bind(statement, p, row.values[i]);
                        else
                          bind_value(statement, p, row.values[i]);
                      }
                      bind_text(statement, p++, row.hash);
                      bind_text(statement, p++, now);
                      bind_text(statement, p++, now);
                      sqlite3_bind_int64(statement, p++, 1);
                    });
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
  auto per_second = [&rows](double seconds) {
    return seconds > 0 ? static_cast<double>(rows.size()) / seconds : 0.0;
  };
  double seconds = write_user_rows(options, rows);
  std::string raw;
  if (!options.raw_db.empty()) {
    RawStorage storage(options, rows);
    double raw_seconds = write_hub_rows(options, rows, now, storage);
    char text[256];
    std::snprintf(text, sizeof text,
                  ", \"raw_seconds\": %.3f, \"raw_records_per_second\": %.0f, "
                  "\"raw_storage\": \"%s\", \"raw_bytes\": %zu, \"raw_dictionary_bytes\": %zu",
                  raw_seconds, per_second(raw_seconds), options.raw_storage.c_str(),
                  storage.stored_bytes(), storage.dictionary_bytes());
    raw = text;
  }
  if (!options.tsv.empty())
    write_tsv(options, rows, now);
  curl_global_cleanup();
  std::printf(
      "{\"records\": %zu, \"seconds\": %.3f, \"records_per_second\": %.0f, "
      "\"fetch_seconds\": %.3f%s}\n",
      rows.size(), seconds, per_second(seconds), fetch_seconds, raw.c_str());
  return 0;
}
