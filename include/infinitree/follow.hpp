// Readers that follow a writer (docs/backends.md): the options and statistics of
// Tree::follow (infinitree/tree.hpp).
#pragma once

#include <chrono>
#include <cstdint>

namespace infinitree {

// Polling starts at `interval`; every poll that finds the root unchanged (or fails)
// multiplies the wait by `backoff`, up to `max_interval`; a poll that finds a new root goes
// back to `interval`. An unchanged root costs one small request (a conditional GET with the
// root's ETag on S3, a stat on a directory).
struct FollowOptions {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds max_interval{30000};
  double backoff = 2.0;  // >= 1; 1 polls at a fixed interval
};

// What a follower has done so far (Tree::follow_stats).
struct FollowStats {
  uint64_t polls = 0;      // refreshes attempted
  uint64_t refreshed = 0;  // polls that found a new root (the head may or may not have moved)
  uint64_t new_heads = 0;  // polls after which the head commit was another one
  uint64_t errors = 0;     // polls that failed (network, a root that does not open ...)
};

}  // namespace infinitree
