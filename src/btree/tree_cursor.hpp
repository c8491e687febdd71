// Ordered iteration over one plain B+tree (one layer of a version; btree/cursor.hpp merges
// the layers).
//
// A cursor holds shared references to the nodes on its path, so it always reads one
// consistent version: the tree as it was when the cursor was created. A writer that
// mutates its BTree afterwards copies the shared nodes instead of changing them in place,
// so the cursor stays valid and keeps showing the old contents. (Using a cursor of a
// writer's BTree on another thread while that BTree is mutated is not supported; open a
// snapshot BTree on a flushed root for that.)
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "btree/node.hpp"
#include "btree/node_cache.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

class TreeCursor {
 public:
  TreeCursor() = default;

  bool valid() const { return valid_; }
  void seek(std::string_view key);  // first entry with key >= `key`
  void seek_to_first();
  void seek_to_last();
  void next();  // requires valid()
  void prev();  // requires valid(); moving before the first entry makes it invalid

  // The current entry (requires valid()). key() stays valid until the cursor moves.
  std::string_view key() const;
  std::string value() const;  // reads the storage chunks of a spilled value
  bool value_spilled() const;
  std::string_view raw_value() const;  // inline bytes, or the spill descriptor
  // LeafSlot flags of the current entry (kind and delta marks).
  uint32_t flags() const { return stack_.back().node->value_flags(stack_.back().idx); }

  TreeCursor(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache, ConstNodePtr root);

 private:
  struct Frame {
    ConstNodePtr node;
    size_t idx;
  };
  ConstNodePtr child(const ConstNodePtr& n, size_t i) const;
  void descend_first(ConstNodePtr n);
  void descend_last(ConstNodePtr n);
  void require_valid() const;

  std::shared_ptr<ChunkStore> store_;
  std::shared_ptr<NodeCache> cache_;
  ConstNodePtr root_;
  std::vector<Frame> stack_;  // root first; the last frame is a leaf when valid
  bool valid_ = false;
};

}  // namespace infinitree::btree
