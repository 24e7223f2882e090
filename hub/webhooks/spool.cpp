#include "hub/webhooks/spool.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "connectors/text/base64.h"
#include "hub/model/time.h"
#include "hub/model/utf8.h"
#include "hub/store/database.h"

namespace hub::webhooks {
namespace {

// A group commits at most this many requests, so that one slow group does not hold a burst.
constexpr std::size_t kGroupSize = 512;

}  // namespace

Spool::Spool(std::string database_url)
    : database_url_(std::move(database_url)), writer_([this] { write_loop(); }) {}

Spool::~Spool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

Kept Spool::append(Delivery delivery, std::chrono::milliseconds wait) {
  std::future<Kept> kept;
  {
    std::lock_guard lock(mutex_);
    if (stopping_)
      throw SpoolUnavailable("the hub is stopping");
    queue_.push_back({std::move(delivery), {}});
    kept = queue_.back().kept.get_future();
  }
  changed_.notify_one();
  if (kept.wait_for(wait) != std::future_status::ready)
    throw SpoolUnavailable("the database did not keep the request within " +
                           std::to_string(wait.count()) + " ms");
  return kept.get();  // rethrows the writer's SpoolUnavailable
}

void Spool::write_loop() {
  std::deque<Pending> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return;  // stopping, and nothing left
      while (!queue_.empty() && group.size() < kGroupSize) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    write_group(group);
    group.clear();
  }
}

void Spool::write_group(std::deque<Pending>& group) {
  std::vector<Kept> results;
  results.reserve(group.size());
  try {
    if (!database_) {
      database_ = std::make_unique<Database>(database_url_);
      // Kept means on disk: every spool commit is fsync'd, not only checkpoints.
      if (database_->dialect() == Dialect::sqlite3)
        database_->session() << "PRAGMA synchronous=FULL";
    }
    auto& sql = database_->session();
    const std::string now = utc_now();
    soci::transaction transaction(sql);
    for (const Pending& pending : group) {
      const Delivery& delivery = pending.delivery;
      int seen = 0;
      sql << "SELECT COUNT(*) FROM webhook_spool WHERE instance = :i AND delivery_id = :d",
          soci::use(delivery.instance), soci::use(delivery.delivery_id), soci::into(seen);
      if (seen > 0) {
        results.push_back(Kept::duplicate);
        continue;
      }
      // PostgreSQL refuses NUL and invalid UTF-8 in text: such a body is kept in base64.
      const bool text = !unstorable_text(delivery.body);
      const std::string body = text ? delivery.body : connectors::text::base64(delivery.body);
      const std::string encoding = text ? "text" : "base64";
      sql << "INSERT INTO webhook_spool (instance, delivery_id, received_at, method, path, "
             "query_text, headers, body, body_encoding, state) VALUES (:i, :d, :r, :m, :p, :q, "
             ":h, :b, :e, 'pending')",
          soci::use(delivery.instance), soci::use(delivery.delivery_id), soci::use(now),
          soci::use(delivery.method), soci::use(delivery.path), soci::use(delivery.query),
          soci::use(delivery.headers_json), soci::use(body), soci::use(encoding);
      results.push_back(Kept::stored);
    }
    transaction.commit();
  } catch (const std::exception& error) {
    // The connection may be gone: the next group connects again.
    database_.reset();
    spdlog::error("webhooks: {} request(s) not kept, answered 503: {}", group.size(), error.what());
    for (Pending& pending : group)
      pending.kept.set_exception(std::make_exception_ptr(
          SpoolUnavailable(std::string("the database failed: ") + error.what())));
    return;
  }
  for (std::size_t i = 0; i < group.size(); ++i)
    group[i].kept.set_value(results[i]);
}

}  // namespace hub::webhooks
