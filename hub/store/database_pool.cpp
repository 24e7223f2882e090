#include "hub/store/database_pool.h"

namespace hub {

std::unique_ptr<Database> DatabasePool::take(const std::string& url) {
  for (;;) {
    std::unique_ptr<Database> database;
    {
      std::lock_guard lock(mutex_);
      std::erase_if(idle_, [&](const auto& each) { return each.first != url; });
      if (idle_.empty())
        break;
      database = std::move(idle_.back().second);
      idle_.pop_back();
    }
    // A server restarted, or a connection cut while it sat idle, fails here, not in the run.
    try {
      int one = 0;
      database->session() << "SELECT 1", soci::into(one);
      return database;
    } catch (const std::exception&) {
      continue;  // closed with it; the next idle one, or a new one
    }
  }
  return std::make_unique<Database>(url);
}

void DatabasePool::give_back(const std::string& url, std::unique_ptr<Database> database,
                             std::size_t keep_at_most) {
  std::lock_guard lock(mutex_);
  if (database && idle_.size() < keep_at_most)
    idle_.emplace_back(url, std::move(database));
}

std::size_t DatabasePool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

}  // namespace hub
