// The durable spool of pushed requests: a table in the hub's own database (webhook_spool,
// migration 10). A verified request is answered 2xx only once its row is committed; the
// ingestion of what it says happens later, through the same store path as a pull sync.
//
// Why a table, not a file beside the database: the database is already what must survive and
// what is backed up; one transaction keeps the request and its de-duplication key together;
// and every worker on a shared PostgreSQL (several `serve` processes) sees what any listener
// received. While the database cannot take a row, the listener answers 503 and the provider
// retries: nothing is accepted that is not kept.
//
// Appends from many listener threads are committed together by one writer thread (a group
// commit), so that intake costs one transaction per group, not per request; on SQLite that
// transaction is synchronous=FULL (fsync'd before the answer).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace hub {
class Database;
}

namespace hub::webhooks {

// One verified request, as it will be handed to the plugin.
struct Delivery {
  std::string instance;
  std::string delivery_id;  // de-duplication key (Verdict::delivery_id)
  std::string method;
  std::string path;  // after /webhooks/{instance}, the secret segment removed
  std::string query;
  std::string headers_json;  // {"name": "value", ...}, signature headers removed
  std::string body;
};

enum class Kept {
  stored,     // a new row
  duplicate,  // the same instance and delivery id were kept before: nothing written
};

// The database cannot keep the request now: answer 503, the provider retries.
class SpoolUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Spool {
 public:
  // Connects lazily to `database_url` on the writer thread, and again after a failure.
  explicit Spool(std::string database_url);
  ~Spool();  // finishes what is queued, then stops
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Blocks until the request is committed, or throws SpoolUnavailable (the database failed,
  // or did not answer within `wait`).
  Kept append(Delivery delivery, std::chrono::milliseconds wait = std::chrono::seconds(10));

 private:
  struct Pending {
    Delivery delivery;
    std::promise<Kept> kept;
  };
  void write_loop();
  void write_group(std::deque<Pending>& group);

  std::string database_url_;
  std::unique_ptr<Database> database_;  // the writer thread's only
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace hub::webhooks
