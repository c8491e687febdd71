// Chunk decompression (the bytes after decryption; a damaged or hostile store may hold
// anything there). Input: method (u8), plain size (u32le, capped at a chunk's maximum),
// then the compressed bytes.
#include <memory>

#include "fuzz_common.hpp"
#include "object/compression.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const auto method = static_cast<Compression>(in.u8() % 3);
  const size_t plain_size = in.u32() % (4u << 20);
  if (!compression_available(method)) return 0;
  // Uninitialized, as in ChunkStore::read: zero-filling 4 MiB per input would dominate the run.
  std::unique_ptr<uint8_t[]> out(new uint8_t[plain_size ? plain_size : 1]);
  fuzz::expect_only_errors([&] { decompress_chunk(method, in.rest(), out.get(), plain_size); });
  return 0;
}
