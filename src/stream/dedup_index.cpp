#include "stream/dedup_index.hpp"

namespace infinitree::stream {

std::optional<ChunkPointer> MemoryDedupIndex::find(const crypto::Digest& digest) {
  std::lock_guard lock(mu_);
  auto it = map_.find(digest);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

void MemoryDedupIndex::insert(const crypto::Digest& digest, const ChunkPointer& ptr) {
  std::lock_guard lock(mu_);
  map_.emplace(digest, ptr);
}

size_t MemoryDedupIndex::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

}  // namespace infinitree::stream
