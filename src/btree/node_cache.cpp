#include "btree/node_cache.hpp"

namespace infinitree::btree {

NodeCache::NodeCache(size_t budget_bytes)
    : budget_(budget_bytes), shard_budget_(budget_bytes / kShards) {}

NodeCache::Shard& NodeCache::shard_for(const ChunkPointer& ptr) {
  // The content hash is uniformly random; use bytes ChunkPointerHash does not lean on.
  return shards_[ptr.hash[8] % kShards];
}

ConstNodePtr NodeCache::get(const ChunkPointer& ptr) {
  Shard& s = shard_for(ptr);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(ptr);
  if (it == s.map.end()) {
    ++s.misses;
    return nullptr;
  }
  ++s.hits;
  if (it->second != s.lru.begin()) s.lru.splice(s.lru.begin(), s.lru, it->second);
  return it->second->node;
}

void NodeCache::put(const ChunkPointer& ptr, ConstNodePtr node) {
  if (!node) return;
  size_t bytes = node->memory_bytes() + sizeof(Entry) + 64;
  if (bytes > shard_budget_) return;
  Shard& s = shard_for(ptr);
  std::vector<ConstNodePtr> evicted;  // freed after the lock is released
  {
    std::lock_guard lock(s.mu);
    if (s.map.count(ptr)) return;
    s.lru.push_front(Entry{ptr, std::move(node), bytes});
    s.map.emplace(ptr, s.lru.begin());
    s.bytes += bytes;
    while (s.bytes > shard_budget_ && !s.lru.empty()) {
      Entry& e = s.lru.back();
      s.bytes -= e.bytes;
      evicted.push_back(std::move(e.node));
      s.map.erase(e.ptr);
      s.lru.pop_back();
    }
  }
}

void NodeCache::clear() {
  for (Shard& s : shards_) {
    std::list<Entry> drop;
    {
      std::lock_guard lock(s.mu);
      drop.swap(s.lru);
      s.map.clear();
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
    st.nodes += s.map.size();
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
