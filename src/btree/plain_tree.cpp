// PlainTree: one copy-on-write B+tree's reads, mutations and flush.
#include "btree/plain_tree.hpp"

#include <algorithm>
#include <exception>
#include <numeric>

#include "btree/node_codec.hpp"
#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"
#include "util/parallel_for.hpp"

namespace infinitree::btree {

PlainTree::PlainTree(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache,
                     std::optional<ChunkPointer> root, BTreeOptions options)
    : store_(std::move(store)), cache_(std::move(cache)), opt_(options), root_ptr_(root) {
  if (!store_) throw Error(Errc::invalid_argument, "BTree needs a chunk store");
  if (root_ptr_ && root_ptr_->kind != ChunkKind::index)
    throw Error(Errc::invalid_argument, "B-tree root must be an index chunk");
}

// ---------------------------------------------------------------------------- reads

ConstNodePtr PlainTree::load(const ChunkPointer& ptr, uint32_t level) const {
  return load_node(*store_, cache_.get(), ptr, level);
}

const Node* PlainTree::read_root(ConstNodePtr* hold) const {
  if (root_mem_) return root_mem_.get();
  if (!root_ptr_) return nullptr;
  if (const Node* p = pinned_raw_.load(std::memory_order_acquire)) return p;
  ConstNodePtr n = load(*root_ptr_, kAnyLevel);
  if (n->layers) throw Error(Errc::corrupt, "a layer list where a B-tree layer's root belongs");
  std::lock_guard lock(pin_mu_);
  if (!pinned_root_) {
    pinned_root_ = std::move(n);
    pinned_raw_.store(pinned_root_.get(), std::memory_order_release);
  }
  if (hold) *hold = pinned_root_;
  return pinned_root_.get();
}

const Node* PlainTree::read_child(const Node& n, size_t i, ConstNodePtr* hold) const {
  return btree::read_child(*store_, cache_.get(), n, i, hold);
}

const Node* PlainTree::find_leaf(std::string_view key, ConstNodePtr* hold) const {
  const Node* n = read_root(nullptr);
  while (n && !n->leaf()) n = read_child(*n, n->child_for(key), hold);
  return n;
}

const Node* PlainTree::find(std::string_view key, size_t* idx, ConstNodePtr* hold) const {
  const Node* leaf = find_leaf(key, hold);
  if (!leaf) return nullptr;
  bool found;
  *idx = leaf->lower_bound(key, &found);
  return found ? leaf : nullptr;
}

ConstNodePtr PlainTree::root_node() const {
  if (root_mem_) return root_mem_;
  if (!root_ptr_) return nullptr;
  ConstNodePtr root;
  read_root(&root);
  if (!root) {
    std::lock_guard lock(pin_mu_);
    root = pinned_root_;
  }
  return root;
}

std::string PlainTree::materialize(const Node& leaf, size_t i) const {
  if (leaf.spilled(i)) return read_spilled(*store_, leaf.value_bytes(i));
  return std::string(leaf.value_bytes(i));
}

bool PlainTree::value_equals(const Node& leaf, size_t i, std::string_view v) const {
  if (!leaf.spilled(i)) return leaf.value_bytes(i) == v;
  if (parse_spill(leaf.value_bytes(i)).size != v.size()) return false;
  return materialize(leaf, i) == v;
}

uint64_t PlainTree::size() const {
  const Node* n = read_root(nullptr);
  return n ? n->count() : 0;
}

uint32_t PlainTree::depth() const {
  const Node* n = read_root(nullptr);
  if (!n || n->empty()) return 0;
  return n->level + 1;
}

uint64_t PlainTree::rank(std::string_view key) const {
  ConstNodePtr hold;
  const Node* n = read_root(nullptr);
  uint64_t r = 0;
  while (n && !n->leaf()) {
    size_t i = n->child_for(key);
    for (size_t j = 0; j < i; ++j) r += n->kids[j].count;
    n = read_child(*n, i, &hold);
  }
  if (n) r += n->lower_bound(key, nullptr);
  return r;
}

uint64_t PlainTree::count_range(Bound from, Bound to) const {
  uint64_t hi = to ? rank(*to) : size();
  uint64_t lo = from ? rank(*from) : 0;
  return hi > lo ? hi - lo : 0;
}

TreeCursor PlainTree::cursor() const { return TreeCursor(store_, cache_, root_node()); }

// ---------------------------------------------------------------------------- writes

Node* PlainTree::mutable_root() {
  if (root_mem_) {
    // Shared with a cursor: copy, so the cursor keeps its version.
    if (root_mem_.use_count() > 1) root_mem_ = std::make_shared<Node>(*root_mem_);
    return root_mem_.get();
  }
  if (root_ptr_) {
    const Node* clean = read_root(nullptr);
    root_mem_ = std::make_shared<Node>(*clean);
  } else {
    root_mem_ = std::make_shared<Node>();
  }
  return root_mem_.get();
}

Node* PlainTree::mutable_child(Node& parent, size_t i) {
  ChildRef& c = parent.kids[i];
  if (c.mem) {
    if (c.mem.use_count() > 1) c.mem = std::make_shared<Node>(*c.mem);
    return c.mem.get();
  }
  // Copy-on-write: cached nodes are immutable and may be read by snapshots right now.
  ConstNodePtr clean = load(c.ptr, parent.level - 1);
  c.mem = std::make_shared<Node>(*clean);
  return c.mem.get();
}

void PlainTree::put(std::string_view key, std::string_view value, uint32_t flags) {
  Node* n = mutable_root();
  path_.clear();
  bool rightmost = true;
  while (!n->leaf()) {
    size_t i = n->child_for(key);
    rightmost = rightmost && i + 1 == n->kids.size();
    path_.push_back({n, i});
    n = mutable_child(*n, i);
  }
  bool found;
  size_t idx = n->lower_bound(key, &found);
  if (found) {
    n->leaf_set_value(idx, value, flags);
  } else {
    n->leaf_insert(idx, key, value, flags);
    for (PathStep& s : path_) ++s.node->kids[s.idx].count;
  }
  // Appends at the end of the tree split off only the new entry, leaving full nodes.
  split_upward(n, rightmost && !found && idx + 1 == n->slots.size());
}

void PlainTree::split_upward(Node* node, bool hint_append) {
  Node* child = node;
  while (true) {
    size_t target = child->leaf() ? opt_.leaf_target() : opt_.inner_target();
    size_t min_fanout = child->leaf() ? 2 : 4;
    if (child->encoded_estimate() <= target || child->fanout() < min_fanout) return;
    std::string sep;
    NodePtr right = child->split(&sep, hint_append);
    uint64_t right_count = right->count();
    if (path_.empty()) {
      // The root split: the tree grows one level.
      auto top = std::make_shared<Node>();
      top->level = child->level + 1;
      ChildRef left_ref, right_ref;
      left_ref.count = child->count();
      left_ref.mem = root_mem_;
      right_ref.count = right_count;
      right_ref.mem = std::move(right);
      top->kids.push_back(std::move(left_ref));
      top->kids.push_back(std::move(right_ref));
      top->sep_bytes = sep.size();
      top->seps.push_back(std::move(sep));
      root_mem_ = std::move(top);
      return;
    }
    PathStep s = path_.back();
    path_.pop_back();
    s.node->kids[s.idx].count -= right_count;
    ChildRef ref;
    ref.count = right_count;
    ref.mem = std::move(right);
    s.node->inner_insert(s.idx + 1, std::move(sep), std::move(ref));
    child = s.node;
  }
}

void PlainTree::erase_present(std::string_view key) {
  Node* n = mutable_root();
  path_.clear();
  while (!n->leaf()) {
    size_t i = n->child_for(key);
    path_.push_back({n, i});
    n = mutable_child(*n, i);
  }
  bool found;
  size_t idx = n->lower_bound(key, &found);
  if (!found) throw Error(Errc::internal, "erase_present: key vanished");
  n->leaf_erase(idx, idx + 1);
  for (PathStep& s : path_) --s.node->kids[s.idx].count;
  for (size_t k = path_.size(); k-- > 0;) fix_child(*path_[k].node, path_[k].idx);
  collapse_root();
}

// After entries left kids[i] (a dirty child): drop it if empty, merge it with a neighbour
// if it fell under a quarter of the target and the two fit in one node.
void PlainTree::fix_child(Node& parent, size_t i) {
  if (i >= parent.kids.size()) return;
  Node* ch = parent.kids[i].mem.get();
  if (!ch) return;
  if (ch->empty()) {
    parent.inner_remove(i);
    return;
  }
  size_t target = ch->leaf() ? opt_.leaf_target() : opt_.inner_target();
  if (ch->encoded_estimate() >= target / 4 || parent.kids.size() < 2) return;
  size_t l = i > 0 ? i - 1 : i;
  size_t r = l + 1;
  Node* left = mutable_child(parent, l);
  Node* right = mutable_child(parent, r);
  if (left->encoded_estimate() + right->encoded_estimate() > target) return;
  left->merge_from(*right, parent.seps[l]);
  parent.kids[l].count += parent.kids[r].count;
  parent.inner_remove(r);
}

void PlainTree::collapse_root() {
  while (root_mem_ && !root_mem_->leaf() && root_mem_->kids.size() <= 1) {
    if (root_mem_->kids.empty()) {
      root_mem_ = std::make_shared<Node>();
      return;
    }
    Node* r = mutable_root();
    mutable_child(*r, 0);
    NodePtr only = r->kids[0].mem;
    root_mem_ = std::move(only);
  }
}

uint64_t PlainTree::erase_range(Bound from, Bound to) {
  if (from && to && !(*from < *to)) return 0;
  if (count_range(from, to) == 0) return 0;  // nothing to do: stay clean
  Node* r = mutable_root();
  uint64_t n = erase_range_in(*r, from, to, std::nullopt, std::nullopt);
  collapse_root();
  return n;
}

uint64_t PlainTree::erase_range_in(Node& n, Bound from, Bound to, Bound lo, Bound hi) {
  if (n.leaf()) {
    size_t a = from ? n.lower_bound(*from, nullptr) : 0;
    size_t b = to ? n.lower_bound(*to, nullptr) : n.slots.size();
    if (a >= b) return 0;
    n.leaf_erase(a, b);
    return b - a;
  }
  size_t first = from ? n.child_for(*from) : 0;
  size_t last = to ? n.child_before(*to) : n.kids.size() - 1;
  if (first > last) return 0;
  // Key bounds of child j: [lo_of(j), hi_of(j)). A child whose bounds lie inside the
  // range goes whole, without being read, using its count.
  auto lo_of = [&](size_t j) { return j ? Bound(n.seps[j - 1]) : lo; };
  auto hi_of = [&](size_t j) { return j + 1 < n.kids.size() ? Bound(n.seps[j]) : hi; };
  auto covered = [&](size_t j) {
    Bound clo = lo_of(j), chi = hi_of(j);
    return (!from || (clo && *from <= *clo)) && (!to || (chi && *chi <= *to));
  };
  auto recurse = [&](size_t j) {
    Bound clo = lo_of(j), chi = hi_of(j);
    Node* c = mutable_child(n, j);
    uint64_t e = erase_range_in(*c, from, to, clo, chi);
    n.kids[j].count -= e;
    return e;
  };
  if (first == last) {
    if (covered(first)) {
      uint64_t e = n.kids[first].count;
      n.inner_remove(first);
      return e;
    }
    uint64_t e = recurse(first);
    fix_child(n, first);
    return e;
  }
  bool first_covered = covered(first), last_covered = covered(last);
  uint64_t erased = 0;
  if (!last_covered) erased += recurse(last);
  if (!first_covered) erased += recurse(first);
  size_t rm_from = first_covered ? first : first + 1;
  size_t rm_to = last_covered ? last + 1 : last;
  for (size_t j = rm_from; j < rm_to; ++j) erased += n.kids[j].count;
  n.inner_remove_range(rm_from, rm_to);
  // The partially covered boundary children may now be empty or small.
  if (!last_covered) fix_child(n, rm_from);
  if (!first_covered) fix_child(n, first);
  return erased;
}

// ---------------------------------------------------------------------------- flush

ChunkPointer PlainTree::write_subtree(NodePtr& ref, Bytes& buf, int parallel, bool strip_marks) {
  // A node a cursor still holds is copied before its child pointers are filled in.
  if (ref.use_count() > 1) ref = std::make_shared<Node>(*ref);
  Node& n = *ref;
  if (!n.leaf()) {
    std::vector<size_t> dirty;
    for (size_t i = 0; i < n.kids.size(); ++i)
      if (n.kids[i].mem) dirty.push_back(i);
    if (parallel > 1 && dirty.size() >= 8) {
      // Big flushes: sibling subtrees are independent, so threads write them at once
      // (the chunk store takes parallel writes); this node is written after all of them.
      std::vector<Bytes> bufs(static_cast<size_t>(parallel));  // one encode buffer per thread
      util::parallel_for(dirty.size(), static_cast<unsigned>(parallel), [&](size_t k, unsigned worker) {
        ChildRef& c = n.kids[dirty[k]];
        c.ptr = write_subtree(c.mem, bufs[worker], 1, strip_marks);
        c.mem.reset();
      });
    } else {
      for (size_t i : dirty) {
        ChildRef& c = n.kids[i];
        c.ptr = write_subtree(c.mem, buf, parallel, strip_marks);
        c.mem.reset();
      }
    }
  } else {
    if (n.arena.size() > n.live_bytes + n.live_bytes / 4 + 64) n.leaf_compact();
    if (strip_marks)
      for (LeafSlot& s : n.slots) s.vinfo &= ~LeafSlot::kMarkMask;
  }
  encode_node(n, buf);
  ChunkPointer p = store_->write(ChunkKind::index, buf);
  // The node is now immutable (the writer drops it below): readers, and this writer's
  // next copy, find it in the cache.
  n.state.clean = true;
  if (cache_) cache_->put(p, ref);
  return p;
}

void PlainTree::set_clean_root(std::optional<ChunkPointer> root) {
  root_ptr_ = root;
  std::lock_guard lock(pin_mu_);
  pinned_root_.reset();
  pinned_raw_.store(nullptr, std::memory_order_release);
}

std::optional<ChunkPointer> PlainTree::flush(bool strip_marks) {
  if (!root_mem_) return root_ptr_;
  collapse_root();
  std::optional<ChunkPointer> root;
  if (!root_mem_->empty()) {
    int threads = static_cast<int>(std::min(4u, util::default_threads()));
    root = write_subtree(root_mem_, encode_buf_, threads, strip_marks);
  }
  root_mem_.reset();
  set_clean_root(root);
  return root_ptr_;
}

}  // namespace infinitree::btree
