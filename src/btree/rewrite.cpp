// BTree::rewrite: the same version with chunks moved (prune's repack). Bottom-up: a node is
// written again only if it moves itself or something below it moved, and each node is
// rewritten once however many versions share it (the memo).
#include "btree/btree.hpp"
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

  ChunkPointer node(const ChunkPointer& ptr, uint32_t level) {
    if (auto it = v.memo.find(ptr); it != v.memo.end()) return it->second;
    ConstNodePtr n = load_node(store, cache, ptr, level);
    NodePtr copy;
    auto own = [&]() -> Node& {
      if (!copy) copy = std::make_shared<Node>(*n);
      return *copy;
    };
    if (n->leaf()) {
      for (size_t i = 0; i < n->slots.size(); ++i) {
        if (n->spilled(i)) {
          std::string d = rewrite_spill(store, n->value_bytes(i), v.moves, v.relocate);
          if (d != n->value_bytes(i)) own().leaf_set_value(i, d, LeafSlot::kSpilled);
        } else if (n->stream(i)) {
          std::string r = v.rewrite_stream(n->value_bytes(i));
          if (r != n->value_bytes(i)) own().leaf_set_value(i, r, LeafSlot::kStream);
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
};

}  // namespace

std::optional<ChunkPointer> BTree::rewrite(const std::shared_ptr<ChunkStore>& store,
                                           const std::shared_ptr<NodeCache>& cache,
                                           std::optional<ChunkPointer> root, RewriteVisitor& visitor) {
  if (!root) return root;
  if (!store || !visitor.moves || !visitor.relocate || !visitor.rewrite_stream)
    throw Error(Errc::invalid_argument, "rewrite needs a store and every visitor function");
  Rewriter r{*store, cache.get(), visitor, {}};
  return r.node(*root, kAnyLevel);
}

}  // namespace infinitree::btree
