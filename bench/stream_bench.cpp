// Store throughput of the stream pipeline against the bare crypto pipeline on the same
// bytes and threads. A plain timed executable (no framework):
//   stream_bench [--mib N] [--threads T] [--dir PATH] [--dump FILE]
// Without --dir objects go to a backend that discards them, so the figure is the
// pipeline's, not the disk's; with --dir the stream is also read back sequentially. Data: 1 MiB blocks, 50% random, 40% text, 10% zeros.
#include <lz4.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "crypto/kdf.hpp"
#include "crypto/random.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "object/chunk_store.hpp"
#include "stream/chunker.hpp"
#include "stream/stream_reader.hpp"
#include "stream/stream_writer.hpp"
#include "util/parallel_for.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

// Accepts and drops every object (counts them): measures the pipeline, not a disk.
class NullBackend final : public Backend {
 public:
  void write_object(const ObjectId&, std::span<const uint8_t> data) override {
    bytes += data.size();
  }
  std::shared_ptr<const std::vector<uint8_t>> read_object(const ObjectId& id) override {
    throw Error(Errc::object_missing, "null backend keeps nothing: " + id.hex());
  }
  void delete_object(const ObjectId&) override {}
  bool has_object(const ObjectId&) override { return false; }
  std::vector<ObjectId> list_objects() override { return {}; }
  std::string describe() const override { return "null"; }
  std::atomic<uint64_t> bytes{0};
};

void fill_random(uint8_t* p, size_t n, uint64_t seed) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    std::memcpy(p + i, &z, std::min<size_t>(8, n - i));
  }
}

void fill_text(uint8_t* p, size_t n, uint64_t seed) {
  static const char* words[] = {"plant ", "health ", "leaf ", "soil ", "water ", "sun ",
                                "42 ",    "root ",   "stem ", "light "};
  uint64_t x = seed + 12345;
  size_t i = 0;
  while (i < n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const char* w = words[(x >> 33) % 10];
    for (; *w && i < n; ++w) p[i++] = static_cast<uint8_t>(*w);
  }
}

Bytes mixed_data(size_t n) {
  Bytes out(n);
  const size_t block = 1 << 20;
  for (size_t off = 0, b = 0; off < n; off += block, ++b) {
    const size_t len = std::min(block, n - off);
    const unsigned kind = (b * 7) % 10;  // 0-4 random, 5-8 text, 9 zeros
    if (kind < 5)
      fill_random(out.data() + off, len, b);
    else if (kind < 9)
      fill_text(out.data() + off, len, b);
    else
      std::memset(out.data() + off, 0, len);
  }
  return out;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds of the whole process (all threads): on a shared machine this says more
// than the wall clock.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double mbps(size_t bytes, double s) { return static_cast<double>(bytes) / 1e6 / s; }

// LZ4 + ChaCha20-Poly1305 + HMAC-SHA256 of each 1 MiB piece, spread over `threads`.
double bare_pipeline(const Bytes& data, size_t threads, const crypto::KeyRing& keys) {
  const size_t piece = 1 << 20;
  const size_t pieces = (data.size() + piece - 1) / piece;
  threads = std::max<size_t>(threads, 1);
  std::atomic<uint64_t> sink{0};
  // One compression buffer per worker, made before the clock starts.
  std::vector<Bytes> scratch(threads,
                             Bytes(static_cast<size_t>(LZ4_compressBound(static_cast<int>(piece)))));
  auto t0 = Clock::now();
  util::parallel_for(pieces, static_cast<unsigned>(threads), [&](size_t i, unsigned worker) {
    Bytes& comp = scratch[worker];
    const uint8_t* p = data.data() + i * piece;
    const size_t n = std::min(piece, data.size() - i * piece);
    crypto::Digest h = crypto::keyed_hash(keys.hash_key, ByteView(p, n));
    int c = LZ4_compress_default(reinterpret_cast<const char*>(p),
                                 reinterpret_cast<char*>(comp.data()), static_cast<int>(n),
                                 static_cast<int>(comp.size()));
    size_t len = n;
    if (c > 0 && static_cast<size_t>(c) < n) {
      len = static_cast<size_t>(c);
    } else {
      std::memcpy(comp.data(), p, n);
    }
    crypto::Nonce nonce{};
    crypto::random_fill(nonce.data(), nonce.size());
    crypto::Tag tag = crypto::aead_seal(keys.storage_key, nonce, ByteView(h), comp.data(),
                                        len, comp.data());
    sink += tag[0] + len;
  });
  const double s = seconds_since(t0);
  if (sink.load() == 0) std::puts("");  // keep the work observable
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  size_t mib = 1024;
  size_t threads = std::thread::hardware_concurrency();
  std::string dir;
  std::string dump;  // writes the generated data to this file and exits (to feed restic)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mib" && i + 1 < argc) mib = std::stoul(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::stoul(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--dump" && i + 1 < argc) dump = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--mib N] [--threads T] [--dir PATH] [--dump FILE]\n", argv[0]);
      return 2;
    }
  }
  if (threads == 0) threads = 1;
  std::printf("generating %zu MiB of mixed data...\n", mib);
  const Bytes data = mixed_data(mib << 20);
  if (!dump.empty()) {
    FILE* f = std::fopen(dump.c_str(), "wb");
    if (!f || std::fwrite(data.data(), 1, data.size(), f) != data.size() || std::fclose(f) != 0) {
      std::perror(dump.c_str());
      return 1;
    }
    std::printf("wrote %s\n", dump.c_str());
    return 0;
  }
  auto keys = crypto::KeyRing::from_master(crypto::SecretKey::random());

  // Chunker alone, one thread.
  {
    stream::Chunker chunker(stream::ChunkerParams{});
    auto t0 = Clock::now();
    size_t pos = 0, chunks = 0;
    while (pos < data.size()) {
      pos += chunker.cut(ByteView(data).subspan(pos));
      ++chunks;
    }
    const double s = seconds_since(t0);
    std::printf("chunker (1 thread):        %8.1f MB/s  %zu chunks, mean %.0f KiB\n",
                mbps(data.size(), s), chunks, static_cast<double>(data.size()) / chunks / 1024);
  }

  const double gib = static_cast<double>(data.size()) / (1 << 30);
  double cpu0 = cpu_seconds();
  const double bare_s = bare_pipeline(data, threads, keys);
  const double bare_cpu = (cpu_seconds() - cpu0) / gib;
  std::printf("bare pipeline (%zu threads): %8.1f MB/s  %.2f CPU s/GiB  (LZ4 + ChaCha20-Poly1305 + HMAC-SHA256, 1 MiB pieces)\n",
              threads, mbps(data.size(), bare_s), bare_cpu);

  std::shared_ptr<Backend> backend;
  if (dir.empty()) backend = std::make_shared<NullBackend>();
  else backend = make_directory_backend(dir);
  auto store = std::make_shared<ChunkStore>(backend, keys);
  auto index = std::make_shared<stream::MemoryDedupIndex>();
  stream::StreamOptions options;
  options.threads = threads;

  auto run = [&](const char* label) {
    auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    stream::StreamWriter writer(store, index, options);
    const size_t block = 1 << 20;
    for (size_t off = 0; off < data.size(); off += block)
      writer.write(ByteView(data).subspan(off, std::min(block, data.size() - off)));
    stream::StreamRef ref = writer.finish();
    store->flush();
    const double s = seconds_since(t0);
    const double cpu = (cpu_seconds() - c0) / gib;
    stream::StreamStats st = writer.stats();
    std::printf("%s %8.1f MB/s  %.2f CPU s/GiB (%.2fx of bare's)  wall %.2fx of bare; %llu chunks, %llu new, dedup %.2fx, stored %.1f%% of input\n",
                label, mbps(data.size(), s), cpu, cpu / bare_cpu, bare_s / s,
                static_cast<unsigned long long>(st.chunks),
                static_cast<unsigned long long>(st.chunks_new), st.dedup_ratio(),
                100.0 * static_cast<double>(st.bytes_stored) / static_cast<double>(data.size()));
    return ref;
  };
  stream::StreamRef ref = run("stream store (new data):  ");
  run("stream store (same again):");
  if (!dir.empty()) {
    // Sequential read back through a fresh store (no cached objects), with read-ahead.
    auto fresh = std::make_shared<ChunkStore>(backend, keys);
    stream::StreamReader reader(fresh, ref);
    Bytes buf(1 << 20);
    auto t0 = Clock::now();
    size_t total = 0;
    bool same = true;
    while (size_t n = reader.read(buf.data(), buf.size())) {
      same = same && std::memcmp(buf.data(), data.data() + total, n) == 0;
      total += n;
    }
    const double s = seconds_since(t0);
    std::printf("stream read (sequential):   %8.1f MB/s  %s\n", mbps(total, s),
                same && total == data.size() ? "bytes match" : "MISMATCH");
  }
  const ChunkStoreStats cs = store->stats();
  std::printf("backend: %s; %llu objects of 4 MiB = %.1f%% of the input (chunks %.1f%%, the rest padding)\n",
              backend->describe().c_str(), static_cast<unsigned long long>(cs.objects_written),
              100.0 * static_cast<double>(cs.objects_written * kObjectSize) / static_cast<double>(data.size()),
              100.0 * static_cast<double>(cs.stored_bytes_written) / static_cast<double>(data.size()));
  return 0;
}
