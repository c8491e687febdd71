// Where a stream writer looks up chunks it may already have stored: keyed content hash ->
// chunk pointer. The keyed hash (ChunkStore::content_hash) means the index, even if it
// leaked, confirms no guessed plaintext. The tree layer provides a persistent index kept
// in a B-tree map, so dedup spans streams, files and commits; MemoryDedupIndex serves
// tests and one-shot tools.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "crypto/hash.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree::stream {

// Implementations must be thread-safe: the writer's workers call find and insert
// concurrently, and several writers may share one index.
class DedupIndex {
 public:
  virtual ~DedupIndex() = default;
  virtual std::optional<ChunkPointer> find(const crypto::Digest& digest) = 0;
  // Records a freshly stored chunk. Inserting a digest that exists keeps either pointer
  // (both name identical plaintext).
  virtual void insert(const crypto::Digest& digest, const ChunkPointer& ptr) = 0;
};

struct DigestHash {
  size_t operator()(const crypto::Digest& d) const noexcept {
    size_t h;
    std::memcpy(&h, d.data(), sizeof h);  // already a uniform keyed hash
    return h;
  }
};

class MemoryDedupIndex final : public DedupIndex {
 public:
  std::optional<ChunkPointer> find(const crypto::Digest& digest) override;
  void insert(const crypto::Digest& digest, const ChunkPointer& ptr) override;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<crypto::Digest, ChunkPointer, DigestHash> map_;
};

}  // namespace infinitree::stream
