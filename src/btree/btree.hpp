// A persistent copy-on-write B+tree from byte-string keys to byte-string values, in
// bytewise order, stored as encrypted chunks (see docs/btree.md).
//
// A version is a base B+tree plus up to a few delta layers (small B+trees of later
// changes, newest first; docs/btree.md, "Delta layers"), so that a commit of scattered
// changes writes about the changed entries instead of one leaf per change. A BTree is a
// mutable working version on top of a root pointer: changes go to an in-memory delta;
// flush() writes it as a new delta (or merges the deltas into the base once they are
// large) and returns the new root. Every flushed root is an immutable snapshot: open
// another BTree on it to read that version forever.
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
#include "btree/key_filter.hpp"
#include "btree/layer_list.hpp"
#include "infinitree/error.hpp"
#include "btree/node.hpp"
#include "btree/node_cache.hpp"
#include "btree/options.hpp"
#include "btree/plain_tree.hpp"
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

// A range bound: nullopt means unbounded on that side (btree::Bound, plain_tree.hpp).

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
  uint64_t size() const;  // O(1): kept in the version's root
  bool empty() const { return size() == 0; }
  // A cursor over the current contents (see cursor.hpp for its lifetime guarantees).
  Cursor cursor() const;
  // Calls fn for each entry with from <= key < to, in order, until fn returns false.
  void scan(Bound from, Bound to,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  void scan_prefix(std::string_view prefix,
                   const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  // Entries with from <= key < to: O(depth) nodes per layer from the per-child counts,
  // plus the delta entries inside the range (deltas are bounded; docs/btree.md).
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

  // Writes the changes since the last flush and returns the new root; nullopt for the
  // empty tree. Does not flush the ChunkStore (the caller commits).
  std::optional<ChunkPointer> flush();
  // The last flushed (or opened) root.
  std::optional<ChunkPointer> root() const { return root_ptr_; }
  bool dirty() const;
  // Drops every change since the last flush.
  void rollback();
  // Height of the tallest layer: 1 for a single leaf, 0 when empty.
  uint32_t depth() const;
  // Delta layers of the current version (0 for a plain tree; the unflushed changes are
  // not counted).
  size_t delta_count() const;

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
  // Warm start: reads the inner nodes of the versions `roots` (layer lists, then each
  // layer's levels top down, one level at a time, each level's nodes on up to `threads`
  // threads) into `cache`, so that later cold lookups read about one leaf each. Leaves are
  // never read. Stops after `max_nodes` nodes or when `stop` becomes true. A node that
  // cannot be read is skipped with its subtree (the lookup that needs it reports the
  // error). Returns the number of nodes read.
  static size_t warm_up(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                        const std::vector<ChunkPointer>& roots, size_t max_nodes, unsigned threads,
                        const std::atomic<bool>* stop = nullptr);
  static void reachable(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                        std::optional<ChunkPointer> root, const std::function<void(const ChunkPointer&)>& fn);

 private:
  // A delta's key filter, loaded on first use and kept while the BTree lives.
  struct FilterSlot {
    std::mutex mu;
    std::shared_ptr<const KeyFilter> filter;
    std::atomic<const KeyFilter*> raw{nullptr};
  };
  // One committed delta layer.
  struct Delta {
    std::unique_ptr<PlainTree> tree;
    RangeSet erased;  // ranges this layer erased from the layers below it
    uint64_t entries = 0;
    std::optional<ChunkPointer> filter_ptr;
    std::shared_ptr<FilterSlot> filter = std::make_shared<FilterSlot>();
  };
  // The delta's key filter, or nullptr if it has none.
  const KeyFilter* filter_of(const Delta& d) const;
  // The committed layers of root_ptr_, resolved on first use (opening never reads).
  struct Lower {
    std::unique_ptr<PlainTree> base;
    uint64_t base_entries = 0;
    std::vector<Delta> deltas;  // newest first
    uint64_t size = 0;
  };
  const Lower& lower() const;
  Lower& lower_mut() { return const_cast<Lower&>(lower()); }
  void reset_lower(std::unique_ptr<Lower> l);
  static std::unique_ptr<Lower> resolve(const std::shared_ptr<ChunkStore>& store,
                                        const std::shared_ptr<NodeCache>& cache,
                                        std::optional<ChunkPointer> root, const BTreeOptions& opt);

  // A layer's answer for a key: absent (look below), erased, or an entry.
  enum class Probe { below, erased, found };
  struct Hit {
    const Node* leaf = nullptr;
    size_t idx = 0;
    ConstNodePtr hold;
  };
  static Probe probe(const PlainTree& t, const RangeSet& erased, std::string_view key, Hit* hit);
  std::string materialize(const Hit& h) const;
  // Looks the key up in the committed layers only (skip_active) or in all of them.
  bool lookup(std::string_view key, Hit* hit, bool skip_active) const;
  bool lower_contains(std::string_view key) const { Hit h; return lookup(key, &h, true); }
  // Visible entries in [from, to) of layers[i...] (0 = the active delta).
  uint64_t count_layers(size_t i, Bound from, Bound to) const;
  size_t layer_count() const { return lower().deltas.size() + 2; }

  void check_key(std::string_view key) const;
  void check_value(std::string_view value) const;
  void put_impl(std::string_view key, std::string_view value, uint32_t flags);
  void erase_visible(std::string_view key);

  // flush's parts (layer_flush.cpp).
  std::optional<ChunkPointer> write_version();
  void write_filter(Delta& d);

  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<NodeCache> cache_;
  BTreeOptions opt_;
  std::optional<ChunkPointer> root_ptr_;

  mutable std::mutex lower_mu_;
  mutable std::unique_ptr<Lower> lower_;
  mutable std::atomic<const Lower*> lower_raw_{nullptr};

  // The writer's unflushed changes: a delta in memory (with marks), the ranges it erased
  // from the committed layers, and how many visible entries it adds (negative: removes).
  std::unique_ptr<PlainTree> active_;
  RangeSet active_erased_;
  int64_t active_net_ = 0;
  Bytes encode_buf_;
};

}  // namespace infinitree::btree
