// Readers that follow a writer (docs/backends.md): a read-only tree moves to the newest
// commit in the store without reopening, once (refresh) or in the background (follow).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "infinitree/tree.hpp"

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

// Moves read-only `tree` to the newest committed state in the store without reopening (no
// key derivation); returns true if the head commit changed. Field handles stay valid and
// show the new state. invalid_argument for a tree opened for writing; on failure (store
// unreachable, root gone after a password change) the tree keeps the state it had.
bool refresh(Tree& tree);

// Follow mode: refreshes `tree` (read-only) in a background thread per `options`, calling
// `on_new_head` there after each refresh that moved the head. Replaces an earlier follow;
// closing the tree stops it. Do not close the tree or stop following from the callback.
void follow(Tree& tree, const FollowOptions& options = {},
            std::function<void(const CommitInfo&)> on_new_head = {});
void stop_following(Tree& tree);  // a poll in progress finishes first
FollowStats follow_stats(Tree& tree);

}  // namespace infinitree
