// Shared by the stream tests: stores over the memory backend, deterministic fast data,
// error capture and object tampering.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "object/chunk_store.hpp"
#include "stream/stream_reader.hpp"
#include "stream/stream_writer.hpp"
#include "test_util.hpp"

namespace infinitree::stream::testing {

struct TestStore {
  std::shared_ptr<Backend> backend = make_memory_backend();
  crypto::KeyRing keys = crypto::KeyRing::from_master(crypto::SecretKey::random());
  std::shared_ptr<ChunkStore> store = std::make_shared<ChunkStore>(backend, keys);
  std::shared_ptr<MemoryDedupIndex> index = std::make_shared<MemoryDedupIndex>();

  // A store over the same backend with no cached objects or open buffers: what a new
  // process sees after flush().
  std::shared_ptr<ChunkStore> fresh() const { return std::make_shared<ChunkStore>(backend, keys); }
};

// splitmix64: fast, deterministic, incompressible-looking bytes.
inline Bytes pseudo_random(size_t n, uint64_t seed) {
  Bytes out(n);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  size_t i = 0;
  while (i < n) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    for (int k = 0; k < 8 && i < n; ++k) out[i++] = static_cast<uint8_t>(z >> (8 * k));
  }
  return out;
}

// Like a folder of files: blocks of random bytes, text and zeros.
inline Bytes mixed_data(size_t n, uint64_t seed) {
  Bytes out;
  out.reserve(n);
  uint64_t block = 0;
  while (out.size() < n) {
    const size_t len = std::min<size_t>(n - out.size(), 200 * 1024 + (seed * 7919 + block * 104729) % (900 * 1024));
    Bytes part;
    switch ((seed + block) % 3) {
      case 0: part = pseudo_random(len, seed * 1000 + block); break;
      case 1: part = infinitree::testing::compressible_data(len, static_cast<uint32_t>(seed + block)); break;
      default: part.assign(len, 0); break;
    }
    out.insert(out.end(), part.begin(), part.end());
    ++block;
  }
  return out;
}

using ::infinitree::testing::error_of;

inline bool soak() {
  const char* v = std::getenv("INFINITREE_SOAK");
  return v && std::string(v) == "1";
}

// Small chunks so tests exercise many chunks and deep lists without much data.
inline StreamOptions small_chunks(size_t fanout = 8) {
  StreamOptions o;
  o.chunker.min_size = 2 * 1024;
  o.chunker.avg_size = 8 * 1024;
  o.chunker.max_size = 32 * 1024;
  o.entries_per_page = fanout;
  o.max_in_flight_bytes = 256 * 1024;
  return o;
}

inline Bytes roundtrip(TestStore& t, ByteView data, const StreamOptions& options = {}) {
  StreamRef ref = write_stream(t.store, t.index, data, options);
  return read_stream(t.store, ref);
}

}  // namespace infinitree::stream::testing
