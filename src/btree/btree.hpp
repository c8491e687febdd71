// A persistent copy-on-write B+tree from byte-string keys to byte-string values, in
// bytewise order, stored as encrypted chunks (see docs/btree.md).
//
// A BTree is a mutable working version on top of a root pointer. Mutations stay in memory
// (dirty nodes the BTree owns and changes in place); flush() writes only the dirty nodes,
// children before parents, and returns the new root. Every flushed root is an immutable
// snapshot: open another BTree on it to read that version forever.
//
// Thread safety: const methods may run concurrently with each other; a non-const method
// needs exclusive access (like std::map). BTrees opened on a root share nothing mutable
// with a writer except the thread-safe NodeCache and ChunkStore, so snapshot readers on
// other threads are never affected by a writer.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "btree/cursor.hpp"
#include "infinitree/error.hpp"
#include "btree/node.hpp"
#include "btree/node_cache.hpp"
#include "btree/options.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

// What BTree::walk calls. Each chunk is reported once per visit of the node holding it;
// enter_node decides whether a node's subtree is walked (return false for one already
// seen, so shared subtrees of many versions are walked once).
struct WalkVisitor {
  std::function<bool(const ChunkPointer& node)> enter_node;
  std::function<void(const ChunkPointer& chunk)> on_chunk;  // spill pieces and lists
  // A value flagged as a stream ref (the stream layer knows what it points at).
  std::function<void(std::string_view key, std::string_view ref)> on_stream;
  // Set: a node that cannot be read (or a bad spill descriptor) is reported and its
  // subtree skipped. Unset: the error is thrown.
  std::function<void(const ChunkPointer& node, const Error& error)> on_error;
};

// What BTree::rewrite calls to move chunks (prune's repack).
struct RewriteVisitor {
  std::function<bool(const ChunkPointer&)> moves;                  // must this chunk move?
  std::function<ChunkPointer(const ChunkPointer&)> relocate;       // its place now (copying it)
  std::function<std::string(std::string_view ref)> rewrite_stream;  // a stream ref, relocated
  // Old node -> new node (itself if unchanged), shared by the rewrites of every version.
  std::unordered_map<ChunkPointer, ChunkPointer, ChunkPointerHash> memo;
};

// A range bound: nullopt means unbounded on that side.
using Bound = std::optional<std::string_view>;

class BTree {
 public:
  // root == nullopt opens the empty tree. A null cache reads every node from the store.
  // Opening never reads: a missing or damaged root surfaces on the first operation.
  BTree(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache,
        std::optional<ChunkPointer> root, BTreeOptions options = {});
  BTree(const BTree&) = delete;
  BTree& operator=(const BTree&) = delete;

  // ---- reads
  std::optional<std::string> get(std::string_view key) const;
  std::vector<std::optional<std::string>> multi_get(const std::vector<std::string>& keys) const;
  bool contains(std::string_view key) const;
  uint64_t size() const;  // O(fanout): sums the root's per-child counts
  bool empty() const { return size() == 0; }
  // A cursor over the current contents (see cursor.hpp for its lifetime guarantees).
  Cursor cursor() const;
  // Calls fn for each entry with from <= key < to, in order, until fn returns false.
  void scan(Bound from, Bound to,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  void scan_prefix(std::string_view prefix,
                   const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  // Entries with from <= key < to, from the per-child counts: O(depth) nodes.
  uint64_t count_range(Bound from, Bound to) const;
  // Entries with key < `key`.
  uint64_t rank(std::string_view key) const;

  // ---- writes (exclusive access). Errors: too_large for keys over kMaxKeySize or values
  // over options.max_value_bytes; the store's errors for nodes that cannot be read.
  void put(std::string_view key, std::string_view value);
  // Stores `ref` (an encoded stream ref, checked by the caller) flagged as a stream ref, so
  // walks over the tree (verify, stats, prune) reach the stream's chunks.
  void put_stream_ref(std::string_view key, std::string_view ref);
  static constexpr size_t kMaxStreamRefBytes = 4096;
  bool erase(std::string_view key);  // true if the key was there
  uint64_t erase_range(Bound from, Bound to);  // [from, to); returns how many went
  bool put_if_absent(std::string_view key, std::string_view value);
  // Sets key to `desired` (nullopt: erase) if its current value equals `expected`
  // (nullopt: absent). Returns whether it did.
  bool compare_and_swap(std::string_view key, const std::optional<std::string>& expected,
                        const std::optional<std::string>& desired);

  // Writes the dirty nodes (children before parents) and returns the new root; nullopt
  // for the empty tree. Does not flush the ChunkStore (the caller commits).
  std::optional<ChunkPointer> flush();
  // The last flushed (or opened) root.
  std::optional<ChunkPointer> root() const { return root_ptr_; }
  bool dirty() const { return root_mem_ != nullptr; }
  // Drops every change since the last flush.
  void rollback();
  // Height of the tree: 1 for a single leaf, 0 when empty.
  uint32_t depth() const;

  const BTreeOptions& options() const { return opt_; }
  const std::shared_ptr<ChunkStore>& store() const { return store_; }
  const std::shared_ptr<NodeCache>& cache() const { return cache_; }

  // ---- versions
  using DiffFn = std::function<void(std::string_view key, const std::optional<std::string>& old_value,
                                    const std::optional<std::string>& new_value)>;
  // Every key whose value differs between versions a and b, in key order; subtrees whose
  // chunk pointer is the same in both are skipped without being read.
  static void diff(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                   std::optional<ChunkPointer> a, std::optional<ChunkPointer> b, const DiffFn& fn);

  // Builds a packed tree from strictly ascending input in one pass, writing nodes as they
  // fill; memory stays O(depth * node size). `next` fills key and value and returns true,
  // or returns false at the end. Error(invalid_argument) if the input is not ascending.
  using BulkSource = std::function<bool(std::string& key, std::string& value)>;
  static std::optional<ChunkPointer> bulk_load(const std::shared_ptr<ChunkStore>& store,
                                               const BTreeOptions& options, const BulkSource& next);

  // Visits every node of version `root` and the chunks its values use (see WalkVisitor).
  static void walk(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                   std::optional<ChunkPointer> root, const WalkVisitor& visitor);
  // Version `root` with every chunk for which visitor.moves() holds written anew (nodes) or
  // relocated (values' chunks); nodes above a change are rewritten, the rest kept. Returns
  // the new root (the same if nothing moved). Content, counts and order are unchanged.
  static std::optional<ChunkPointer> rewrite(const std::shared_ptr<ChunkStore>& store,
                                             const std::shared_ptr<NodeCache>& cache,
                                             std::optional<ChunkPointer> root, RewriteVisitor& visitor);
  // Every chunk version `root` uses: its nodes and the chunks of spilled values (not the
  // chunks of streams its values refer to).
  static void reachable(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                        std::optional<ChunkPointer> root, const std::function<void(const ChunkPointer&)>& fn);

 private:
  struct PathStep {
    Node* node;
    size_t idx;
  };
  // The root node for reading: the dirty root, or the flushed root (pinned after the
  // first load so readers skip the cache for it), or nullptr when empty.
  const Node* read_root(ConstNodePtr* hold) const;
  ConstNodePtr load(const ChunkPointer& ptr, uint32_t level) const;
  // A child for reading; `hold` keeps a loaded child alive.
  const Node* read_child(const Node& n, size_t i, ConstNodePtr* hold) const;
  // The leaf slot for `key` (or nullptr node if the tree is empty).
  const Node* find_leaf(std::string_view key, ConstNodePtr* hold) const;
  std::string materialize(const Node& leaf, size_t i) const;
  bool value_equals(const Node& leaf, size_t i, std::string_view v) const;

  // Writer side.
  Node* mutable_root();
  Node* mutable_child(Node& parent, size_t i);
  void check_key(std::string_view key) const;
  void check_value(std::string_view value) const;
  void put_impl(std::string_view key, std::string_view value, uint32_t flags);
  void erase_present(std::string_view key);
  void split_upward(Node* node, bool hint_append);
  void fix_child(Node& parent, size_t i);
  void collapse_root();
  uint64_t erase_range_in(Node& n, Bound from, Bound to, Bound lo, Bound hi);
  // Writes a dirty subtree; with parallel > 1, a node with many dirty children spreads
  // them over that many threads.
  ChunkPointer write_subtree(NodePtr& ref, Bytes& buf, int parallel);
  void set_clean_root(std::optional<ChunkPointer> root);

  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<NodeCache> cache_;
  BTreeOptions opt_;
  std::optional<ChunkPointer> root_ptr_;
  NodePtr root_mem_;                // set while there are unflushed changes
  std::vector<PathStep> path_;      // reused by mutations to avoid allocations
  Bytes encode_buf_;

  mutable std::mutex pin_mu_;
  mutable ConstNodePtr pinned_root_;
  mutable std::atomic<const Node*> pinned_raw_{nullptr};
};

}  // namespace infinitree::btree
