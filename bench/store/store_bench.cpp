// Writes N opportunities in batches of 1000 into each backend, twice (a first write, then the
// same records again, all unchanged), with RecordStore's bulk path and with the row-by-row
// path it replaced (kept here only as the baseline), and prints rows/s and the ratios.
//
//   store_bench [--records N] [--servers FILE]
//
// SQLite always (a file in /tmp); PostgreSQL and MariaDB when FILE is the servers file that
// tests/db-servers/start.sh wrote (its admin URLs: the bench makes and drops its own database).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/record_store.h"

namespace {

constexpr const char* kInstance = "bench";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";
constexpr std::size_t kBatch = 1000;

std::vector<hub::CanonicalRecord> make_opportunities(std::size_t count) {
  std::vector<hub::CanonicalRecord> records;
  records.reserve(count);
  for (std::size_t i = 1; i <= count; ++i) {
    campaign_hub::Opportunity o;
    o.external_id = "o-" + std::to_string(i);
    o.campaign_id = "c-" + std::to_string(i % 50);
    o.title = "Opportunité n°" + std::to_string(i);
    o.organisation = "Société " + std::to_string(i % 997);
    o.contact_name = "Zoë Martin";
    o.contact_email = "zoe" + std::to_string(i) + "@example.com";
    o.status = i % 2 ? "Open" : "Won";
    o.amount = static_cast<double>(i) * 10.5;
    o.currency = "EUR";
    o.probability = 0.25;
    o.submitted_at = "2026-03-01T08:00:00Z";
    o.updated_at = "2026-03-02T09:30:00Z";
    o.raw = R"({"id":)" + std::to_string(i) + "}";
    records.push_back(hub::to_canonical(o, hub::Value(i % 2 ? "active" : "won"), "Imported"));
  }
  return records;
}

// The write path before the bulk rewrite: per record, one SELECT of the stored hash and
// status, then one upsert, each a prepared statement bound to scalars.
class RowByRowStore {
 public:
  explicit RowByRowStore(hub::Database& database) : database_(database) {
    auto& sql = database.session();
    auto cols = hub::columns(hub::Entity::opportunity);
    values_.resize(cols.size());
    indicators_.resize(cols.size());
    std::string names, placeholders;
    std::vector<std::string> updated;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      names += ", " + std::string(cols[i].name);
      placeholders += ", :v" + std::to_string(i);
      updated.emplace_back(cols[i].name);
    }
    updated.insert(updated.end(), {"content_hash", "last_synced", "last_run"});
    select_.emplace((sql.prepare << "SELECT content_hash, status FROM opportunities "
                                    "WHERE instance = :i AND external_id = :e",
                     soci::use(instance_), soci::use(external_id_),
                     soci::into(found_hash_, found_hash_indicator_),
                     soci::into(found_status_, found_status_indicator_)));
    auto prepared = (sql.prepare << "INSERT INTO opportunities (instance, external_id" << names
                                 << ", content_hash, first_seen, last_synced, last_run) VALUES "
                                    "(:i, :e"
                                 << placeholders << ", :h, :n1, :n2, :r)"
                                 << database.upsert_clause("instance, external_id", updated),
                     soci::use(instance_), soci::use(external_id_));
    for (std::size_t i = 0; i < cols.size(); ++i)
      prepared, soci::use(values_[i], indicators_[i]);
    prepared, soci::use(hash_), soci::use(now_), soci::use(now_), soci::use(run_);
    upsert_.emplace(prepared);
  }

  void write(const std::vector<hub::CanonicalRecord>& batch) {
    soci::transaction transaction(database_.session());
    now_ = hub::utc_now();
    for (const auto& record : batch) {
      external_id_ = record.external_id;
      found_hash_indicator_ = soci::i_null;
      std::string hash = hub::content_hash(record);
      if (select_->execute(true) && found_hash_indicator_ == soci::i_ok && found_hash_ == hash)
        continue;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        values_[i] = record.values[i].value_or("");
        indicators_[i] = record.values[i] ? soci::i_ok : soci::i_null;
      }
      hash_ = hash;
      upsert_->execute(true);
    }
    transaction.commit();
  }

 private:
  hub::Database& database_;
  std::string instance_ = kInstance, external_id_, hash_, now_;
  long long run_ = 1;
  std::vector<std::string> values_;
  std::vector<soci::indicator> indicators_;
  std::string found_hash_, found_status_;
  soci::indicator found_hash_indicator_ = soci::i_null, found_status_indicator_ = soci::i_null;
  std::optional<soci::statement> select_, upsert_;
};

// A fresh database for one measurement; answers its URL.
using FreshDatabase = std::function<std::string()>;

double seconds_of(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Figures {
  double first = 0, again = 0;  // seconds
};

Figures measure(const FreshDatabase& fresh, const std::vector<hub::CanonicalRecord>& records,
                bool bulk) {
  hub::Database database(fresh());
  hub::migrate(database);
  hub::Leases(database).acquire(kInstance, 1, kFuture);
  hub::RecordStore store(database, kInstance);
  std::optional<RowByRowStore> old;
  if (!bulk)
    old.emplace(database);
  auto write_all = [&] {
    for (std::size_t first = 0; first < records.size(); first += kBatch) {
      std::vector<hub::CanonicalRecord> slice(
          records.begin() + static_cast<std::ptrdiff_t>(first),
          records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), first + kBatch)));
      if (bulk) {
        hub::Batch batch;
        batch.records = std::move(slice);
        store.write(batch, 1, kFuture);
      } else {
        old->write(slice);
      }
    }
  };
  Figures figures;
  figures.first = seconds_of(write_all);
  figures.again = seconds_of(write_all);
  return figures;
}

std::map<std::string, std::string> read_servers(const std::string& file) {
  std::map<std::string, std::string> values;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto equals = line.find('=');
    if (equals != std::string::npos)
      values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

// A database named `hub_bench` on the server of `admin_url`, dropped and created again.
FreshDatabase server_database(const std::string& admin_url) {
  return [admin_url] {
    static const std::regex database(R"(\b(dbname|db)=\S+)");
    hub::Database admin(admin_url);
    if (admin.dialect() == hub::Dialect::postgresql) {
      admin.session() << "SET client_min_messages = warning";
      admin.session() << "DROP DATABASE IF EXISTS hub_bench WITH (FORCE)";
      admin.session() << "CREATE DATABASE hub_bench";
    } else {
      admin.session() << "DROP DATABASE IF EXISTS hub_bench";
      admin.session() << "CREATE DATABASE hub_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    }
    return std::regex_replace(admin_url, database, "$1=hub_bench");
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 100000;
  std::string servers;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--records") {
      count = std::stoul(argv[i + 1]);
    } else if (flag == "--servers") {
      servers = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: store_bench [--records N] [--servers FILE]\n");
      return 64;
    }
  }
  auto records = make_opportunities(count);

  std::vector<std::pair<std::string, FreshDatabase>> backends;
  std::filesystem::path file = std::filesystem::temp_directory_path() / "campaign-hub-bench.db";
  backends.emplace_back("sqlite3", [file] {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(file.string() + suffix);
    return "sqlite3://" + file.string();
  });
  if (!servers.empty()) {
    auto urls = read_servers(servers);
    for (const char* backend : {"postgresql", "mysql"}) {
      auto admin = urls.find(std::string(backend) + "_admin");
      if (admin == urls.end()) {
        std::fprintf(stderr, "%s: no %s_admin URL\n", servers.c_str(), backend);
        return 1;
      }
      backends.emplace_back(backend, server_database(admin->second));
    }
  }

  std::printf("%zu opportunities in batches of %zu; rows/s (seconds)\n", count, kBatch);
  std::printf("%-11s %-12s %22s %22s\n", "backend", "path", "first write", "unchanged re-write");
  for (const auto& [name, fresh] : backends) {
    Figures old = measure(fresh, records, false);
    Figures bulk = measure(fresh, records, true);
    auto line = [&](const char* path, const Figures& f) {
      std::printf("%-11s %-12s %12.0f (%6.2f s) %12.0f (%6.2f s)\n", name.c_str(), path,
                  static_cast<double>(count) / f.first, f.first,
                  static_cast<double>(count) / f.again, f.again);
    };
    line("row-by-row", old);
    line("bulk", bulk);
    std::printf("%-11s %-12s %21.1fx %21.1fx\n", name.c_str(), "speed-up", old.first / bulk.first,
                old.again / bulk.again);
  }
  return 0;
}
