// A shared, thread-safe cache of decoded immutable nodes keyed by chunk pointer, bounded
// by a byte budget. Shared by every BTree (writer and snapshots) of a store: a node under
// a given pointer never changes, so any reader may use any cached node.
//
// The cache is split into shards, each with its own lock, so readers on several threads
// rarely wait for each other; each shard holds budget/shards bytes. Eviction is CLOCK (an
// approximation of least-recently-used): a hit only sets a flag, so the hot path touches
// no list links.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

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
  // A chunk is identified by its place (object, offset); the content hash prefix makes a
  // stale or forged pointer to the same place miss instead of aliasing. 20 bytes compare
  // far faster than the 94-byte pointer.
  struct Key {
    uint64_t object;
    uint64_t hash;
    uint32_t offset;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept { return k.hash ^ (k.offset * 0x9e3779b97f4a7c15ull); }
  };
  static Key key_of(const ChunkPointer& p) {
    Key k;
    std::memcpy(&k.object, p.object.bytes.data(), 8);
    std::memcpy(&k.hash, p.hash.data(), 8);
    k.offset = p.offset;
    return k;
  }
  // One slot of a shard's open-addressing table (linear probing, at most half full,
  // backward-shift deletion). A hit reads one slot: key, flag and node pointer together.
  struct Slot {
    Key key{};
    bool used = false;
    bool referenced = false;  // CLOCK's second-chance bit, set on every hit
    size_t bytes = 0;
    ConstNodePtr node;
  };
  struct Shard {
    mutable std::mutex mu;
    std::vector<Slot> slots;  // size is a power of two (or 0)
    size_t count = 0;
    size_t hand = 0;          // CLOCK hand: a slot index
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;

    size_t find(const Key& k) const;  // slot index or SIZE_MAX
    void insert(Key k, ConstNodePtr node, size_t bytes);
    ConstNodePtr erase(size_t i);     // returns the node to free outside the lock
    void grow();
  };
  Shard& shard_for(const Key& k) { return shards_[(k.hash >> 32) % kShards]; }

  size_t budget_;
  size_t shard_budget_;
  std::array<Shard, kShards> shards_;
};

}  // namespace infinitree::btree
