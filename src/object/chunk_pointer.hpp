// Where a chunk lives and how to check it: the only way anything finds data.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "infinitree/backend.hpp"
#include "util/bytes.hpp"

namespace infinitree {

// Which subkey seals a chunk, and which kind of object holds it.
enum class ChunkKind : uint8_t {
  index = 0,    // tree nodes, commit records: index objects, index subkey
  storage = 1,  // stream data: storage objects, storage subkey
};

enum class Compression : uint8_t {
  none = 0,
  lz4 = 1,
  zstd = 2,
};

struct ChunkPointer {
  ObjectId object;            // which object
  uint32_t offset = 0;        // where the ciphertext starts in it
  uint32_t stored_size = 0;   // ciphertext length (== compressed length)
  uint32_t plain_size = 0;    // length after decompression
  Compression compression = Compression::none;
  ChunkKind kind = ChunkKind::index;
  crypto::Digest hash{};      // keyed content hash of the plaintext
  crypto::Tag tag{};          // AEAD tag

  static constexpr size_t kEncodedSize = 32 + 4 + 4 + 4 + 1 + 1 + 32 + 16;  // 94

  // Fixed little-endian layout documented in docs/format.md.
  void encode_to(uint8_t* out) const;
  Bytes encode() const;
  // Throws Error(corrupt) on a wrong length or an unknown enum value.
  static ChunkPointer decode(ByteView in);

  bool operator==(const ChunkPointer& o) const = default;
};

struct ChunkPointerHash {
  size_t operator()(const ChunkPointer& p) const noexcept {
    size_t h;
    std::memcpy(&h, p.hash.data(), sizeof h);
    return h ^ p.offset;
  }
};

}  // namespace infinitree
