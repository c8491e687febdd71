// BTree: a version's layers (base, deltas, the writer's in-memory delta) read as one map,
// and the writes that go to the in-memory delta. flush() lives in layer_flush.cpp; diff,
// walk, rewrite and bulk_load in their own files.
#include "btree/btree.hpp"

#include <algorithm>
#include <numeric>

#include "btree/node_source.hpp"
#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

BTree::BTree(std::shared_ptr<ChunkStore> store, std::shared_ptr<NodeCache> cache,
             std::optional<ChunkPointer> root, BTreeOptions options)
    : store_(std::move(store)), cache_(std::move(cache)), opt_(options), root_ptr_(root) {
  if (!store_) throw Error(Errc::invalid_argument, "BTree needs a chunk store");
  if (root_ptr_ && root_ptr_->kind != ChunkKind::index)
    throw Error(Errc::invalid_argument, "B-tree root must be an index chunk");
  active_ = std::make_unique<PlainTree>(store_, cache_, std::nullopt, opt_);
}

// ---------------------------------------------------------------------------- layers

std::unique_ptr<BTree::Lower> BTree::resolve(const std::shared_ptr<ChunkStore>& store,
                                             const std::shared_ptr<NodeCache>& cache,
                                             std::optional<ChunkPointer> root, const BTreeOptions& opt) {
  auto l = std::make_unique<Lower>();
  if (!root) {
    l->base = std::make_unique<PlainTree>(store, cache, std::nullopt, opt);
    return l;
  }
  ConstNodePtr n = load_node(*store, cache.get(), *root, kAnyLevel);
  if (!n->layers) {
    // A plain root: a version without deltas, or a store from before delta layers.
    l->base = std::make_unique<PlainTree>(store, cache, root, opt);
    l->base_entries = l->size = n->count();
    return l;
  }
  const LayerList& ll = *n->layers;
  l->base = std::make_unique<PlainTree>(store, cache, ll.base, opt);
  l->base_entries = ll.base_entries;
  l->size = ll.size;
  for (const DeltaRef& d : ll.deltas) {
    Delta x{std::make_unique<PlainTree>(store, cache, d.root, opt), d.erased, d.entries};
    x.filter_ptr = d.filter;
    l->deltas.push_back(std::move(x));
  }
  return l;
}

const BTree::Lower& BTree::lower() const {
  if (const Lower* l = lower_raw_.load(std::memory_order_acquire)) return *l;
  std::lock_guard lock(lower_mu_);
  if (!lower_) {
    lower_ = resolve(store_, cache_, root_ptr_, opt_);
    lower_raw_.store(lower_.get(), std::memory_order_release);
  }
  return *lower_;
}

void BTree::reset_lower(std::unique_ptr<Lower> l) {
  std::lock_guard lock(lower_mu_);
  lower_ = std::move(l);
  lower_raw_.store(lower_.get(), std::memory_order_release);
}

BTree::Probe BTree::probe(const PlainTree& t, const RangeSet& erased, std::string_view key, Hit* hit) {
  hit->leaf = t.find(key, &hit->idx, &hit->hold);
  if (hit->leaf) return hit->leaf->tomb(hit->idx) ? Probe::erased : Probe::found;
  if (!erased.empty() && covering(erased, key)) return Probe::erased;
  return Probe::below;
}

const KeyFilter* BTree::filter_of(const Delta& d) const {
  if (!d.filter_ptr) return nullptr;
  if (const KeyFilter* f = d.filter->raw.load(std::memory_order_acquire)) return f;
  std::lock_guard lock(d.filter->mu);
  if (!d.filter->filter) {
    d.filter->filter = KeyFilter::decode(store_->read(*d.filter_ptr));
    d.filter->raw.store(d.filter->filter.get(), std::memory_order_release);
  }
  return d.filter->filter.get();
}

bool BTree::lookup(std::string_view key, Hit* hit, bool skip_active) const {
  if (!skip_active) {
    Probe p = probe(*active_, active_erased_, key, hit);
    if (p != Probe::below) return p == Probe::found;
  }
  const Lower& l = lower();
  uint64_t h = 0;
  bool hashed = false;
  for (const Delta& d : l.deltas) {
    if (const KeyFilter* f = filter_of(d)) {
      if (!hashed) h = KeyFilter::hash(key), hashed = true;
      if (!f->may_contain(h)) {
        // Not in this delta's tree; its erased ranges still apply.
        if (!d.erased.empty() && covering(d.erased, key)) return false;
        continue;
      }
    }
    Probe p = probe(*d.tree, d.erased, key, hit);
    if (p != Probe::below) return p == Probe::found;
  }
  hit->leaf = l.base->find(key, &hit->idx, &hit->hold);
  return hit->leaf != nullptr;
}

std::string BTree::materialize(const Hit& h) const {
  if (h.leaf->spilled(h.idx)) return read_spilled(*store_, h.leaf->value_bytes(h.idx));
  return std::string(h.leaf->value_bytes(h.idx));
}

namespace {
// The larger of two lower bounds / the smaller of two upper bounds (nullopt = unbounded).
Bound max_lo(Bound a, const std::optional<std::string>& b) {
  if (!b) return a;
  if (!a || *a < *b) return std::string_view(*b);
  return a;
}
Bound min_hi(Bound a, const std::optional<std::string>& b) {
  if (!b) return a;
  if (!a || *b < *a) return std::string_view(*b);
  return a;
}
}  // namespace

uint64_t BTree::count_layers(size_t i, Bound from, Bound to) const {
  if (from && to && !(*from < *to)) return 0;
  const Lower& l = lower();
  if (i == l.deltas.size() + 1) return l.base->count_range(from, to);
  const PlainTree& t = i == 0 ? *active_ : *l.deltas[i - 1].tree;
  const RangeSet& erased = i == 0 ? active_erased_ : l.deltas[i - 1].erased;
  // Nothing below the writer's delta: it holds every entry, none a tombstone.
  if (i == 0 && l.size == 0) return t.count_range(from, to);
  int64_t c = static_cast<int64_t>(count_layers(i + 1, from, to));
  for (const KeyRange& r : erased) {
    Bound lo = max_lo(from, r.from), hi = min_hi(to, r.to);
    if (!lo || !hi || *lo < *hi) c -= static_cast<int64_t>(count_layers(i + 1, lo, hi));
  }
  if (t.size() > 0) {
    // Each entry of this layer is new (+1), a tombstone (-1) or an overwrite (0).
    TreeCursor cur = t.cursor();
    if (from)
      cur.seek(*from);
    else
      cur.seek_to_first();
    for (; cur.valid(); cur.next()) {
      if (to && !(cur.key() < *to)) break;
      uint32_t f = cur.flags();
      if (f & LeafSlot::kNew) ++c;
      if (f & LeafSlot::kTomb) --c;
    }
  }
  return c > 0 ? static_cast<uint64_t>(c) : 0;
}

// ---------------------------------------------------------------------------- reads

std::optional<std::string> BTree::get(std::string_view key) const {
  Hit h;
  if (!lookup(key, &h, false)) return std::nullopt;
  return materialize(h);
}

bool BTree::contains(std::string_view key) const {
  Hit h;
  return lookup(key, &h, false);
}

std::vector<std::optional<std::string>> BTree::multi_get(const std::vector<std::string>& keys) const {
  // Sorted order keeps consecutive lookups on the same few paths (cache-friendly).
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::optional<std::string>> out(keys.size());
  for (size_t i : order) out[i] = get(keys[i]);
  return out;
}

uint64_t BTree::size() const {
  int64_t s = static_cast<int64_t>(lower().size) + active_net_;
  return s > 0 ? static_cast<uint64_t>(s) : 0;
}

uint32_t BTree::depth() const {
  const Lower& l = lower();
  uint32_t d = std::max(active_->depth(), l.base->depth());
  for (const Delta& x : l.deltas) d = std::max(d, x.tree->depth());
  return d;
}

size_t BTree::delta_count() const { return lower().deltas.size(); }

uint64_t BTree::rank(std::string_view key) const { return count_layers(0, std::nullopt, key); }

uint64_t BTree::count_range(Bound from, Bound to) const { return count_layers(0, from, to); }

Cursor BTree::cursor() const {
  const Lower& l = lower();
  std::vector<Cursor::Source> src;
  if (dirty()) src.push_back({active_->cursor(), active_erased_});
  for (const Delta& d : l.deltas) src.push_back({d.tree->cursor(), d.erased});
  src.push_back({l.base->cursor(), {}});
  return Cursor(store_, std::move(src));
}

void BTree::scan(Bound from, Bound to,
                 const std::function<bool(std::string_view, std::string_view)>& fn) const {
  if (from && to && !(*from < *to)) return;
  Cursor c = cursor();
  if (from)
    c.seek(*from);
  else
    c.seek_to_first();
  std::string big;
  for (; c.valid(); c.next()) {
    std::string_view k = c.key();
    if (to && !(k < *to)) break;
    bool go;
    if (c.value_spilled()) {
      big = c.value();
      go = fn(k, big);
    } else {
      go = fn(k, c.raw_value());
    }
    if (!go) break;
  }
}

void BTree::scan_prefix(std::string_view prefix,
                        const std::function<bool(std::string_view, std::string_view)>& fn) const {
  // The end of the prefix range: the prefix with its last non-0xff byte incremented.
  std::string end(prefix);
  while (!end.empty() && static_cast<uint8_t>(end.back()) == 0xff) end.pop_back();
  if (end.empty()) return scan(prefix, std::nullopt, fn);
  end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
  scan(prefix, std::string_view(end), fn);
}

// ---------------------------------------------------------------------------- writes

void BTree::check_key(std::string_view key) const {
  if (key.size() > kMaxKeySize)
    throw Error(Errc::too_large, "key of " + std::to_string(key.size()) + " bytes is over the limit of " +
                                     std::to_string(kMaxKeySize));
}

void BTree::check_value(std::string_view value) const {
  if (value.size() > opt_.max_value_bytes)
    throw Error(Errc::too_large, "value of " + std::to_string(value.size()) +
                                     " bytes is over the limit of " + std::to_string(opt_.max_value_bytes));
}

void BTree::put(std::string_view key, std::string_view value) {
  check_key(key);
  check_value(value);
  if (value.size() > std::min<size_t>(opt_.inline_value_max, LeafSlot::kMaxInline)) {
    std::string desc = spill_value(*store_, value);
    put_impl(key, desc, LeafSlot::kSpilled);
  } else {
    put_impl(key, value, 0);
  }
}

void BTree::put_stream_ref(std::string_view key, std::string_view ref) {
  check_key(key);
  // Stream refs are a few hundred bytes at most (the caller checked the encoding); they
  // always stay in the leaf, whatever inline_value_max is.
  if (ref.size() > kMaxStreamRefBytes)
    throw Error(Errc::invalid_argument, "stream ref of " + std::to_string(ref.size()) + " bytes is too long");
  put_impl(key, ref, LeafSlot::kStream);
}

void BTree::put_impl(std::string_view key, std::string_view value, uint32_t kind) {
  uint32_t mark;
  {
    size_t idx;
    ConstNodePtr hold;
    const Node* leaf = active_->find(key, &idx, &hold);
    if (leaf) {
      // Already changed since the flush: an erased key comes back (it is visible below),
      // an overwrite keeps whether the key is new to the layers below.
      mark = leaf->marks(idx) & LeafSlot::kNew;
      if (leaf->tomb(idx)) ++active_net_;
    } else {
      bool below = !covering(active_erased_, key) && lower_contains(key);
      mark = below ? 0 : LeafSlot::kNew;
      if (!below) ++active_net_;
    }
  }
  active_->put(key, value, kind | mark);
}

bool BTree::erase(std::string_view key) {
  if (key.size() > kMaxKeySize) return false;
  size_t idx;
  bool in_active;
  uint32_t marks = 0;
  {
    ConstNodePtr hold;
    const Node* leaf = active_->find(key, &idx, &hold);
    in_active = leaf != nullptr;
    if (leaf) marks = leaf->marks(idx);
  }
  if (in_active) {
    if (marks & LeafSlot::kTomb) return false;
    if (marks & LeafSlot::kNew)
      active_->erase_present(key);  // nothing below to hide
    else
      active_->put(key, {}, LeafSlot::kTomb);
    --active_net_;
    return true;
  }
  if (covering(active_erased_, key) || !lower_contains(key)) return false;
  active_->put(key, {}, LeafSlot::kTomb);
  --active_net_;
  return true;
}

uint64_t BTree::erase_range(Bound from, Bound to) {
  if (from && to && !(*from < *to)) return 0;
  uint64_t n = count_range(from, to);
  if (n == 0) return 0;  // nothing to do: stay clean
  bool hides_below = count_layers(1, from, to) > 0;
  active_->erase_range(from, to);
  if (hides_below)
    add_range(active_erased_, KeyRange{from ? std::optional<std::string>(*from) : std::nullopt,
                                       to ? std::optional<std::string>(*to) : std::nullopt});
  active_net_ -= static_cast<int64_t>(n);
  return n;
}

bool BTree::put_if_absent(std::string_view key, std::string_view value) {
  check_key(key);
  check_value(value);
  if (contains(key)) return false;
  put(key, value);
  return true;
}

bool BTree::compare_and_swap(std::string_view key, const std::optional<std::string>& expected,
                             const std::optional<std::string>& desired) {
  check_key(key);
  if (desired) check_value(*desired);
  bool found, match;
  {
    Hit h;
    found = lookup(key, &h, false);
    if (!expected)
      match = !found;
    else if (!found)
      match = false;
    else if (!h.leaf->spilled(h.idx))
      match = h.leaf->value_bytes(h.idx) == *expected;
    else
      match = parse_spill(h.leaf->value_bytes(h.idx)).size == expected->size() && materialize(h) == *expected;
  }
  if (!match) return false;
  if (desired)
    put(key, *desired);
  else if (found)
    erase(key);
  return true;
}

bool BTree::dirty() const { return active_->dirty() || !active_erased_.empty(); }

void BTree::rollback() {
  active_->rollback();
  active_erased_.clear();
  active_net_ = 0;
}

}  // namespace infinitree::btree
