// BTree::flush: the writer's delta becomes a committed layer. Either it is written as the
// newest delta (the deltas beyond max_deltas merging pairwise), or, once the deltas are
// large next to the base (or the tree is small), every delta is applied to the base in
// one copy-on-write pass that rewrites each affected leaf once. See docs/btree.md.
#include <algorithm>

#include "btree/btree.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

namespace {

// Applies a layer (its erased ranges, then its entries) to a base tree, physically.
void apply_to_base(PlainTree& base, const PlainTree& layer, const RangeSet& erased) {
  for (const KeyRange& r : erased)
    base.erase_range(r.from ? Bound(*r.from) : Bound(), r.to ? Bound(*r.to) : Bound());
  TreeCursor c = layer.cursor();
  for (c.seek_to_first(); c.valid(); c.next()) {
    uint32_t f = c.flags();
    if (f & LeafSlot::kTomb) {
      bool there;
      {
        size_t idx;
        ConstNodePtr hold;
        there = base.find(c.key(), &idx, &hold) != nullptr;
      }
      if (there) base.erase_present(c.key());
    } else {
      base.put(c.key(), c.raw_value(), f & LeafSlot::kKindMask);
    }
  }
}

// Applies a newer delta to the delta just below it, keeping the marks true for the
// merged layer: a key new to the older layer's view stays new; a tombstone of a key the
// older layer added cancels out.
void apply_to_delta(PlainTree& older, const PlainTree& newer, const RangeSet& newer_erased) {
  for (const KeyRange& r : newer_erased)
    older.erase_range(r.from ? Bound(*r.from) : Bound(), r.to ? Bound(*r.to) : Bound());
  TreeCursor c = newer.cursor();
  for (c.seek_to_first(); c.valid(); c.next()) {
    uint32_t f = c.flags();
    bool found;
    uint32_t older_marks = 0;
    {
      size_t idx;
      ConstNodePtr hold;
      const Node* leaf = older.find(c.key(), &idx, &hold);
      found = leaf != nullptr;
      if (leaf) older_marks = leaf->marks(idx);
    }
    if (f & LeafSlot::kTomb) {
      if (found && (older_marks & LeafSlot::kNew))
        older.erase_present(c.key());
      else
        older.put(c.key(), {}, LeafSlot::kTomb);
    } else {
      uint32_t mark = found ? (older_marks & LeafSlot::kNew) : (f & LeafSlot::kNew);
      older.put(c.key(), c.raw_value(), (f & LeafSlot::kKindMask) | mark);
    }
  }
}

}  // namespace

void BTree::write_filter(Delta& d) {
  d.filter = std::make_shared<FilterSlot>();
  d.filter_ptr.reset();
  if (d.tree->size() == 0) return;
  std::vector<uint64_t> hashes;
  hashes.reserve(d.tree->size());
  TreeCursor c = d.tree->cursor();
  for (c.seek_to_first(); c.valid(); c.next()) hashes.push_back(KeyFilter::hash(c.key()));
  Bytes bytes = KeyFilter::build(hashes);
  d.filter_ptr = store_->write(ChunkKind::index, bytes);
  d.filter->filter = KeyFilter::decode(bytes);
  d.filter->raw.store(d.filter->filter.get(), std::memory_order_release);
}

std::optional<ChunkPointer> BTree::flush() {
  if (!dirty()) return root_ptr_;
  std::optional<ChunkPointer> root = write_version();
  root_ptr_ = root;
  active_ = std::make_unique<PlainTree>(store_, cache_, std::nullopt, opt_);
  active_erased_.clear();
  active_net_ = 0;
  return root_ptr_;
}

std::optional<ChunkPointer> BTree::write_version() {
  Lower& l = lower_mut();
  const uint64_t new_size = size();
  const uint64_t active_entries = active_->size();
  if (active_entries == 0 && active_erased_.empty()) return root_ptr_;  // changes that cancelled out
  if (new_size == 0) {
    // The empty tree has no root, whatever layers led to it.
    l.base = std::make_unique<PlainTree>(store_, cache_, std::nullopt, opt_);
    l.base_entries = l.size = 0;
    l.deltas.clear();
    return std::nullopt;
  }

  if (l.base_entries == 0 && l.deltas.empty()) {
    // Nothing below: the writer's delta is the whole tree (no tombstones, nothing erased).
    l.base = std::move(active_);
    std::optional<ChunkPointer> root = l.base->flush(/*strip_marks=*/true);
    l.base_entries = l.size = new_size;
    return root;
  }

  uint64_t delta_entries = active_entries;
  for (const Delta& d : l.deltas) delta_entries += d.entries;
  bool to_base = l.base_entries < opt_.delta_min_base ||
                 static_cast<double>(delta_entries) > opt_.delta_fraction * static_cast<double>(l.base_entries);
  if (to_base) {
    for (size_t i = l.deltas.size(); i-- > 0;) apply_to_base(*l.base, *l.deltas[i].tree, l.deltas[i].erased);
    apply_to_base(*l.base, *active_, active_erased_);
    std::optional<ChunkPointer> root = l.base->flush();
    if (l.base->size() != new_size)
      throw Error(Errc::internal, "b-tree merge: base holds " + std::to_string(l.base->size()) +
                                      " entries, expected " + std::to_string(new_size));
    l.deltas.clear();
    l.base_entries = l.size = new_size;
    return root;
  }

  l.deltas.insert(l.deltas.begin(), Delta{std::move(active_), active_erased_, active_entries});
  while (l.deltas.size() > std::max<size_t>(1, opt_.max_deltas)) {
    // Merge the adjacent pair with the fewest entries: cheap, and sizes stay tiered.
    size_t best = 0;
    for (size_t i = 1; i + 1 < l.deltas.size(); ++i)
      if (l.deltas[i].entries + l.deltas[i + 1].entries < l.deltas[best].entries + l.deltas[best + 1].entries)
        best = i;
    Delta& newer = l.deltas[best];
    Delta& older = l.deltas[best + 1];
    apply_to_delta(*older.tree, *newer.tree, newer.erased);
    for (const KeyRange& r : newer.erased) add_range(older.erased, r);
    older.entries = older.tree->size();
    l.deltas.erase(l.deltas.begin() + static_cast<ptrdiff_t>(best));
  }
  LayerList ll;
  for (Delta& d : l.deltas) {
    std::optional<ChunkPointer> r = d.tree->root();
    if (d.tree->dirty()) {
      r = d.tree->flush();
      write_filter(d);
    }
    d.entries = d.tree->size();
    if (!r && d.erased.empty()) continue;
    ll.deltas.push_back(DeltaRef{r, d.entries, d.erased, d.filter_ptr});
  }
  std::erase_if(l.deltas, [](const Delta& d) { return d.entries == 0 && d.erased.empty(); });
  l.size = new_size;
  if (ll.deltas.empty()) return l.base->root();
  ll.base = l.base->root();
  ll.base_entries = l.base_entries;
  ll.size = new_size;
  encode_layer_list(ll, encode_buf_);
  return store_->write(ChunkKind::index, encode_buf_);
}

}  // namespace infinitree::btree
