// The C++ API of libinfinitree: trees, commits, history and fields over byte strings.
// The typed layer (VersionedMap<K, V> ...) is in infinitree/typed.hpp.
//
// Thread-safety: a Tree and its field handles may be used from any number of threads at
// once. Field reads run concurrently; writes to one field are serialized; commit() and
// rollback() are atomic with respect to every field operation. A checkout (TreeView of a
// past commit) is immutable and never affected by later writes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "infinitree/space.hpp"
#include "infinitree/stream.hpp"

namespace infinitree {

namespace detail {
class TreeCore;
class FieldSet;
struct Field;
class CursorImpl;
}  // namespace detail

// Argon2id costs. Changing them changes the keys: open with the costs you created with.
struct KdfParams {
  uint32_t memory_kib = 64 * 1024;
  uint32_t iterations = 3;
  uint32_t parallelism = 4;
  // Cheap costs for tests and examples only: trivially brute-forced.
  static KdfParams insecure_fast() { return {64, 1, 1}; }
};

enum class CompressionMethod { none = 0, lz4 = 1, zstd = 2 };

struct OpenOptions {
  KdfParams kdf;
  bool read_only = false;               // no writer lock; commit() fails with read_only
  // For chunks written from now on. Unset: lz4 when creating, and when opening whatever
  // the tree last used (the choice is recorded in the sealed root at the next root write).
  std::optional<CompressionMethod> compression;
  size_t node_cache_bytes = 256u << 20; // decoded B-tree nodes kept in memory
  size_t target_node_bytes = 0;         // B-tree node size; 0 = the library's default
};

// Limits enforced on every write (Error too_large beyond them).
constexpr size_t kMaxKeySize = 64 * 1024;
constexpr uint64_t kMaxValueSize = 1ull << 30;  // 1 GiB; larger data belongs in a stream

using CommitId = std::string;  // 32 lowercase hex digits (16 random bytes)

struct CommitInfo {
  CommitId id;
  std::vector<CommitId> parents;  // first parent, then any other (merge) parents
  int64_t time_ms = 0;            // milliseconds since the Unix epoch, UTC
  std::string message;
  std::string custom;             // caller's bytes, stored as given
  uint64_t sequence = 0;          // 1 for a first commit, parent's + 1 after
  std::string branch;             // the branch it was made on
  // Parents that were forgotten (Tree::forget): they are no longer in the history. log()
  // continues past them to their kept ancestors.
  std::vector<CommitId> forgotten_parents;
};

struct ForgetReport {
  std::vector<CommitInfo> forgotten;  // newest first (with dry_run: what would go)
  std::vector<CommitInfo> kept;       // newest first
};

struct CommitOptions {
  bool force = false;                     // commit even when nothing changed
  std::vector<CommitId> extra_parents;    // merge parents, recorded after the first
  bool orphan = false;                    // no first parent: start a disjoint line
};

// Which commits log() lists, newest first, following first parents.
struct HistoryFilter {
  enum class Kind { all, single, up_to, range } kind = Kind::all;
  CommitId from;  // single: the commit; up_to: the newest listed; range: the oldest listed
  CommitId to;    // range: the newest listed
  static HistoryFilter all() { return {}; }
  static HistoryFilter single(CommitId id) { return {Kind::single, std::move(id), {}}; }
  // `id` and everything before it.
  static HistoryFilter up_to(CommitId id) { return {Kind::up_to, std::move(id), {}}; }
  // From `newest` back to `oldest`, both included; `oldest` must be an ancestor.
  static HistoryFilter range(CommitId oldest, CommitId newest) {
    return {Kind::range, std::move(oldest), std::move(newest)};
  }
};

enum class FieldType : uint8_t { map = 1, set = 2, list = 3, value = 4 };
// "map", "set", "list", "value" ("?" for a value outside the enum).
const char* to_string(FieldType type) noexcept;

// A position in a map (or set) between optional bounds. Valid until its map handle's tree
// is closed; if the map changes meanwhile, the cursor continues from its current key.
class Cursor {
 public:
  Cursor();
  ~Cursor();
  Cursor(Cursor&&) noexcept;
  Cursor& operator=(Cursor&&) noexcept;

  bool valid() const;
  std::string key() const;    // throws not_found if !valid()
  std::string value() const;
  void first();               // first key in bounds
  void last();                // last key in bounds
  void seek(std::string_view key);       // first key >= key (within bounds)
  void seek_for_prev(std::string_view key);  // last key <= key (within bounds)
  void next();
  void prev();

 private:
  friend class Map;
  friend class Set;
  explicit Cursor(std::unique_ptr<detail::CursorImpl> impl);
  std::unique_ptr<detail::CursorImpl> impl_;
};

// What a scan callback returns.
enum class ScanStep { next, skip_rest_of_prefix, stop };

class Map {
 public:
  std::optional<std::string> get(std::string_view key) const;
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) const;
  bool contains(std::string_view key) const;
  uint64_t size() const;
  void put(std::string_view key, std::string_view value);
  bool put_if_absent(std::string_view key, std::string_view value);
  // Sets the value to `desired` (nullopt: delete) only if it is `expected` (nullopt: absent).
  bool compare_and_swap(std::string_view key, const std::optional<std::string>& expected,
                        const std::optional<std::string>& desired);
  bool erase(std::string_view key);
  uint64_t erase_range(std::string_view from, std::string_view to);  // [from, to)
  void clear();

  // Cursors over [from, to) (an empty `to` means no upper bound), or over a prefix.
  Cursor cursor(std::string_view from = {}, std::string_view to = {}) const;
  Cursor prefix_cursor(std::string_view prefix) const;
  uint64_t count_range(std::string_view from, std::string_view to) const;
  // Calls fn for each entry in [from, to) in order, without loading the map.
  void scan(std::string_view from, std::string_view to,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  void scan_prefix(std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) const;

  const std::string& name() const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  friend class Set;
  friend class List;
  friend class Value;
  friend class Tree;
  explicit Map(std::shared_ptr<detail::Field> f) : field_(std::move(f)) {}
  std::shared_ptr<detail::Field> field_;
};

// Keys without values.
class Set {
 public:
  bool insert(std::string_view key);  // true if it was not there
  bool contains(std::string_view key) const;
  bool erase(std::string_view key);
  uint64_t size() const;
  Cursor cursor(std::string_view from = {}, std::string_view to = {}) const;
  void scan(std::string_view from, std::string_view to,
            const std::function<bool(std::string_view key)>& fn) const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit Set(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

// A sequence addressed by position (0-based), stored as a map from big-endian positions.
class List {
 public:
  uint64_t push_back(std::string_view value);  // returns the new element's position
  std::string at(uint64_t index) const;        // throws not_found past the end
  void set(uint64_t index, std::string_view value);
  void pop_back();
  uint64_t size() const;
  void for_each(const std::function<bool(uint64_t index, std::string_view value)>& fn,
                uint64_t from = 0) const;

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit List(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

// One value, snapshotted by each commit.
class Value {
 public:
  std::optional<std::string> get() const;
  void set(std::string_view value);
  void reset();

 private:
  friend class detail::FieldSet;
  friend class TreeView;
  explicit Value(std::shared_ptr<detail::Field> f) : map_(std::move(f)) {}
  Map map_;
};

struct FieldInfo {
  std::string name;
  FieldType type;
};

// Read access to the fields of one version: a checkout of a past commit, or (through Tree)
// the working state.
class TreeView {
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
};

// What a change between two versions of a map looks like.
struct DiffEntry {
  std::string key;
  std::optional<std::string> old_value;  // nullopt: added
  std::optional<std::string> new_value;  // nullopt: removed
};

class Tree : public TreeView {
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

  TreeStats stats() const;
  std::shared_ptr<Backend> backend() const;
  void close();  // releases the writer lock; further use throws closed

  // For the layers built on the tree (streams, the C ABI): the internals.
  detail::TreeCore& core();

 private:
  explicit Tree(std::shared_ptr<detail::TreeCore> core);
  std::shared_ptr<detail::TreeCore> core_;
};

}  // namespace infinitree
