// One persistent copy-on-write B+tree: a layer of a BTree version (its base, a delta, or
// the writer's in-memory delta). BTree (btree.hpp) stacks these; this class knows nothing
// of layers: its entries are key, value and LeafSlot flags, and it erases physically.
//
// Mutations stay in memory (dirty nodes owned and changed in place); flush() writes only
// the dirty nodes, children before parents, and returns the new root. Thread safety as
// BTree's: const methods may run concurrently; a non-const method needs exclusive access.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btree/node.hpp"
#include "btree/node_cache.hpp"
#include "btree/options.hpp"
#include "btree/tree_cursor.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

using Bound = std::optional<std::string_view>;

class PlainTree {
 public:
  PlainTree(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache,
            std::optional<ChunkPointer> root, BTreeOptions options);
  PlainTree(const PlainTree&) = delete;
  PlainTree& operator=(const PlainTree&) = delete;

  // The leaf holding `key` and its index there, or nullptr. `hold` keeps the leaf alive.
  const Node* find(std::string_view key, size_t* idx, ConstNodePtr* hold) const;
  uint64_t size() const;  // physical entries (tombstones included)
  uint32_t depth() const;
  uint64_t rank(std::string_view key) const;            // physical entries < key
  uint64_t count_range(Bound from, Bound to) const;      // physical entries in [from, to)
  TreeCursor cursor() const;
  // The root node for reading (dirty or pinned clean), or nullptr when empty.
  ConstNodePtr root_node() const;

  // Writes: `value` is final (spill descriptor or stream ref already made), `flags` its
  // LeafSlot flags (kind and marks).
  void put(std::string_view key, std::string_view value, uint32_t flags);
  void erase_present(std::string_view key);  // the key must be there
  uint64_t erase_range(Bound from, Bound to);

  // Writes the dirty nodes and returns the new root. strip_marks: write delta marks off
  // (the tree becomes a base, where they mean nothing).
  std::optional<ChunkPointer> flush(bool strip_marks = false);
  std::optional<ChunkPointer> root() const { return root_ptr_; }
  bool dirty() const { return root_mem_ != nullptr; }
  void rollback() { root_mem_.reset(); }

  std::string materialize(const Node& leaf, size_t i) const;
  bool value_equals(const Node& leaf, size_t i, std::string_view v) const;
  const BTreeOptions& options() const { return opt_; }
  const std::shared_ptr<ChunkStore>& store() const { return store_; }
  const std::shared_ptr<NodeCache>& cache() const { return cache_; }

 private:
  struct PathStep {
    Node* node;
    size_t idx;
  };
  const Node* read_root(ConstNodePtr* hold) const;
  ConstNodePtr load(const ChunkPointer& ptr, uint32_t level) const;
  const Node* read_child(const Node& n, size_t i, ConstNodePtr* hold) const;
  const Node* find_leaf(std::string_view key, ConstNodePtr* hold) const;

  Node* mutable_root();
  Node* mutable_child(Node& parent, size_t i);
  void split_upward(Node* node, bool hint_append);
  void fix_child(Node& parent, size_t i);
  void collapse_root();
  uint64_t erase_range_in(Node& n, Bound from, Bound to, Bound lo, Bound hi);
  ChunkPointer write_subtree(NodePtr& ref, Bytes& buf, int parallel, bool strip_marks);
  void set_clean_root(std::optional<ChunkPointer> root);

  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<NodeCache> cache_;
  BTreeOptions opt_;
  std::optional<ChunkPointer> root_ptr_;
  NodePtr root_mem_;            // set while there are unflushed changes
  std::vector<PathStep> path_;  // reused by mutations to avoid allocations
  Bytes encode_buf_;

  mutable std::mutex pin_mu_;
  mutable ConstNodePtr pinned_root_;
  mutable std::atomic<const Node*> pinned_raw_{nullptr};
};

}  // namespace infinitree::btree
