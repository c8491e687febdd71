#include "stream/thread_pool.hpp"

namespace infinitree::stream {

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void ThreadPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

std::shared_ptr<ThreadPool> ThreadPool::shared() {
  // Deliberately never destroyed: a read-ahead task may still hold the last other reference
  // when the process exits; if the static released it, ~ThreadPool would run on a worker
  // and join itself (std::system_error "Resource deadlock avoided", seen in the CLI).
  static const auto* pool = new std::shared_ptr<ThreadPool>(std::make_shared<ThreadPool>(0));
  return *pool;
}

}  // namespace infinitree::stream
