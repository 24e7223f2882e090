// What a sync is asked to do and what one instance's run came to: shared by the engine that
// runs a plugin and the supervisor that runs the engine in a process of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/run_log.h"

namespace hub {

struct SyncOptions {
  std::vector<std::string> instances;  // empty: every configured instance
  bool full_refresh = false;
  bool dry_run = false;
  bool progress = false;  // a progress line on stderr per page
  // Ingest the requests the provider pushed and serve kept (webhook_spool), instead of reading
  // the provider: the plugin's Provider::receive, the same store path.
  bool webhooks = false;
  // Once set, the run commits what the plugin emitted up to its next checkpoint and ends
  // `interrupted`: the next run resumes from that cursor.
  const std::atomic<bool>* stop = nullptr;
  // The serve worker that runs it (Workers::join), recorded with the run; empty outside serve.
  std::string worker;
  // serve claimed the instance (Claims) and began the run: its row and its lease exist.
  struct Claimed {
    std::int64_t run_id = 0;
    std::int64_t epoch = 0;
  };
  std::optional<Claimed> claimed;
};

enum class Outcome { succeeded, partial, failed, skipped };

struct InstanceResult {
  std::string instance;
  Outcome outcome = Outcome::failed;
  RunSummary summary;
  std::string message;  // why it failed or was skipped
  // How its process died, when it did: "crash" (a signal), "timeout" (past
  // run_timeout_seconds), "memory" (over memory_limit_mib), "killed" (past the stop grace).
  std::string death;
};

// "succeeded", "partial", "failed", "skipped": the words the run log and reports use.
const char* outcome_name(Outcome outcome);

// Marks `result` failed with `message` (redacted), and logs it.
void mark_failed(InstanceResult& result, const std::string& message);

}  // namespace hub
