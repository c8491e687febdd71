// Reads chunks back: fetches ciphertext, authenticates it, decompresses, checks the hash.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

class ObjectReader {
 public:
  ObjectReader(std::shared_ptr<Backend> backend, const crypto::KeyRing& keys,
               size_t cached_objects);

  // Opens a chunk whose ciphertext is in `stored` (exactly ptr.stored_size bytes).
  // Throws Error(corrupt) naming the object and offset if anything does not check out.
  Bytes open(const ChunkPointer& ptr, ByteView stored) const;

  // Fetches the ciphertext from the backend. Storage chunks come from whole objects kept
  // in a small LRU (streams read objects front to back); index chunks are read by range
  // (the B-tree caches decoded nodes itself).
  Bytes fetch(const ChunkPointer& ptr);

  // Drops a cached copy of the object, if any.
  void forget(const ObjectId& id);

 private:
  std::shared_ptr<const std::vector<uint8_t>> cached_object(const ObjectId& id);

  std::shared_ptr<Backend> backend_;
  const crypto::KeyRing& keys_;
  size_t capacity_;
  std::mutex mu_;
  std::list<std::pair<ObjectId, std::shared_ptr<const std::vector<uint8_t>>>> lru_;
  std::unordered_map<ObjectId, decltype(lru_)::iterator, ObjectIdHash> index_;
};

}  // namespace infinitree
