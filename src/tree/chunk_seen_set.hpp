// A compact set of chunks, keyed by (object, offset): the walks over a tree's history
// visit each chunk once with it. Object ids are interned, so an entry costs one 64-bit key
// in a hash set (about 30-40 bytes with the table) rather than a 94-byte pointer: a tree
// with 10 million chunks is walked in well under 512 MiB.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "object/chunk_pointer.hpp"

namespace infinitree::detail {

class ObjectTable {
 public:
  uint32_t index(const ObjectId& id) {
    auto [it, inserted] = ids_.try_emplace(id, static_cast<uint32_t>(list_.size()));
    if (inserted) list_.push_back(id);
    return it->second;
  }
  const ObjectId* find_id(uint32_t i) const { return i < list_.size() ? &list_[i] : nullptr; }
  size_t size() const { return list_.size(); }
  const std::vector<ObjectId>& ids() const { return list_; }
  bool contains(const ObjectId& id) const { return ids_.count(id) != 0; }
  uint32_t at(const ObjectId& id) const { return ids_.at(id); }

 private:
  std::unordered_map<ObjectId, uint32_t, ObjectIdHash> ids_;
  std::vector<ObjectId> list_;
};

class ChunkSeenSet {
 public:
  explicit ChunkSeenSet(ObjectTable& objects) : objects_(objects) {}
  // True the first time a chunk is seen.
  bool insert(const ChunkPointer& p) { return keys_.insert(key(p)).second; }
  bool contains(const ChunkPointer& p) const {
    if (!objects_.contains(p.object)) return false;
    return keys_.count((uint64_t{objects_.at(p.object)} << 32) | p.offset) != 0;
  }
  uint64_t key(const ChunkPointer& p) { return (uint64_t{objects_.index(p.object)} << 32) | p.offset; }
  size_t size() const { return keys_.size(); }

 private:
  ObjectTable& objects_;
  std::unordered_set<uint64_t> keys_;
};

}  // namespace infinitree::detail
