// The background thread of a read-only tree in follow mode: polls with backoff and calls a
// refresh function. Owned by TreeCore, stopped (joined) before the tree closes.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "infinitree/follow.hpp"

namespace infinitree::detail {

class Follower {
 public:
  // `poll` refreshes once and returns 0 (root unchanged), 1 (new root, same head) or 2 (new
  // head); it throws on failure, which is counted and backed off like an unchanged root.
  Follower(const FollowOptions& options, std::function<int()> poll);
  ~Follower();  // stop()
  void stop();  // wakes the thread and joins it; idempotent
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  FollowStats stats() const;
  bool on_own_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void run();

  const FollowOptions options_;
  const std::function<int()> poll_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  FollowStats stats_;
  std::thread thread_;
};

// Checks the options: invalid_argument for an interval <= 0, a max below the interval or a
// backoff below 1.
void validate_follow_options(const FollowOptions& options);

}  // namespace infinitree::detail
