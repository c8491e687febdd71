// Chunk pointer (94 bytes, in nodes, commits, lists) -> ChunkPointer::decode; stable
// across re-encoding.
#include "fuzz_common.hpp"
#include "object/chunk_pointer.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::expect_only_errors([&] {
    ChunkPointer p = ChunkPointer::decode({data, size});
    Bytes enc = p.encode();
    fuzz::require(ChunkPointer::decode(enc).encode() == enc, "chunk pointer changes across encode/decode");
  });
  return 0;
}
