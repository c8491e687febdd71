// Reads a stream back: sequentially (read/seek) or at any offset (read_at, thread-safe).
// Chunks are fetched lazily through a small LRU; sequential reads prefetch the next chunk
// on a worker. List pages are fetched on demand and cached, so opening a stream of many
// GiB reads nothing. Every byte returned has been authenticated by the ChunkStore: a
// missing or damaged chunk raises its Error (object_missing, object_truncated, corrupt),
// never wrong bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "infinitree/error.hpp"

#include "object/chunk_store.hpp"
#include "stream/stream_ref.hpp"
#include "stream/thread_pool.hpp"

namespace infinitree::stream {

struct ReaderOptions {
  size_t cache_chunks = 4;  // decoded data chunks kept (each up to ~4 MiB)
  size_t cache_pages = 8;   // decoded list pages kept
  bool read_ahead = true;   // sequential read() prefetches the next chunk
  std::shared_ptr<ThreadPool> pool;  // for read-ahead; default ThreadPool::shared()
};

class StreamReader {
 public:
  StreamReader(std::shared_ptr<ChunkStore> store, StreamRef ref, ReaderOptions options = {});
  ~StreamReader();
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  uint64_t size() const;
  const StreamRef& ref() const;

  // Sequential interface (one thread at a time): reads up to n bytes at the cursor and
  // advances it; returns 0 only at the end (or for n == 0).
  size_t read(uint8_t* buf, size_t n);
  // Moves the cursor; pos may equal size(). Error(invalid_argument) beyond it.
  void seek(uint64_t pos);
  uint64_t tell() const { return pos_; }

  // Random access, safe from any number of threads at once: reads up to n bytes at pos
  // (fewer only at the end); pos > size() is Error(invalid_argument).
  size_t read_at(uint64_t pos, uint8_t* buf, size_t n) const;

  // The whole stream (for small streams and tests).
  Bytes read_all() const;

 private:
  struct Core;
  void start_read_ahead();
  std::shared_ptr<Core> core_;
  uint64_t pos_ = 0;
  uint64_t prefetched_ = UINT64_MAX;  // offset of the last chunk handed to read-ahead
};

// Calls fn for every chunk a stream needs: each list page (index chunk), then the data
// chunks it lists, in stream order. Reads list pages (not data). For GC marking and
// verify. Throws Error(corrupt) if the pages disagree with the ref.
void reachable(ChunkStore& store, const StreamRef& ref,
               const std::function<void(const ChunkPointer&)>& fn);

// Reads and authenticates every chunk of a stream (pages and data), continuing past
// failures: each one is reported to on_problem (a damaged page hides its subtree, which is
// then not counted). For `verify` commands.
struct VerifyResult {
  uint64_t chunks_ok = 0;   // pages and data chunks read and authenticated
  uint64_t problems = 0;    // calls made to on_problem
  uint64_t bytes_ok = 0;    // stream bytes in authenticated data chunks
};
VerifyResult verify(ChunkStore& store, const StreamRef& ref,
                    const std::function<void(const ChunkPointer&, const Error&)>& on_problem);

// Convenience: the whole stream.
Bytes read_stream(std::shared_ptr<ChunkStore> store, const StreamRef& ref);

}  // namespace infinitree::stream
