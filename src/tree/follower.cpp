#include "tree/follower.hpp"

#include <algorithm>

#include "infinitree/error.hpp"

namespace infinitree::detail {

void validate_follow_options(const FollowOptions& o) {
  if (o.interval.count() <= 0)
    throw Error(Errc::invalid_argument, "follow interval must be at least 1 ms");
  if (o.max_interval < o.interval)
    throw Error(Errc::invalid_argument, "follow max_interval must not be below the interval");
  if (!(o.backoff >= 1.0) || o.backoff > 1000.0)
    throw Error(Errc::invalid_argument, "follow backoff must be between 1 and 1000");
}

Follower::Follower(const FollowOptions& options, std::function<int()> poll)
    : options_(options), poll_(std::move(poll)) {
  validate_follow_options(options_);
  thread_ = std::thread([this] { run(); });
}

Follower::~Follower() { stop(); }

void Follower::stop() {
  {
    std::lock_guard g(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

FollowStats Follower::stats() const {
  std::lock_guard g(mu_);
  return stats_;
}

void Follower::run() {
  using ms = std::chrono::milliseconds;
  ms wait = options_.interval;
  std::unique_lock g(mu_);
  for (;;) {
    if (cv_.wait_for(g, wait, [&] { return stopping_; })) return;
    g.unlock();
    int outcome = 0;
    bool failed = false;
    try {
      outcome = poll_();
    } catch (...) {
      // A poll that fails (the store unreachable for a while) is retried with backoff; the
      // tree keeps serving the state it has.
      failed = true;
    }
    g.lock();
    ++stats_.polls;
    if (failed) ++stats_.errors;
    if (outcome >= 1) ++stats_.refreshed;
    if (outcome == 2) ++stats_.new_heads;
    if (outcome >= 1) {
      wait = options_.interval;
    } else {
      auto next = static_cast<double>(wait.count()) * options_.backoff;
      wait = ms(static_cast<int64_t>(std::min(next, static_cast<double>(options_.max_interval.count()))));
    }
  }
}

}  // namespace infinitree::detail
