// ChunkStore::read with hostile pointers over a memory backend holding real objects.
// Start-up writes a few chunks (index and storage, compressed and not) and flushes them.
// Input: which chunk (u8), then up to 94 bytes XORed onto its encoded pointer: the fuzzer
// explores offsets, sizes, kinds, compression, hashes and tags around valid pointers
// while the object ids stay real unless it flips them too.
#include <cstdlib>
#include <memory>
#include <vector>

#include "crypto/kdf.hpp"
#include "fuzz_common.hpp"
#include "object/chunk_store.hpp"

using namespace infinitree;

namespace {

struct Fixture {
  std::shared_ptr<ChunkStore> store;
  std::vector<ChunkPointer> pointers;
  std::vector<Bytes> plaintexts;
};

Bytes text(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>("plant leaf soil "[(i + seed) % 16]);
  return b;
}

Bytes noise(size_t n, uint32_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    b[i] = static_cast<uint8_t>(seed >> 16);
  }
  return b;
}

Fixture& fixture() {
  static Fixture f = [] {
    Fixture x;
    auto keys = crypto::KeyRing::from_master(crypto::SecretKey(Bytes(crypto::kKeySize, 0x5a)));
    x.store = std::make_shared<ChunkStore>(make_memory_backend(), keys);
    auto add = [&](ChunkKind kind, Bytes plain) {
      x.pointers.push_back(x.store->write(kind, plain));
      x.plaintexts.push_back(std::move(plain));
    };
    add(ChunkKind::index, text(300, 1));
    add(ChunkKind::index, noise(5000, 2));
    add(ChunkKind::storage, text(70000, 3));
    add(ChunkKind::storage, noise(40000, 4));
    // An empty chunk: reading it back from an object still held in memory once passed a null
    // pointer to memcpy (UBSan); regression input corpus/chunk_store_read/regress-empty-chunk-read.
    add(ChunkKind::storage, {});
    x.store->flush();
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  fuzz::Input in(data, size);
  const size_t which = in.u8() % f.pointers.size();
  Bytes enc = f.pointers[which].encode();
  ByteView patch = in.rest();
  bool changed = false;
  for (size_t i = 0; i < patch.size() && i < enc.size(); ++i) {
    enc[i] ^= patch[i];
    changed |= patch[i] != 0;
  }
  fuzz::expect_only_errors([&] {
    Bytes got = f.store->read(ChunkPointer::decode(enc));
    // Authentication binds the pointer to the chunk: a changed pointer that still reads
    // must still give the chunk's own plaintext.
    fuzz::require(got == f.plaintexts[which] || changed, "an unchanged pointer read wrong bytes");
    if (!changed) return;
    bool known = false;
    for (const Bytes& p : f.plaintexts) known |= got == p;
    fuzz::require(known, "a hostile pointer read bytes that were never written");
  });
  return 0;
}
