// The serve processes working on this database (issue 17, membership): each registers itself
// when it starts, beats while it runs and says when it stops; one whose heartbeat is older
// than `lost_after` without having stopped is lost (killed, its machine gone, cut off).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "hub/store/database.h"

namespace hub {

struct WorkerRow {
  std::string id;  // "host:pid@started"
  std::string host;
  std::int64_t pid = 0;
  std::string started_at;
  std::string heartbeat_at;
  std::string stopped_at;  // empty while it runs
};

// How often a worker beats, and when its silence makes it lost.
constexpr auto kHeartbeatEvery = std::chrono::seconds(5);
constexpr auto kLostAfter = std::chrono::seconds(30);
// A worker that stopped this long ago is forgotten when the next one joins.
constexpr auto kForgetStoppedAfter = std::chrono::hours(24 * 7);

class Workers {
 public:
  explicit Workers(Database& database) : database_(database) {}

  // Registers this process as a worker at `now` and answers its id. Throws DatabaseError.
  std::string join(const std::string& now);
  void beat(const std::string& id, const std::string& now);
  void leave(const std::string& id, const std::string& now);
  // Every worker known, the latest started first.
  std::vector<WorkerRow> list();
  // How many workers are running at `now`: not stopped, and beaten within `lost_after`.
  std::size_t count_running(std::chrono::system_clock::time_point now,
                            std::chrono::seconds lost_after = kLostAfter);
  // Forgets the workers that stopped before `before`, and answers how many. Their runs keep
  // the worker's id.
  std::size_t prune_stopped(const std::string& before);

 private:
  Database& database_;
};

// "running", "stopped" or "lost" at `now` (both UTC texts).
std::string worker_state(const WorkerRow& worker, std::chrono::system_clock::time_point now,
                         std::chrono::seconds lost_after = kLostAfter);

}  // namespace hub
