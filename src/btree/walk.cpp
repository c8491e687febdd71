// BTree::walk: the one walk over every chunk a version uses. verify, stats and prune all
// go through it (via the tree's reachability walk), so they agree on what is live. A
// version with delta layers is one walk too: its layer list, then each layer as a tree.
#include "btree/btree.hpp"
#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

// `level` kAnyLevel: a version's root, which may be a layer list (whose base and deltas
// are then walked as roots that may not be layer lists themselves).
void walk_node(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr, uint32_t level,
               const WalkVisitor& v, bool top = false) {
  if (!v.enter_node(ptr)) return;  // seen before: its whole subtree was walked then
  ConstNodePtr n;
  try {
    n = load_node(store, cache, ptr, level);
    if (n->layers && !top) throw Error(Errc::corrupt, "b-tree layer list inside a layer list");
  } catch (const Error& e) {
    if (!v.on_error) throw;
    v.on_error(ptr, e);
    return;
  }
  if (n->layers) {
    if (n->layers->base) walk_node(store, cache, *n->layers->base, kAnyLevel, v);
    for (const DeltaRef& d : n->layers->deltas) {
      if (d.root) walk_node(store, cache, *d.root, kAnyLevel, v);
      if (d.filter) v.on_chunk(*d.filter);
    }
    return;
  }
  if (n->leaf()) {
    for (size_t i = 0; i < n->slots.size(); ++i) {
      if (n->spilled(i)) {
        try {
          spill_chunks(store, n->value_bytes(i), v.on_chunk);
        } catch (const Error& e) {
          if (!v.on_error) throw;
          v.on_error(ptr, e);
        }
      } else if (n->stream(i) && v.on_stream) {
        v.on_stream(n->key(i), n->value_bytes(i));
      }
    }
    return;
  }
  for (const ChildRef& c : n->kids) walk_node(store, cache, c.ptr, n->level - 1, v);
}

}  // namespace

void BTree::walk(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                 std::optional<ChunkPointer> root, const WalkVisitor& visitor) {
  if (!store) throw Error(Errc::invalid_argument, "walk needs a chunk store");
  if (!visitor.enter_node || !visitor.on_chunk)
    throw Error(Errc::invalid_argument, "walk needs enter_node and on_chunk");
  if (root) walk_node(*store, cache.get(), *root, kAnyLevel, visitor, /*top=*/true);
}

void BTree::reachable(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                      std::optional<ChunkPointer> root, const std::function<void(const ChunkPointer&)>& fn) {
  WalkVisitor v;
  v.enter_node = [&](const ChunkPointer& p) {
    fn(p);
    return true;
  };
  v.on_chunk = fn;
  walk(store, cache, root, v);
}

}  // namespace infinitree::btree
