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
//
// Handover: a writer that closes cleanly leaves its open object to the next writer, which
// adopt()s it and keeps appending from where the first one stopped (docs/security.md
// argues why no (object, offset) is ever sealed twice). stop() ends appending for good, so
// the fill offset a root records at close is final.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "crypto/secret.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_pointer.hpp"
#include "object/object_namer.hpp"

namespace infinitree {

class ObjectWriter {
 public:
  ObjectWriter(std::shared_ptr<Backend> backend, ChunkKind kind, const crypto::SecretKey& key,
               ObjectNamer namer);
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

  // Where appending continues: the open object and its fill offset, if it holds chunks.
  struct OpenState {
    ObjectId id;
    uint32_t fill = 0;
  };
  std::optional<OpenState> open_state() const;
  // Continue filling `id` (left by a writer that stopped at `fill`) instead of starting a
  // new object. Its bytes are read from the backend on the first append; if that fails,
  // or the object is not a whole object, appending starts a fresh object instead.
  // Only before the first append.
  void adopt(const ObjectId& id, uint32_t fill);
  // No more appends (they throw closed): the open state is final.
  void stop();
  // Stops appending to the open object (it is uploaded a last time, padded, like a full
  // one); the next append starts a fresh object. Prune does this so the writer's own open
  // objects can be repacked or deleted like any other.
  void rotate();

  // For tests that check the nonce rule across processes and crashes: called after every
  // seal with where it went and its tag. Process-wide; set it before any writer exists.
  using SealObserver = void (*)(const ObjectId& object, uint32_t offset, uint32_t stored_size,
                                const crypto::Tag& tag);
  static void set_seal_observer(SealObserver observer);

 private:
  struct OpenObject;
  std::shared_ptr<OpenObject> start_object_locked();
  // Reads an adopted object's bytes; false if it cannot be used (then it is dropped).
  bool load_adopted_locked(OpenObject& obj);
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
  ObjectNamer namer_;

  mutable std::mutex mu_;
  std::condition_variable changed_;  // a seal or an upload finished
  std::shared_ptr<OpenObject> current_;
  // Objects not yet safely in the backend: sealing, uploading, or failed. Reads of their
  // chunks are served from here.
  std::map<ObjectId, std::shared_ptr<OpenObject>> held_;
  uint64_t objects_written_ = 0;
  bool stopped_ = false;
};

}  // namespace infinitree
