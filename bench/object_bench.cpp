// Issue 2's benchmark: write and read back N MiB (default 1024) in 64 KiB chunks, half
// compressible and half random, through the chunk store on the memory and the directory
// backends, beside the bare OpenSSL ChaCha20-Poly1305 + HMAC-SHA256 + LZ4 calls on the
// same data in the same run. One thread. Prints MB/s and the ratio to the bare pipeline.
//
//   object_bench [--mib N] [--dir PATH]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <lz4.h>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "crypto/kdf.hpp"
#include "crypto/random.hpp"
#include "object/chunk_store.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kChunk = 64 * 1024;

std::vector<Bytes> make_pool(size_t count) {
  std::vector<Bytes> pool;
  std::mt19937 rng(42);
  static const char* words[] = {"moisture ", "leaf ", "temperature ", "fern ", "0.42 ", "sunlight ", "soil "};
  for (size_t i = 0; i < count; ++i) {
    if (i % 2 == 0) {
      Bytes b;
      b.reserve(kChunk);
      while (b.size() < kChunk) {
        const char* w = words[rng() % 7];
        for (const char* p = w; *p && b.size() < kChunk; ++p) b.push_back(static_cast<uint8_t>(*p));
      }
      pool.push_back(std::move(b));
    } else {
      pool.push_back(crypto::random_bytes(kChunk));
    }
  }
  return pool;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Result {
  double write_mbs, read_mbs;
};

Result bare_pipeline(const std::vector<Bytes>& pool, size_t chunks, const crypto::KeyRing& keys) {
  std::vector<uint8_t> compressed(LZ4_compressBound(kChunk));
  std::vector<uint8_t> sealed(kChunk + 64);
  std::vector<std::vector<uint8_t>> kept(pool.size());
  std::vector<crypto::Tag> tags(pool.size());
  std::vector<int> sizes(pool.size());
  crypto::Nonce nonce{};
  auto t0 = Clock::now();
  for (size_t i = 0; i < chunks; ++i) {
    const Bytes& p = pool[i % pool.size()];
    auto h = crypto::keyed_hash(keys.hash_key, p);
    (void)h;
    int n = LZ4_compress_default(reinterpret_cast<const char*>(p.data()),
                                 reinterpret_cast<char*>(compressed.data()), static_cast<int>(p.size()),
                                 static_cast<int>(compressed.size()));
    const uint8_t* in = compressed.data();
    if (n <= 0 || static_cast<size_t>(n) >= p.size()) {
      in = p.data();
      n = static_cast<int>(p.size());
    }
    std::memcpy(nonce.data(), &i, sizeof i);
    auto tag = crypto::aead_seal(keys.index_key, nonce, {}, in, static_cast<size_t>(n), sealed.data());
    if (i < pool.size()) {
      kept[i].assign(sealed.begin(), sealed.begin() + n);
      tags[i] = tag;
      sizes[i] = n == static_cast<int>(p.size()) ? -1 : n;
    }
  }
  double w = seconds_since(t0);
  std::vector<uint8_t> plain(kChunk), opened(kChunk);
  auto t1 = Clock::now();
  for (size_t i = 0; i < chunks; ++i) {
    size_t j = i % pool.size();
    std::memcpy(nonce.data(), &j, sizeof j);
    if (!crypto::aead_open(keys.index_key, nonce, {}, kept[j].data(), kept[j].size(), tags[j], opened.data()))
      std::abort();
    if (sizes[j] >= 0)
      LZ4_decompress_safe(reinterpret_cast<const char*>(opened.data()), reinterpret_cast<char*>(plain.data()),
                          sizes[j], kChunk);
    auto h = crypto::keyed_hash(keys.hash_key, sizes[j] >= 0 ? ByteView(plain) : ByteView(opened));
    (void)h;
  }
  double r = seconds_since(t1);
  double mb = double(chunks) * kChunk / 1e6;
  return {mb / w, mb / r};
}

Result through_store(std::shared_ptr<Backend> backend, const std::vector<Bytes>& pool, size_t chunks,
                     const crypto::KeyRing& keys) {
  std::vector<ChunkPointer> ptrs;
  ptrs.reserve(chunks);
  auto t0 = Clock::now();
  {
    ChunkStore store(backend, keys);
    for (size_t i = 0; i < chunks; ++i) ptrs.push_back(store.write(ChunkKind::storage, pool[i % pool.size()]));
    store.flush();
  }
  double w = seconds_since(t0);
  ChunkStore store(backend, keys);  // fresh: nothing cached
  auto t1 = Clock::now();
  for (size_t i = 0; i < chunks; ++i) {
    Bytes b = store.read(ptrs[i]);
    if (b.size() != kChunk) std::abort();
  }
  double r = seconds_since(t1);
  double mb = double(chunks) * kChunk / 1e6;
  return {mb / w, mb / r};
}

}  // namespace

int main(int argc, char** argv) {
  size_t mib = 1024;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "infinitree-object-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--mib")) mib = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  size_t chunks = mib * 1024 * 1024 / kChunk;
  auto pool = make_pool(1024);
  auto keys = crypto::KeyRing::from_master(crypto::SecretKey::random());
  std::printf("object_bench: %zu MiB in %zu chunks of 64 KiB, half compressible, one thread\n", mib, chunks);

  Result bare = bare_pipeline(pool, chunks, keys);
  std::printf("%-28s write %8.1f MB/s   read %8.1f MB/s\n", "bare LZ4+ChaCha20-Poly1305+HMAC", bare.write_mbs, bare.read_mbs);
  Result mem = through_store(make_memory_backend(), pool, chunks, keys);
  std::printf("%-28s write %8.1f MB/s   read %8.1f MB/s   (%.0f%% / %.0f%% of bare)\n", "chunk store, memory",
              mem.write_mbs, mem.read_mbs, 100 * mem.write_mbs / bare.write_mbs, 100 * mem.read_mbs / bare.read_mbs);
  std::filesystem::remove_all(dir);
  Result d = through_store(make_directory_backend(dir), pool, chunks, keys);
  std::printf("%-28s write %8.1f MB/s   read %8.1f MB/s   (%.0f%% / %.0f%% of bare)\n", "chunk store, directory",
              d.write_mbs, d.read_mbs, 100 * d.write_mbs / bare.write_mbs, 100 * d.read_mbs / bare.read_mbs);
  std::filesystem::remove_all(dir);
  return 0;
}
