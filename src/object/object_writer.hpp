// Packs sealed chunks into 4 MiB objects of one kind and hands full objects to the backend.
// flush() also uploads the open, partly filled object (padded), and keeps filling it: the
// next flush rewrites it under the same id with the new chunks added, so small commits do
// not each cost a new 4 MiB object.
//
// Appends from many threads run in parallel: a chunk's place in the open object is
// reserved under a short lock, then sealed outside it into that reserved region. The
// thread that finishes the last reservation of a full object uploads it. An object whose
// upload failed stays in memory (its chunks stay readable) and is retried by flush(), so a
// failed commit loses nothing and can simply be retried.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "crypto/secret.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

class ObjectWriter {
 public:
  ObjectWriter(std::shared_ptr<Backend> backend, ChunkKind kind, const crypto::SecretKey& key);
  ~ObjectWriter();

  // Largest stored (already compressed) chunk that fits in one object of this kind.
  uint32_t capacity() const { return kObjectSize - data_start_; }

  // Seals `stored` (the compressed or raw chunk bytes) and places it in an object.
  // `ptr` carries plain_size, compression and hash; object, offset, stored_size and tag
  // are filled in. Thread-safe.
  ChunkPointer append(ByteView stored, ChunkPointer ptr);

  // Uploads the open object (padded) and retries failed uploads; throws the first error.
  void flush();

  // Copies a chunk's ciphertext from an object not yet handed to the backend; returns
  // false if the object is not held here.
  bool read_unflushed(const ChunkPointer& ptr, uint8_t* out) const;

  uint64_t objects_written() const;

 private:
  struct OpenObject;
  std::shared_ptr<OpenObject> start_object_locked();
  // Uploads the final, padded version of a full object once no seal is in progress and
  // no upload of it is running. Called with the lock held; drops it while uploading.
  void maybe_retire_locked(const std::shared_ptr<OpenObject>& obj,
                           std::unique_lock<std::mutex>& lock);
  // Writes `snapshot` (or the object's own buffer) covering chunks up to `used`.
  void upload(const std::shared_ptr<OpenObject>& obj,
              const std::shared_ptr<std::vector<uint8_t>>& snapshot, uint32_t used);

  std::shared_ptr<Backend> backend_;
  ChunkKind kind_;
  crypto::SecretKey key_;
  uint32_t data_start_;

  mutable std::mutex mu_;
  std::condition_variable changed_;  // a seal or an upload finished
  std::shared_ptr<OpenObject> current_;
  // Objects not yet safely in the backend: sealing, uploading, or failed. Reads of their
  // chunks are served from here.
  std::map<ObjectId, std::shared_ptr<OpenObject>> held_;
  uint64_t objects_written_ = 0;
};

}  // namespace infinitree
