// `store PATH`: snapshots a folder into a map field of the working tree. Each regular file
// becomes a stream (deduplicated against everything in the tree); the map entry holds its
// metadata and stream ref (file_meta.hpp); the map streams_field(field) holds the refs alone,
// and its refs are the ones read (prune rewrites them when it repacks a stream; the copy in
// the metadata is then stale until the next store). The map then mirrors the folder exactly: entries
// for paths that are gone are removed. The caller commits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <string>

#include "exclude.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

// The companion map of a snapshot field: path -> stream ref of each regular file.
inline std::string streams_field(const std::string& field) { return field + ".streams"; }

struct StoreOptions {
  unsigned threads = 0;      // files read at once; 0: max(2, cores)
  bool reread = false;       // re-read files whose size and mtime did not change
  bool progress = false;     // draw a progress bar on stderr
  bool progress_json = false;  // ... as JSON lines (--json)
  // Checkpoints: every `checkpoint_ms` (0: never) of reading, a commit with this message and
  // custom bytes, made between files while no file is being read. It makes what was
  // uploaded so far durable and known to the dedup index, so a store that is killed and run
  // again sends only what no checkpoint covered. The snapshot map is untouched by it (the
  // map mirrors the folder only at the end), so a checkpoint commit holds its parent's snapshot.
  int64_t checkpoint_ms = 0;
  std::string checkpoint_message;
  std::string checkpoint_custom;
  // Leave out this directory (device, inode) and everything under it: the store itself.
  dev_t exclude_dev = 0;
  ino_t exclude_ino = 0;
  bool has_exclude = false;
  ExcludeRules exclude;      // --exclude and friends
};

struct StoreResult {
  uint64_t files = 0, dirs = 0, symlinks = 0;
  uint64_t bytes_total = 0;   // sum of file sizes in the snapshot
  uint64_t bytes_read = 0;    // read and chunked now
  uint64_t bytes_new = 0;     // plaintext of chunks not seen before
  uint64_t bytes_stored = 0;  // their size after compression and sealing
  uint64_t unchanged = 0;     // files not re-read (same size and mtime as before)
  uint64_t added = 0, changed = 0, removed = 0;  // map entries
  uint64_t skipped = 0;       // unreadable or special files (warned about)
  uint64_t checkpoints = 0;   // checkpoint commits made
  double seconds = 0;
};

// Where a snapshot goes. `store` writes into a tree's working state (and reads the previous
// snapshot there, to skip unchanged files); `write-only store` writes into a write-only
// session, which can add entries but has nothing to read back (commands_write_only.cpp).
// create_stream() is called from several threads at once; the rest from one at a time.
class SnapshotTarget {
 public:
  virtual ~SnapshotTarget() = default;
  // Calls `fn` for each entry of map `field` as the target holds it now (nothing if none).
  virtual void scan(const std::string& field,
                    const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;
  virtual void put(const std::string& field, std::string_view key, std::string_view value) = 0;
  virtual void erase(const std::string& field, std::string_view key) = 0;
  virtual std::unique_ptr<StreamWriter> create_stream() = 0;
  // A checkpoint commit (StoreOptions::checkpoint_ms).
  virtual void commit(const std::string& message, const std::string& custom) = 0;
};

StoreResult store_folder(SnapshotTarget& target, const std::string& field, const std::string& root,
                         const StoreOptions& options,
                         const std::function<void(const std::string&)>& warn);

// The same into a tree's working state.
StoreResult store_folder(Tree& tree, const std::string& field, const std::string& root,
                         const StoreOptions& options,
                         const std::function<void(const std::string&)>& warn);

}  // namespace infinitree::cli
