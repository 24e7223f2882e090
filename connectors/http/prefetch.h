// Concurrent requests for a plugin, in the order it reads them: tasks (an HTTP send and its
// parse, say) run on a few threads, at most `ahead` past the result taken last, and `take`
// hands each result back where the plugin would have fetched it itself, rethrowing what the
// task threw. The plugin emits as it would one request at a time, so records, checkpoints and
// errors keep their order; only the waiting overlaps. The hub's Http::send is safe to call
// from several threads; the connector keeps at most `max_in_flight` on the wire and honours
// the rate limit, whatever the number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace connectors::http {

template <typename T>
class Prefetch {
 public:
  Prefetch(std::vector<std::function<T()>> tasks, std::size_t threads, std::size_t ahead)
      : tasks_(std::move(tasks)), slots_(tasks_.size()), ahead_(ahead < 1 ? 1 : ahead) {
    const std::size_t count = std::min(threads < 1 ? 1 : threads, tasks_.size());
    for (std::size_t t = 0; t < count; ++t)
      threads_.emplace_back([this] { work(); });
  }

  // Tasks not started are dropped; those running finish first.
  ~Prefetch() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_)
      thread.join();
  }

  Prefetch(const Prefetch&) = delete;
  Prefetch& operator=(const Prefetch&) = delete;

  std::size_t size() const { return tasks_.size(); }

  // Task i's result, once it is there; its exception, rethrown. Each is taken once.
  T take(std::size_t i) {
    std::unique_lock lock(mutex_);
    if (i + 1 > taken_) {
      taken_ = i + 1;  // the tasks before i are no longer waited for
      changed_.notify_all();
    }
    changed_.wait(lock, [&] { return slots_[i].done; });
    Slot& slot = slots_[i];
    if (slot.error)
      std::rethrow_exception(slot.error);
    T value = std::move(*slot.value);
    slot.value.reset();
    return value;
  }

 private:
  struct Slot {
    std::optional<T> value;
    std::exception_ptr error;
    bool done = false;
  };

  void work() {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock,
                      [&] { return stop_ || next_ >= tasks_.size() || next_ < taken_ + ahead_; });
        if (stop_ || next_ >= tasks_.size())
          return;
        i = next_++;
      }
      Slot result;
      try {
        result.value.emplace(tasks_[i]());
      } catch (...) {
        result.error = std::current_exception();
      }
      result.done = true;
      {
        std::lock_guard lock(mutex_);
        slots_[i] = std::move(result);
      }
      changed_.notify_all();
    }
  }

  std::vector<std::function<T()>> tasks_;
  std::vector<Slot> slots_;
  std::size_t ahead_;
  std::size_t next_ = 0;   // the next task to start
  std::size_t taken_ = 0;  // one past the last result asked for
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

}  // namespace connectors::http
