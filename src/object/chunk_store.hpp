// The chunk store: what every layer above uses to put bytes at rest and get them back.
// It joins crypto and the backend: a chunk is compressed, sealed with the subkey of its
// kind and appended to the open object of that kind; full objects go to the backend.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_pointer.hpp"
#include "object/object_namer.hpp"
#include "object/object_reader.hpp"
#include "object/object_writer.hpp"

namespace infinitree {

struct ChunkStoreStats {
  uint64_t chunks_written = 0;
  uint64_t plain_bytes_written = 0;   // before compression
  uint64_t stored_bytes_written = 0;  // ciphertext bytes appended to objects
  uint64_t objects_written = 0;
  uint64_t chunks_read = 0;
};

struct ChunkStoreOptions {
  Compression compression = Compression::lz4;
  size_t object_cache_objects = 8;  // whole objects kept by the reader's LRU
};

// Thread-safe: any number of threads may write and read at once.
class ChunkStore {
 public:
  ChunkStore(std::shared_ptr<Backend> backend, const crypto::KeyRing& keys,
             ChunkStoreOptions options = {});
  ~ChunkStore();

  // Largest plaintext one chunk may hold (an incompressible chunk must fit in one object).
  static size_t max_chunk_size(ChunkKind kind);

  // Throws Error(too_large) above max_chunk_size(kind).
  ChunkPointer write(ChunkKind kind, ByteView plaintext);
  // The same with the content hash already computed (the stream layer hashes every chunk
  // for its dedup lookup first). `hash` must be content_hash(plaintext): a wrong one is
  // stored as given and every later read of the chunk fails as corrupt.
  ChunkPointer write(ChunkKind kind, ByteView plaintext, const crypto::Digest& hash);

  // Reads, authenticates, decompresses and checks the hash. Chunks written but not yet
  // flushed are served from the open object. Errors name the object id and offset:
  // object_missing, object_truncated, corrupt.
  Bytes read(const ChunkPointer& ptr);

  // Pads and hands every open object to the backend, then waits for the backend (sync).
  // After flush() returns, every pointer returned so far is durable.
  void flush();

  // The keyed content hash, as stored in pointers (for dedup lookups before writing).
  crypto::Digest content_hash(ByteView plaintext) const;

  ChunkStoreStats stats() const;

  // Handover of open objects between writers (see ObjectWriter).
  struct OpenObject {
    ChunkKind kind = ChunkKind::index;
    ObjectId id;
    uint32_t fill = 0;
  };
  std::vector<OpenObject> open_objects() const;  // after flush(): what a root may record
  void adopt(const OpenObject& obj);             // before the first write
  void stop_writing();                           // further writes throw closed
  void rotate_open_objects();                    // next writes go to fresh objects

  // Whether this tree minted `id` (ObjectNamer): prune's test before deleting anything.
  bool is_ours(const ObjectId& id) const { return namer_.is_ours(id); }
  Backend& backend() { return *backend_; }
  std::shared_ptr<Backend> backend_ptr() const { return backend_; }
  const crypto::KeyRing& keys() const { return keys_; }

 private:
  std::shared_ptr<Backend> backend_;
  crypto::KeyRing keys_;
  ChunkStoreOptions options_;
  ObjectNamer namer_;
  std::unique_ptr<ObjectWriter> index_writer_;
  std::unique_ptr<ObjectWriter> storage_writer_;
  std::unique_ptr<ObjectReader> reader_;
  std::atomic<uint64_t> chunks_read_{0};
  std::atomic<uint64_t> chunks_written_{0};
  std::atomic<uint64_t> plain_bytes_written_{0};
  std::atomic<uint64_t> stored_bytes_written_{0};
};

}  // namespace infinitree
