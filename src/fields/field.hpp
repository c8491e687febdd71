// The state behind a field handle (Map, Set, List, Value): one B-tree plus the locks that
// make field operations concurrent with each other and atomic with respect to commits.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "btree/btree.hpp"
#include "infinitree/tree.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree::detail {

// Shared by a tree (or a checkout), its fields and every handle to them.
struct SharedState {
  // Field operations hold it shared; commit, rollback and close hold it exclusively.
  std::shared_mutex commit_mu;
  std::atomic<bool> closed{false};
};

struct Field {
  std::string name;
  FieldType type = FieldType::map;
  bool read_only = false;
  std::shared_ptr<SharedState> shared;

  mutable std::shared_mutex mu;           // guards everything below
  std::unique_ptr<btree::BTree> tree;
  std::optional<ChunkPointer> committed_root;
  std::optional<std::string> committed_name;  // name at the last commit; nullopt if new
  bool dropped = false;
  // Bumped by every write, so cursors know to re-seek.
  std::atomic<uint64_t> mutations{0};
};

// Lock guards that also check that the handle is still usable. Inside a scan callback
// this thread already holds the tree's commit lock and the scanned field's lock shared:
// a read guard then does not take them again (a second shared acquisition could wait
// behind a queued writer), and a write guard refuses (see ScanScope).
class FieldReadGuard {
 public:
  explicit FieldReadGuard(const Field& f);
 private:
  std::shared_lock<std::shared_mutex> commit_;
  std::shared_lock<std::shared_mutex> field_;
};

class FieldWriteGuard {
 public:
  explicit FieldWriteGuard(Field& f);
 private:
  std::shared_lock<std::shared_mutex> commit_;
  std::unique_lock<std::shared_mutex> field_;
};

// Marks the calling thread as inside a scan callback of `f` for its lifetime. Writing any
// field, committing or rolling back from inside a callback could deadlock (the scan holds
// read locks a writer needs, and two scans writing each other's fields would wait on each
// other): those fail with invalid_argument instead. Reads are fine.
class ScanScope {
 public:
  explicit ScanScope(const Field& f);
  ~ScanScope();
  static bool active();                          // inside any scan callback
  static bool active_on(const Field& f);         // inside a scan callback of f
  static bool active_in(const SharedState* s);   // inside a scan of a field of that tree
 private:
  const Field* field_;
};

void check_key(std::string_view key);
void check_value(std::string_view value);

}  // namespace infinitree::detail
