// Connections kept between uses, for work that comes and goes: a serve's runs each need one
// in the parent (lease renewals, the run's end). A new connection costs a PostgreSQL server a
// process and cold caches: about 30 ms of its CPU per connection on the 2-core machine of
// bench/workers, as much as the rest of a small run's work there.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "hub/store/database.h"

namespace hub {

class DatabasePool {
 public:
  // A connection to `url`: an idle one that still answers, or a new one. Idle connections
  // to another URL (the config was reloaded) are closed. Throws DatabaseError.
  std::unique_ptr<Database> take(const std::string& url);
  // Keeps `database`, a connection to `url` that is in no transaction, for the next take,
  // unless `keep_at_most` are kept already.
  void give_back(const std::string& url, std::unique_ptr<Database> database,
                 std::size_t keep_at_most);
  std::size_t idle() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::unique_ptr<Database>>> idle_;
};

}  // namespace hub
