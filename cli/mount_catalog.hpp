// What the top folders of `infinitree mount` list (mount_fs.hpp): every commit reachable
// from a branch or tag, the branches and tags, and the folder snapshots (`store` commits)
// named by time, overall and per host. Built in one pass over the history and replaced
// whole when the mount looks for new commits, so readers share an immutable one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "infinitree/tree.hpp"

namespace infinitree::cli {

struct MountCatalog {
  std::map<std::string, CommitInfo> commits;     // full id -> commit
  std::map<std::string, std::string> short_ids;  // unique 12-digit prefix -> full id
  std::map<std::string, std::string> branches, tags, snapshots;  // file name -> full id
  std::string latest;                            // the newest name in snapshots
  // The snapshots of each host `store` recorded (by file name), named as in snapshots/.
  struct Host {
    std::map<std::string, std::string> snapshots;
    std::string latest;
  };
  std::map<std::string, Host> hosts;
};

std::shared_ptr<const MountCatalog> build_mount_catalog(const Tree& tree);

// A snapshot's folder name: its time in UTC, 2026-12-01T07:43:34Z.
std::string snapshot_time_name(int64_t ms_since_epoch);

}  // namespace infinitree::cli
