// reachable(root): every chunk one version uses, for garbage collection. Reads every node
// of the version (depth first), so it costs a full walk.
#include "btree/btree.hpp"
#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

void walk(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr, uint32_t level,
          const std::function<void(const ChunkPointer&)>& fn) {
  fn(ptr);
  ConstNodePtr n = load_node(store, cache, ptr, level);
  if (n->leaf()) {
    for (size_t i = 0; i < n->slots.size(); ++i)
      if (n->spilled(i)) spill_chunks(store, n->value_bytes(i), fn);
    return;
  }
  for (const ChildRef& c : n->kids) walk(store, cache, c.ptr, n->level - 1, fn);
}

}  // namespace

void BTree::reachable(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                      std::optional<ChunkPointer> root, const std::function<void(const ChunkPointer&)>& fn) {
  if (!store) throw Error(Errc::invalid_argument, "reachable needs a chunk store");
  if (root) walk(*store, cache.get(), *root, kAnyLevel, fn);
}

}  // namespace infinitree::btree
