// A small fixed-size worker pool for the stream pipeline (sealing chunks, read-ahead).
// Tasks must not block waiting for a task that is still queued (only for running ones),
// so a pool can never deadlock on itself.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace infinitree::stream {

class ThreadPool {
 public:
  // threads == 0 means std::thread::hardware_concurrency() (at least 1).
  explicit ThreadPool(size_t threads = 0);
  ~ThreadPool();  // runs every queued task, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues a task. Tasks must not throw (wrap them); an escaping exception terminates.
  void submit(std::function<void()> task);
  size_t size() const { return workers_.size(); }

  // The process-wide pool used when options name none: hardware_concurrency threads.
  static std::shared_ptr<ThreadPool> shared();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace infinitree::stream
