#include "hub/webhooks/spool.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "connectors/text/base64.h"
#include "hub/model/time.h"
#include "hub/model/utf8.h"
#include "hub/store/database.h"
#include "hub/store/statements.h"

namespace hub::webhooks {
namespace {

// A group commits at most this many requests, so that one slow group does not hold a burst.
constexpr std::size_t kGroupSize = 512;

// Keeps a request unless its instance and delivery id were kept before (migration 10's
// UNIQUE (instance, delivery_id)): the statement then changes no row. Not a SELECT first, and
// not an INSERT that fails: on PostgreSQL a unique violation aborts the whole transaction,
// and so the group.
std::string insert_unless_kept(Dialect dialect) {
  const bool mysql = dialect == Dialect::mysql;
  const Parameters names(dialect);
  std::string values;
  for (std::size_t i = 0; i < 9; ++i)
    values += names.placeholder(i) + ", ";
  return std::string(mysql ? "INSERT IGNORE" : "INSERT") +
         " INTO webhook_spool (instance, delivery_id, received_at, method, path, query_text, "
         "headers, body, body_encoding, state) VALUES (" +
         values + "'pending')" + (mysql ? "" : " ON CONFLICT (instance, delivery_id) DO NOTHING");
}

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
    const std::string insert = insert_unless_kept(database_->dialect());
    soci::transaction transaction(sql);
    for (const Pending& pending : group) {
      const Delivery& delivery = pending.delivery;
      // PostgreSQL refuses NUL and invalid UTF-8 in text: such a body is kept in base64.
      const bool text = !unstorable_text(delivery.body);
      Parameters values(database_->dialect());
      values.text(delivery.instance);
      values.text(delivery.delivery_id);
      values.text(now);
      values.text(delivery.method);
      values.text(delivery.path);
      values.text(delivery.query);
      values.text(delivery.headers_json);
      values.text(text ? delivery.body : connectors::text::base64(delivery.body));
      values.text(std::string(text ? "text" : "base64"));
      results.push_back(execute(sql, insert, values) > 0 ? Kept::stored : Kept::duplicate);
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
