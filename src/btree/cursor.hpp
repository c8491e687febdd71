// Ordered iteration over one version of a B-tree: a merge of its layers (the writer's
// unflushed delta, the committed deltas, the base), newest first, where a newer layer's
// entry or tombstone hides the older layers' entry for the same key and a layer's erased
// ranges hide everything older inside them.
//
// A cursor holds shared references to the nodes on its paths, so it always reads one
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

#include "btree/layer_list.hpp"
#include "btree/tree_cursor.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

class Cursor {
 public:
  Cursor() = default;

  bool valid() const { return cur_ >= 0; }
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

 private:
  friend class BTree;
  struct Source {
    TreeCursor c;
    RangeSet erased;  // hides the older sources inside these ranges
  };
  Cursor(std::shared_ptr<ChunkStore> store, std::vector<Source> sources);
  void require_valid() const;
  // Moves hidden sources on and picks the visible entry at or after (forward) / at or
  // before (backward) every source's position.
  void settle_forward();
  void settle_backward();
  void seek_after(TreeCursor& c, std::string_view k);   // first key > k
  void seek_before(TreeCursor& c, std::string_view k);  // last key < k

  std::shared_ptr<ChunkStore> store_;
  std::vector<Source> src_;  // newest first
  int cur_ = -1;             // the source of the current entry; -1: not positioned
  bool forward_ = true;      // forward: every source stands at or after key_
  std::string key_;
};

}  // namespace infinitree::btree
