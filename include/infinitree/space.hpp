// Reclaiming space: forget (drop commits from history) and prune (delete or repack the
// objects that no kept commit needs). See docs/space.md.
#pragma once

#include <cstdint>
#include <vector>

#include "infinitree/commit.hpp"

namespace infinitree {

// Which commits Tree::forget(policy) keeps, in the spirit of `restic forget`. A commit is
// kept if any rule keeps it; branch heads and tagged commits are always kept. Time buckets
// are in UTC; each bucket rule keeps the newest commit of each of the N newest buckets
// (hour, day, ISO week, month, year) that hold a commit.
struct RetentionPolicy {
  uint32_t keep_last = 0;
  uint32_t keep_hourly = 0;
  uint32_t keep_daily = 0;
  uint32_t keep_weekly = 0;
  uint32_t keep_monthly = 0;
  uint32_t keep_yearly = 0;
  // Every commit at most this old, measured from the newest commit's time (as restic does,
  // so a policy gives the same answer whenever it is applied). 0: no such rule.
  int64_t keep_within_ms = 0;

  bool empty() const {
    return !keep_last && !keep_hourly && !keep_daily && !keep_weekly && !keep_monthly &&
           !keep_yearly && !keep_within_ms;
  }
};

// What Tree::forget did (with dry_run: would do).
struct ForgetReport {
  std::vector<CommitInfo> forgotten;  // newest first
  std::vector<CommitInfo> kept;       // newest first
};

struct PruneOptions {
  // Objects whose live bytes are under this fraction of their capacity are repacked: their
  // live chunks are copied into new objects and the old object is deleted.
  double repack_below = 0.5;
  // Deleting waits this long, so readers that opened an older root (another process, a
  // cache) can finish reading their version. The deletion is recorded in the sealed root
  // and done by a later prune or commit once the time has passed. 0: delete at once.
  int64_t grace_ms = 15 * 60 * 1000;
  // Orphaned temporary files (`.tmp-*`, left by killed writers) older than this are removed.
  int64_t temp_grace_ms = 60 * 60 * 1000;
  bool dry_run = false;  // report what would be done, change nothing
};

// What Tree::space() finds and Tree::prune() did. Byte figures are stored (compressed and
// sealed) bytes; an object is 4 MiB in the store whatever it holds.
struct SpaceReport {
  uint64_t objects = 0;            // this tree's objects in the store (the root object aside)
  uint64_t object_bytes = 0;       // objects * 4 MiB
  uint64_t live_chunks = 0;        // chunks some kept commit (or the refs/history) needs
  uint64_t live_bytes = 0;
  uint64_t garbage_bytes = 0;      // object_bytes - live_bytes (padding included)
  uint64_t objects_to_delete = 0;  // hold no live chunk
  uint64_t objects_to_repack = 0;  // live fraction under PruneOptions::repack_below
  uint64_t objects_pending = 0;    // already scheduled for deletion by an earlier prune
  // Filled in by prune (zero in space() and in a dry run):
  uint64_t objects_deleted = 0;    // deleted by this call (their grace period is over)
  uint64_t objects_deferred = 0;   // scheduled for deletion after the grace period
  uint64_t chunks_moved = 0;       // live chunks copied out of repacked objects
  uint64_t bytes_moved = 0;
  uint64_t temp_files_removed = 0;
};

}  // namespace infinitree
