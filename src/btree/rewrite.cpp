// BTree::rewrite: the same version with chunks moved (prune's repack). Bottom-up: a node is
// written again only if it moves itself or something below it moved, and each node is
// rewritten once however many versions share it (the memo).
#include "btree/btree.hpp"
#include "btree/layer_list.hpp"
#include "btree/node_codec.hpp"
#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"

namespace infinitree::btree {

namespace {

struct Rewriter {
  ChunkStore& store;
  NodeCache* cache;
  RewriteVisitor& v;
  Bytes buf;

  ChunkPointer node(const ChunkPointer& ptr, uint32_t level, bool top = false) {
    if (auto it = v.memo.find(ptr); it != v.memo.end()) return it->second;
    ConstNodePtr n = load_node(store, cache, ptr, level);
    if (n->layers) {
      if (!top) throw Error(Errc::corrupt, "b-tree layer list inside a layer list");
      return layers(ptr, *n->layers);
    }
    NodePtr copy;
    auto own = [&]() -> Node& {
      if (!copy) copy = std::make_shared<Node>(*n);
      return *copy;
    };
    if (n->leaf()) {
      for (size_t i = 0; i < n->slots.size(); ++i) {
        if (n->spilled(i)) {
          std::string d = rewrite_spill(store, n->value_bytes(i), v.moves, v.relocate);
          if (d != n->value_bytes(i)) own().leaf_set_value(i, d, LeafSlot::kSpilled | n->marks(i));
        } else if (n->stream(i)) {
          std::string r = v.rewrite_stream(n->value_bytes(i));
          if (r != n->value_bytes(i)) own().leaf_set_value(i, r, LeafSlot::kStream | n->marks(i));
        }
      }
    } else {
      for (size_t i = 0; i < n->kids.size(); ++i) {
        ChunkPointer c = node(n->kids[i].ptr, n->level - 1);
        if (!(c == n->kids[i].ptr)) own().kids[i].ptr = c;
      }
    }
    ChunkPointer out = ptr;
    if (copy || v.moves(ptr)) {
      encode_node(copy ? *copy : *n, buf);
      out = store.write(ChunkKind::index, buf);
    }
    v.memo.emplace(ptr, out);
    return out;
  }

  // A layer list: each layer rewritten as a tree; the list written again if any moved.
  ChunkPointer layers(const ChunkPointer& ptr, const LayerList& l) {
    LayerList copy = l;
    if (copy.base) copy.base = node(*copy.base, kAnyLevel);
    for (DeltaRef& d : copy.deltas) {
      if (d.root) d.root = node(*d.root, kAnyLevel);
      if (d.filter && v.moves(*d.filter)) d.filter = v.relocate(*d.filter);
    }
    bool changed = copy.base != l.base;
    for (size_t i = 0; i < l.deltas.size(); ++i) changed = changed || !(copy.deltas[i] == l.deltas[i]);
    ChunkPointer out = ptr;
    if (changed || v.moves(ptr)) {
      encode_layer_list(copy, buf);
      out = store.write(ChunkKind::index, buf);
    }
    v.memo.emplace(ptr, out);
    return out;
  }
};

}  // namespace

std::optional<ChunkPointer> BTree::rewrite(const std::shared_ptr<ChunkStore>& store,
                                           const std::shared_ptr<NodeCache>& cache,
                                           std::optional<ChunkPointer> root, RewriteVisitor& visitor) {
  if (!root) return root;
  if (!store || !visitor.moves || !visitor.relocate || !visitor.rewrite_stream)
    throw Error(Errc::invalid_argument, "rewrite needs a store and every visitor function");
  Rewriter r{*store, cache.get(), visitor, {}};
  return r.node(*root, kAnyLevel, /*top=*/true);
}

}  // namespace infinitree::btree
