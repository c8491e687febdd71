// Chunk compression (LZ4 by default, zstd optionally), always through the libraries.
#pragma once

#include "object/chunk_pointer.hpp"
#include "util/bytes.hpp"

namespace infinitree {

// Compresses `in` into `out` and returns true, or returns false when compression would not
// make it smaller (the chunk is then stored as it is) or `method` is none.
bool compress_chunk(Compression method, ByteView in, Bytes& out);

// Decompresses exactly `plain_size` bytes into `out`; throws Error(corrupt) otherwise.
void decompress_chunk(Compression method, ByteView in, uint8_t* out, size_t plain_size);

bool compression_available(Compression method);

}  // namespace infinitree
