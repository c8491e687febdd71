// Writes a byte stream of any length as deduplicated, content-defined storage chunks.
//
// Pipeline: the caller's thread runs the chunker (cheap, sequential by nature) and hands
// each chunk to a worker pool, where it is hashed (keyed), looked up in the dedup index,
// and, when new, compressed and sealed by ChunkStore::write. Results are collected in
// stream order, so the chunk list is independent of scheduling. Memory is bounded: write()
// blocks while max_in_flight_bytes of chunks are queued or being sealed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "object/chunk_store.hpp"
#include "stream/chunker.hpp"
#include "stream/dedup_index.hpp"
#include "stream/list_builder.hpp"
#include "stream/stream_ref.hpp"
#include "stream/thread_pool.hpp"

namespace infinitree::stream {

struct StreamOptions {
  ChunkerParams chunker = ChunkerParams::defaults();
  // Chunk bytes handed to workers and not yet stored. At least one chunk is always
  // allowed, so a value below max chunk size only serializes the pipeline.
  size_t max_in_flight_bytes = 64 * 1024 * 1024;
  // Workers: `pool` if set; else a private pool of `threads` if non-zero; else the
  // process-wide ThreadPool::shared() (hardware_concurrency threads).
  size_t threads = 0;
  std::shared_ptr<ThreadPool> pool;
  // Entries per chunk-list page (102 bytes each): 1024 -> ~100 KiB pages, ~1 GiB of
  // stream per page at the default chunk sizes. 8 .. fits in an index chunk.
  size_t entries_per_page = 1024;
};

struct StreamStats {
  uint64_t bytes_in = 0;       // stream bytes written
  uint64_t bytes_new = 0;      // plaintext bytes of chunks actually stored (not deduplicated)
  uint64_t bytes_stored = 0;   // ciphertext bytes of those chunks (after compression)
  uint64_t chunks = 0;         // data chunks in the stream
  uint64_t chunks_new = 0;     // of which were stored (the rest were duplicates)
  uint64_t list_pages = 0;     // index chunks written for the chunk list

  // bytes_in / bytes_new: 1 when nothing deduplicated; infinity when everything did.
  double dedup_ratio() const;
};

// One StreamWriter is used by one thread at a time. Do not drive a writer from a task of
// the pool it uses: write() waits for that pool's workers.
class StreamWriter {
 public:
  // `index` may be null: then only duplicates within this stream are found.
  // Throws Error(invalid_argument) on bad options.
  StreamWriter(std::shared_ptr<ChunkStore> store, std::shared_ptr<DedupIndex> index,
               StreamOptions options = {});
  // Without finish(), the stream is abandoned: in-flight work is waited for and dropped
  // (chunks already stored stay as garbage until GC).
  ~StreamWriter();
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  // Any amount, any number of times. Blocks for back-pressure. Rethrows the first error
  // a worker met (then the writer is unusable); Error(closed) after finish().
  void write(ByteView data);
  // Stores the rest, waits for every chunk, writes the chunk list and returns the ref.
  // The chunks are in the store's open objects: ChunkStore::flush() makes them durable
  // (the tree's commit does that).
  StreamRef finish();

  // Counters so far (complete after finish()).
  StreamStats stats() const;

 private:
  struct Shared;
  void emit(ByteView chunk);
  void drain_completed();
  void wait_idle();
  void rethrow_if_failed();

  std::shared_ptr<ChunkStore> store_;
  StreamOptions options_;
  Chunker chunker_;
  std::shared_ptr<ThreadPool> pool_;
  std::shared_ptr<Shared> shared_;
  ListBuilder list_;
  Bytes buf_;             // carries bytes until a full max-size window is available
  size_t buf_begin_ = 0;  // bytes of buf_ before this are already chunked
  uint64_t bytes_in_ = 0;
  bool finished_ = false;
};

// Convenience: one-shot write of a buffer.
StreamRef write_stream(std::shared_ptr<ChunkStore> store, std::shared_ptr<DedupIndex> index,
                       ByteView data, StreamOptions options = {});

}  // namespace infinitree::stream
