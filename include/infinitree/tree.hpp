// The C++ API of libinfinitree: a tree of named fields over byte strings, with commits,
// history, branches and streams. This header includes every other public header but the
// typed layer, so `#include <infinitree/tree.hpp>` is all most programs need:
//   infinitree/options.hpp  OpenOptions, KdfParams, CompressionMethod
//   infinitree/commit.hpp   CommitInfo, CommitOptions, HistoryFilter
//   infinitree/fields.hpp   Map, Set, List, Value (field handles), DiffEntry
//   infinitree/cursor.hpp   Cursor
//   infinitree/stream.hpp   StreamWriter, StreamReader
//   infinitree/space.hpp    forget and prune: RetentionPolicy, PruneOptions, reports
//   infinitree/backend.hpp  where objects live (directory, memory, S3, cache)
//   infinitree/limits.hpp   key and value size limits
//   infinitree/error.hpp    Error and its stable codes
// The typed layer (VersionedMap<K, V> ...) is in infinitree/typed.hpp; it is the only
// public header that includes <msgpack.hpp>.
//
// Thread-safety: a Tree and its field handles may be used from any number of threads at
// once. Field reads run concurrently; writes to one field are serialized; commit() and
// rollback() are atomic with respect to every field operation. A checkout (TreeView of a
// past commit) is immutable and never affected by later writes.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "infinitree/backend.hpp"
#include "infinitree/commit.hpp"
#include "infinitree/cursor.hpp"
#include "infinitree/error.hpp"
#include "infinitree/fields.hpp"
#include "infinitree/follow.hpp"
#include "infinitree/limits.hpp"
#include "infinitree/options.hpp"
#include "infinitree/space.hpp"
#include "infinitree/stream.hpp"

namespace infinitree {

namespace detail {
class TreeCore;
class FieldSet;
struct TreeAccess;
}  // namespace detail

// Read access to the fields of one version: a checkout of a past commit, or (through Tree)
// the working state.
class INFINITREE_EXPORT TreeView {
 public:
  virtual ~TreeView();
  // Fields by name. A view of a past commit throws not_found for a field it did not have;
  // the working tree creates it. A field of another type is invalid_argument.
  Map map(std::string_view name);
  Set set(std::string_view name);
  List list(std::string_view name);
  Value value(std::string_view name);
  std::vector<FieldInfo> fields() const;
  bool has_field(std::string_view name) const;
  // The commit this view shows (for the working tree: the commit it started from), if any.
  std::optional<CommitInfo> commit() const;
  bool read_only() const;
  // A reader of a stream whose ref (StreamWriter::finish) is stored in this version.
  // A ref that does not decode is corrupt; a missing chunk surfaces when read.
  std::unique_ptr<StreamReader> open_stream(std::string_view ref) const;

 protected:
  explicit TreeView(std::shared_ptr<detail::FieldSet> fields);
  std::shared_ptr<detail::FieldSet> fields_;
};

struct TreeStats {
  uint64_t objects = 0;          // objects in the store
  uint64_t commits = 0;
  uint64_t chunks_written = 0;   // by this handle
  uint64_t bytes_written = 0;    // stored bytes of chunks written by this handle
  uint64_t node_cache_hits = 0;
  uint64_t node_cache_misses = 0;
  bool warm_start_running = false;  // OpenOptions::warm_start_nodes: still reading ahead
  uint64_t warm_start_nodes = 0;    // inner nodes it read ahead (counted once it has ended)
};

class INFINITREE_EXPORT Tree : public TreeView {
 public:
  // Fails with already_exists if a tree with these credentials is there.
  static std::unique_ptr<Tree> create(std::shared_ptr<Backend> backend, std::string_view username,
                                      std::string_view password, const OpenOptions& options = {});
  // Fails with wrong_credentials if no tree opens with these credentials, locked if
  // another writer holds it (unless read_only).
  static std::unique_ptr<Tree> open(std::shared_ptr<Backend> backend, std::string_view username,
                                    std::string_view password, const OpenOptions& options = {});
  ~Tree() override;

  // Persists every field's changes as one commit on the current branch. Returns nullopt
  // when nothing changed (and not forced). Durable when it returns.
  std::optional<CommitInfo> commit(std::string_view message, std::string_view custom = {},
                                   const CommitOptions& options = {});
  bool has_changes() const;
  void rollback();  // discards every uncommitted change

  // History.
  std::vector<CommitInfo> log(const HistoryFilter& filter = HistoryFilter::all()) const;
  CommitInfo commit_info(std::string_view id) const;  // accepts a unique prefix of 4+ digits
  std::optional<CommitInfo> head() const;
  std::unique_ptr<TreeView> checkout(std::string_view commit_id) const;
  std::vector<DiffEntry> diff(std::string_view field, std::string_view commit_a,
                              std::string_view commit_b) const;

  // Branches and tags. A branch moves with commits; a tag does not.
  std::string current_branch() const;
  void create_branch(std::string_view name, std::string_view commit_id = {});  // default: head
  void switch_branch(std::string_view name);  // fails with conflict if there are changes
  void delete_branch(std::string_view name);
  std::vector<std::pair<std::string, std::optional<CommitId>>> branches() const;
  void create_tag(std::string_view name, std::string_view commit_id);
  void delete_tag(std::string_view name);
  std::vector<std::pair<std::string, CommitId>> tags() const;
  // Resolves a branch, a tag, a full id or a unique id prefix.
  CommitId resolve(std::string_view ref) const;

  // A writer of a new stream, deduplicated against everything in this tree.
  std::unique_ptr<StreamWriter> create_stream();

  // Reads and authenticates every chunk reachable from every commit (B-tree nodes,
  // spilled values, streams); calls `problem` for each failure and returns how many.
  struct VerifyReport {
    uint64_t commits = 0, chunks = 0, bytes = 0, problems = 0;
  };
  VerifyReport verify(const std::function<void(const std::string& problem)>& problem) const;

  // Space (docs/space.md). forget() drops commits from the history; their data stays in
  // the store until prune(). Commits that are a branch head or tagged are never forgotten
  // (naming one is invalid_argument). A kept commit keeps its id, content and parents
  // list; log() reports forgotten parents and walks past them.
  ForgetReport forget(const std::vector<std::string>& refs, bool dry_run = false);
  ForgetReport forget(const RetentionPolicy& policy, bool dry_run = false);
  // Deletes the objects no kept commit needs and repacks sparse ones. Needs a writable tree
  // without uncommitted changes (conflict otherwise). Safe against a crash at any point:
  // the tree opens at its last committed state and the next prune finishes the job.
  SpaceReport prune(const PruneOptions& options = {});
  // What prune would do now (reads every node of every kept commit).
  SpaceReport space(const PruneOptions& options = {}) const;

  // Field management on the working tree (persisted by the next commit).
  void rename_field(std::string_view from, std::string_view to);
  void drop_field(std::string_view name);

  // Replaces the credentials: writes a root for the new ones and removes the old root.
  // Data is not re-encrypted (it is sealed under the master key, which does not change).
  void change_password(std::string_view new_username, std::string_view new_password,
                       const KdfParams& new_kdf);

  // Readers that follow a writer (read-only trees; invalid_argument otherwise;
  // docs/backends.md): refresh() moves to the newest committed state in the store without
  // reopening (no key derivation) and returns true if the head commit changed; field handles
  // stay valid. follow() refreshes in a background thread (FollowOptions) and calls
  // `on_new_head` there after each new head; closing the tree stops it.
  bool refresh();
  void follow(const FollowOptions& options = {},
              std::function<void(const CommitInfo&)> on_new_head = {});
  void stop_following();
  FollowStats follow_stats() const;

  TreeStats stats() const;
  std::shared_ptr<Backend> backend() const;
  void close();  // releases the writer lock; further use throws closed

 private:
  friend struct detail::TreeAccess;  // for create_tree / open_tree and key slots (keys.hpp)
  explicit Tree(std::shared_ptr<detail::TreeCore> core);
  std::shared_ptr<detail::TreeCore> core_;
};

}  // namespace infinitree
