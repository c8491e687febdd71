// A shared, thread-safe cache of decoded immutable nodes keyed by chunk pointer, bounded
// by a byte budget with least-recently-used eviction. Shared by every BTree (writer and
// snapshots) of a store: a node under a given pointer never changes, so any reader may
// use any cached node.
//
// The cache is split into shards, each with its own lock and LRU list, so readers on
// several threads rarely wait for each other. Each shard holds budget/shards bytes.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "btree/node.hpp"

namespace infinitree::btree {

struct NodeCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t bytes = 0;   // memory held by cached nodes (estimated)
  uint64_t nodes = 0;
};

class NodeCache {
 public:
  // A budget of 0 caches nothing (every read decodes the chunk again).
  explicit NodeCache(size_t budget_bytes);
  NodeCache(const NodeCache&) = delete;
  NodeCache& operator=(const NodeCache&) = delete;

  // The cached node or nullptr (counted as a hit or a miss).
  ConstNodePtr get(const ChunkPointer& ptr);
  // Caches `node` under `ptr`; if another thread cached it first, that one stays.
  void put(const ChunkPointer& ptr, ConstNodePtr node);
  void clear();

  NodeCacheStats stats() const;
  void reset_counters();
  size_t budget() const { return budget_; }

 private:
  static constexpr size_t kShards = 32;
  struct Entry {
    ChunkPointer ptr;
    ConstNodePtr node;
    size_t bytes;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // front = most recent
    std::unordered_map<ChunkPointer, std::list<Entry>::iterator, ChunkPointerHash> map;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Shard& shard_for(const ChunkPointer& ptr);

  size_t budget_;
  size_t shard_budget_;
  std::array<Shard, kShards> shards_;
};

}  // namespace infinitree::btree
