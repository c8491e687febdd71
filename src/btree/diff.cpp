// diff(a, b). Between two plain trees: walks both side by side in key order. Each walker
// stands either on a whole subtree not yet opened (known by its pointer and a lower bound
// of its keys) or on one entry. Two subtrees with the same content hash are identical and
// skipped unread; otherwise the walker whose position comes first opens its subtree.
// Between versions with delta layers: the layers both share (same base, same oldest
// deltas) are skipped; the keys the other layers hold or erased are the candidates, each
// looked up in both versions.
#include <optional>
#include <set>

#include "btree/btree.hpp"
#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

class Walker {
 public:
  Walker(ChunkStore& store, NodeCache* cache, std::optional<ChunkPointer> root)
      : store_(store), cache_(cache), pending_root_(root) {}

  bool at_end() const { return !pending_root_ && stack_.empty(); }
  bool at_subtree() const { return pending_root_ || !stack_.back().node->leaf(); }

  const ChunkPointer& subtree_ptr() const {
    if (pending_root_) return *pending_root_;
    const Frame& f = stack_.back();
    return f.node->kids[f.idx].ptr;
  }
  // Levels are unknown for an unopened root: treat it as the tallest.
  uint32_t subtree_level() const {
    if (pending_root_) return kAnyLevel;
    return stack_.back().node->level - 1;
  }
  // Lower bound of the current subtree's keys, or the current entry's key.
  std::string_view position() const {
    if (pending_root_) return {};
    const Frame& f = stack_.back();
    if (f.node->leaf()) return f.node->key(f.idx);
    return f.idx == 0 ? f.lower : std::string_view(f.node->seps[f.idx - 1]);
  }
  const Node& leaf() const { return *stack_.back().node; }
  size_t leaf_index() const { return stack_.back().idx; }

  void descend() {
    if (pending_root_) {
      ConstNodePtr n = load_node(store_, cache_, *pending_root_, kAnyLevel);
      pending_root_.reset();
      push(std::move(n), {});
      return;
    }
    const Frame& f = stack_.back();
    std::string_view lower = position();
    ConstNodePtr n = shared_child(store_, cache_, f.node, f.idx);
    push(std::move(n), lower);
  }

  void skip() {
    if (pending_root_) {
      pending_root_.reset();
      return;
    }
    ++stack_.back().idx;
    settle();
  }

 private:
  struct Frame {
    ConstNodePtr node;
    size_t idx;
    std::string_view lower;  // points into a parent frame's node (kept alive by the stack)
  };
  void push(ConstNodePtr n, std::string_view lower) {
    stack_.push_back({std::move(n), 0, lower});
    settle();
  }
  // Pops exhausted frames and moves their parents on.
  void settle() {
    while (!stack_.empty() && stack_.back().idx >= stack_.back().node->fanout()) {
      stack_.pop_back();
      if (!stack_.empty()) ++stack_.back().idx;
    }
  }

  ChunkStore& store_;
  NodeCache* cache_;
  std::optional<ChunkPointer> pending_root_;
  std::vector<Frame> stack_;
};

bool same_subtree(const ChunkPointer& a, const ChunkPointer& b) {
  // Equal keyed content hashes mean equal node bytes, hence equal subtrees, even when the
  // same node was written twice to different places.
  return a.hash == b.hash && a.plain_size == b.plain_size;
}

std::string value_of(ChunkStore& store, const Node& leaf, size_t i) {
  if (leaf.spilled(i)) return read_spilled(store, leaf.value_bytes(i));
  return std::string(leaf.value_bytes(i));
}

bool same_value(ChunkStore& store, const Node& a, size_t i, const Node& b, size_t j) {
  bool sa = a.spilled(i), sb = b.spilled(j);
  if (!sa && !sb) return a.value_bytes(i) == b.value_bytes(j);
  if (sa && sb) return same_spilled_content(store, a.value_bytes(i), b.value_bytes(j));
  return value_of(store, a, i) == value_of(store, b, j);
}

void plain_diff(ChunkStore& st, NodeCache* cache, std::optional<ChunkPointer> a, std::optional<ChunkPointer> b,
                const BTree::DiffFn& fn) {
  Walker A(st, cache, a), B(st, cache, b);
  const std::optional<std::string> none;
  while (!A.at_end() || !B.at_end()) {
    if (A.at_end() || B.at_end()) {
      Walker& w = A.at_end() ? B : A;
      if (w.at_subtree()) {
        w.descend();
        continue;
      }
      std::optional<std::string> v = value_of(st, w.leaf(), w.leaf_index());
      if (&w == &A)
        fn(w.position(), v, none);
      else
        fn(w.position(), none, v);
      w.skip();
      continue;
    }
    bool sa = A.at_subtree(), sb = B.at_subtree();
    if (sa && sb) {
      if (same_subtree(A.subtree_ptr(), B.subtree_ptr())) {
        A.skip();
        B.skip();
        continue;
      }
      std::string_view pa = A.position(), pb = B.position();
      if (pa < pb) {
        A.descend();
      } else if (pb < pa) {
        B.descend();
      } else {
        uint32_t la = A.subtree_level(), lb = B.subtree_level();
        if (la >= lb) A.descend();
        if (lb >= la) B.descend();
      }
      continue;
    }
    if (sa) {
      // B's entry comes before everything in A's subtree: A cannot have it.
      if (B.position() < A.position()) {
        fn(B.position(), none, value_of(st, B.leaf(), B.leaf_index()));
        B.skip();
      } else {
        A.descend();
      }
      continue;
    }
    if (sb) {
      if (A.position() < B.position()) {
        fn(A.position(), value_of(st, A.leaf(), A.leaf_index()), none);
        A.skip();
      } else {
        B.descend();
      }
      continue;
    }
    std::string_view ka = A.position(), kb = B.position();
    if (ka < kb) {
      fn(ka, value_of(st, A.leaf(), A.leaf_index()), none);
      A.skip();
    } else if (kb < ka) {
      fn(kb, none, value_of(st, B.leaf(), B.leaf_index()));
      B.skip();
    } else {
      if (!same_value(st, A.leaf(), A.leaf_index(), B.leaf(), B.leaf_index()))
        fn(ka, value_of(st, A.leaf(), A.leaf_index()), value_of(st, B.leaf(), B.leaf_index()));
      A.skip();
      B.skip();
    }
  }
}

}  // namespace

void BTree::diff(const std::shared_ptr<ChunkStore>& store, const std::shared_ptr<NodeCache>& cache,
                 std::optional<ChunkPointer> a, std::optional<ChunkPointer> b, const DiffFn& fn) {
  if (!store) throw Error(Errc::invalid_argument, "diff needs a chunk store");
  if (a == b) return;
  BTree ta(store, cache, a), tb(store, cache, b);
  const Lower& la = ta.lower();
  const Lower& lb = tb.lower();
  if (la.deltas.empty() && lb.deltas.empty()) return plain_diff(*store, cache.get(), la.base->root(), lb.base->root(), fn);

  auto same_root = [](const std::optional<ChunkPointer>& x, const std::optional<ChunkPointer>& y) {
    return x ? (y && same_subtree(*x, *y)) : !y;
  };
  std::set<std::string> keys;
  size_t na = la.deltas.size(), nb = lb.deltas.size();
  if (same_root(la.base->root(), lb.base->root())) {
    // Shared older deltas (the oldest first) hide nothing the other version lacks.
    while (na > 0 && nb > 0 && same_root(la.deltas[na - 1].tree->root(), lb.deltas[nb - 1].tree->root()) &&
           la.deltas[na - 1].erased == lb.deltas[nb - 1].erased) {
      --na;
      --nb;
    }
  } else {
    plain_diff(*store, cache.get(), la.base->root(), lb.base->root(),
               [&](std::string_view k, const std::optional<std::string>&, const std::optional<std::string>&) {
                 keys.emplace(k);
               });
  }
  auto collect = [&](const Lower& l, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      TreeCursor c = l.deltas[i].tree->cursor();
      for (c.seek_to_first(); c.valid(); c.next()) keys.emplace(c.key());
      for (const KeyRange& r : l.deltas[i].erased) {
        Bound from = r.from ? Bound(*r.from) : Bound(), to = r.to ? Bound(*r.to) : Bound();
        auto add = [&](std::string_view k, std::string_view) {
          keys.emplace(k);
          return true;
        };
        ta.scan(from, to, add);
        tb.scan(from, to, add);
      }
    }
  };
  collect(la, na);
  collect(lb, nb);
  const std::optional<std::string> none;
  for (const std::string& k : keys) {
    Hit ha, hb;
    bool fa = ta.lookup(k, &ha, false), fb = tb.lookup(k, &hb, false);
    if (!fa && !fb) continue;
    if (fa && fb && same_value(*store, *ha.leaf, ha.idx, *hb.leaf, hb.idx)) continue;
    fn(k, fa ? std::optional<std::string>(ta.materialize(ha)) : none,
       fb ? std::optional<std::string>(tb.materialize(hb)) : none);
  }
}

}  // namespace infinitree::btree
