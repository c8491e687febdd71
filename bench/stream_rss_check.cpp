// Bounded memory check for streams (run by scripts/check_stream_rss.sh):
//   stream_rss_check --dir PATH [--gib 2] [--bound-mib 256] [--no-verify]
// Streams generated data (never held whole in memory) through StreamWriter into a
// directory backend with the default options, flushes, then reads it all back through
// StreamReader comparing with the regenerated data. Prints the peak RSS (VmHWM) after
// each phase and exits 1 if it went over the bound, 2 on a mismatch or bad usage.
#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "crypto/kdf.hpp"
#include "infinitree/backend.hpp"
#include "object/chunk_store.hpp"
#include "stream/stream_reader.hpp"
#include "stream/stream_writer.hpp"

using namespace infinitree;

namespace {

// Current resident memory split (anonymous vs file-backed), for diagnosing a high peak.
std::string rss_breakdown() {
  std::ifstream in("/proc/self/status");
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("RssAnon:", 0) == 0 || line.rfind("RssFile:", 0) == 0) out += line + "  ";
  struct mallinfo2 mi = mallinfo2();
  out += "malloc in use " + std::to_string(mi.uordblks >> 20) + " MiB, free in heaps " +
         std::to_string(mi.fordblks >> 20) + " MiB, mmapped " + std::to_string(mi.hblkhd >> 20) +
         " MiB";
  return out;
}

long vm_hwm_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// Block b of the data (1 MiB): random, text-like or zero, deterministic in b. In every
// window of 64 blocks the last 16 repeat the first 16, so dedup has runs to find.
void make_block(uint64_t b, uint8_t* out, size_t n) {
  if (b % 64 >= 48) b -= 48;
  const unsigned kind = b % 5;
  uint64_t x = b * 0x9E3779B97F4A7C15ull + 7;
  if (kind == 4) {
    std::memset(out, 0, n);
    return;
  }
  for (size_t i = 0; i < n; i += 8) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    if (kind >= 2) z &= 0x0707070707070707ull;  // low-entropy, compressible
    std::memcpy(out + i, &z, std::min<size_t>(8, n - i));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  uint64_t gib = 2;
  uint64_t mib = 0;  // overrides --gib when set
  long bound_mib = 256;
  bool verify = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--gib" && i + 1 < argc) gib = std::stoull(argv[++i]);
    else if (a == "--mib" && i + 1 < argc) mib = std::stoull(argv[++i]);
    else if (a == "--bound-mib" && i + 1 < argc) bound_mib = std::stol(argv[++i]);
    else if (a == "--no-verify") verify = false;
    else dir.clear(), i = argc;
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: %s --dir PATH [--gib N | --mib N] [--bound-mib M] [--no-verify]\n", argv[0]);
    return 2;
  }
  const size_t block = 1 << 20;
  const uint64_t blocks = mib ? mib : gib << 10;
  auto store = std::make_shared<ChunkStore>(
      make_directory_backend(dir), crypto::KeyRing::from_master(crypto::SecretKey::random()));
  auto index = std::make_shared<stream::MemoryDedupIndex>();
  Bytes buf(block);

  stream::StreamWriter writer(store, index);  // default options: 64 MiB in flight
  for (uint64_t b = 0; b < blocks; ++b) {
    make_block(b, buf.data(), block);
    writer.write(buf);
  }
  stream::StreamRef ref = writer.finish();
  const uint64_t uploaded_before_flush = store->stats().objects_written;
  store->flush();
  std::printf("objects uploaded while writing: %llu, at flush: %llu\n",
              static_cast<unsigned long long>(uploaded_before_flush),
              static_cast<unsigned long long>(store->stats().objects_written - uploaded_before_flush));
  const stream::StreamStats st = writer.stats();
  const long after_write = vm_hwm_kib();
  std::printf("wrote %llu MiB: %llu chunks (%llu new), %llu list pages, ref %zu bytes, dedup %.2fx\n",
              static_cast<unsigned long long>(st.bytes_in >> 20),
              static_cast<unsigned long long>(st.chunks),
              static_cast<unsigned long long>(st.chunks_new),
              static_cast<unsigned long long>(st.list_pages), ref.encode().size(),
              st.dedup_ratio());
  std::printf("peak RSS after write: %ld MiB (bound %ld MiB); now %s\n", after_write / 1024,
              bound_mib, rss_breakdown().c_str());

  if (verify) {
    stream::StreamReader reader(store, ref);
    Bytes got(block), want(block);
    for (uint64_t b = 0; b < blocks; ++b) {
      make_block(b, want.data(), block);
      size_t n = 0;
      while (n < block) {
        size_t r = reader.read(got.data() + n, block - n);
        if (r == 0) break;
        n += r;
      }
      if (n != block || got != want) {
        std::fprintf(stderr, "MISMATCH in block %llu\n", static_cast<unsigned long long>(b));
        return 2;
      }
    }
    std::printf("read back and compared %llu MiB: ok\n", static_cast<unsigned long long>(blocks));
  }
  const long peak = vm_hwm_kib();
  std::printf("peak RSS overall: %ld MiB (bound %ld MiB)\n", peak / 1024, bound_mib);
  if (peak < 0 || peak / 1024 > bound_mib) {
    std::printf("FAIL: over the bound\n");
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}
