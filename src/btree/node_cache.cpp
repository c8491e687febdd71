#include "btree/node_cache.hpp"

namespace infinitree::btree {

namespace {
size_t home_of(size_t hash, size_t mask) { return (hash * 0x9e3779b97f4a7c15ull) >> 7 & mask; }
}  // namespace

size_t NodeCache::Shard::find(const Key& k) const {
  if (slots.empty()) return SIZE_MAX;
  size_t mask = slots.size() - 1;
  for (size_t i = home_of(KeyHash{}(k), mask);; i = (i + 1) & mask) {
    const Slot& s = slots[i];
    if (!s.used) return SIZE_MAX;
    if (s.key == k) return i;
  }
}

void NodeCache::Shard::grow() {
  std::vector<Slot> old;
  old.swap(slots);
  slots.resize(old.empty() ? 64 : old.size() * 2);
  count = 0;
  for (Slot& s : old)
    if (s.used) insert(s.key, std::move(s.node), s.bytes);
  hand = 0;
}

void NodeCache::Shard::insert(Key k, ConstNodePtr node, size_t b) {
  if ((count + 1) * 2 > slots.size()) grow();
  size_t mask = slots.size() - 1;
  size_t i = home_of(KeyHash{}(k), mask);
  while (slots[i].used) i = (i + 1) & mask;
  Slot& s = slots[i];
  s.key = k;
  s.used = true;
  // New entries start with their second chance: the table puts them anywhere relative to
  // the hand, and a node just read is likely to be read again soon.
  s.referenced = true;
  s.bytes = b;
  s.node = std::move(node);
  ++count;
}

ConstNodePtr NodeCache::Shard::erase(size_t i) {
  size_t mask = slots.size() - 1;
  ConstNodePtr gone = std::move(slots[i].node);
  // Backward-shift: move later members of the probe run into the hole so lookups never
  // stop early at it.
  for (size_t j = (i + 1) & mask; slots[j].used; j = (j + 1) & mask) {
    size_t h = home_of(KeyHash{}(slots[j].key), mask);
    bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
    if (movable) {
      slots[i] = std::move(slots[j]);
      i = j;
    }
  }
  slots[i] = Slot{};
  --count;
  return gone;
}

NodeCache::NodeCache(size_t budget_bytes)
    : budget_(budget_bytes), shard_budget_(budget_bytes / kShards) {}

ConstNodePtr NodeCache::get(const ChunkPointer& ptr) {
  Key k = key_of(ptr);
  Shard& s = shard_for(k);
  std::lock_guard lock(s.mu);
  size_t i = s.find(k);
  if (i == SIZE_MAX) {
    ++s.misses;
    return nullptr;
  }
  ++s.hits;
  s.slots[i].referenced = true;
  return s.slots[i].node;
}

void NodeCache::put(const ChunkPointer& ptr, ConstNodePtr node) {
  if (!node) return;
  size_t bytes = node->memory_bytes() + 2 * sizeof(Slot) + 64;
  if (bytes > shard_budget_) return;
  Key k = key_of(ptr);
  Shard& s = shard_for(k);
  std::vector<ConstNodePtr> evicted;  // freed after the lock is released
  {
    std::lock_guard lock(s.mu);
    if (s.find(k) != SIZE_MAX) return;
    s.insert(k, std::move(node), bytes);
    s.bytes += bytes;
    while (s.bytes > shard_budget_ && s.count > 0) {
      if (s.hand >= s.slots.size()) s.hand = 0;
      Slot& slot = s.slots[s.hand];
      if (!slot.used) {
        ++s.hand;
      } else if (slot.referenced) {
        slot.referenced = false;  // second chance
        ++s.hand;
      } else {
        s.bytes -= slot.bytes;
        evicted.push_back(s.erase(s.hand));  // the hand now sees whatever shifted in
      }
    }
  }
}

void NodeCache::clear() {
  for (Shard& s : shards_) {
    std::vector<Slot> drop;
    {
      std::lock_guard lock(s.mu);
      drop.swap(s.slots);
      s.count = 0;
      s.hand = 0;
      s.bytes = 0;
    }
  }
}

NodeCacheStats NodeCache::stats() const {
  NodeCacheStats st;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    st.hits += s.hits;
    st.misses += s.misses;
    st.bytes += s.bytes;
    st.nodes += s.count;
  }
  return st;
}

void NodeCache::reset_counters() {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    s.hits = 0;
    s.misses = 0;
  }
}

}  // namespace infinitree::btree
