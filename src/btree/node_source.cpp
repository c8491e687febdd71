#include "btree/node_source.hpp"

#include "btree/node_codec.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

ConstNodePtr load_node(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr,
                       uint32_t expected_level) {
  ConstNodePtr node = cache ? cache->get(ptr) : nullptr;
  if (!node) {
    if (ptr.kind != ChunkKind::index)
      throw Error(Errc::corrupt, "b-tree node pointer is not an index chunk");
    NodePtr decoded = decode_node(store.read(ptr));
    decoded->state.clean = true;
    node = std::move(decoded);
    if (cache) cache->put(ptr, node);
  }
  if (expected_level != kAnyLevel && node->level != expected_level)
    throw Error(Errc::corrupt, "b-tree node in object " + ptr.object.hex() + " at offset " +
                                   std::to_string(ptr.offset) + " has level " +
                                   std::to_string(node->level) + ", expected " +
                                   std::to_string(expected_level));
  return node;
}

namespace {

// Loads child i of n and, if n is immutable and the child is an inner node, lets n keep it.
ConstNodePtr fetch_child(ChunkStore& store, NodeCache* cache, const Node& n, size_t i) {
  const ChildRef& c = n.kids[i];
  ConstNodePtr loaded = load_node(store, cache, c.ptr, n.level - 1);
  if (n.state.clean && n.level >= 2) {
    std::lock_guard lock(n.state.hot_mu);
    if (!c.hot.node.load(std::memory_order_relaxed)) {
      c.hot.owner = loaded;
      c.hot.node.store(loaded.get(), std::memory_order_release);
    }
  }
  return loaded;
}

}  // namespace

const Node* read_child(ChunkStore& store, NodeCache* cache, const Node& n, size_t i, ConstNodePtr* hold) {
  const ChildRef& c = n.kids[i];
  if (c.mem) return c.mem.get();
  if (const Node* h = c.hot.node.load(std::memory_order_acquire)) return h;
  ConstNodePtr loaded = fetch_child(store, cache, n, i);
  *hold = std::move(loaded);  // may release the node `n` lives in: n is not used after this
  return hold->get();
}

ConstNodePtr shared_child(ChunkStore& store, NodeCache* cache, const ConstNodePtr& n, size_t i) {
  const ChildRef& c = n->kids[i];
  if (c.mem) return c.mem;
  if (const Node* h = c.hot.node.load(std::memory_order_acquire)) return ConstNodePtr(n, h);
  return fetch_child(store, cache, *n, i);
}

}  // namespace infinitree::btree
