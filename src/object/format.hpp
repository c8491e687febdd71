// Constants and derivations of the object format shared by the writer and the reader
// (docs/format.md describes them byte by byte).
#pragma once

#include <cstdint>

#include "crypto/aead.hpp"
#include "object/chunk_pointer.hpp"

namespace infinitree {

// Version of the on-disk format, sealed in the root record. 2 added the handover of open
// objects, forgotten commits, deferred deletions, stream-flagged leaf values and
// recognisable object names; version 1 trees are read and upgraded by the next root write.
// 3 moves the state of a tree with key slots into a state root of its own (docs/format.md,
// "Key slots"); a tree keeps the single-credential layout, version 2, until its first slot
// change.
constexpr uint32_t kFormatVersion = 3;
constexpr uint32_t kSingleCredentialFormatVersion = 2;
constexpr uint32_t kOldestReadableFormatVersion = 1;

// Index objects start with a header region. In the root object it holds the sealed root
// record; in every other index object it is random bytes. Storage objects have none.
constexpr uint32_t kIndexHeaderSize = 4096;

inline uint32_t object_data_start(ChunkKind kind) {
  return kind == ChunkKind::index ? kIndexHeaderSize : 0;
}

// The chunk nonce: the first 12 bytes of SHA-256("infinitree/v1/nonce" || object id ||
// offset). Object ids are random and never reused and each offset of an object is sealed
// once, so a nonce repeats only if two 96-bit hash prefixes collide (as likely as for
// random nonces), and nothing about it needs storing.
crypto::Nonce chunk_nonce(const ObjectId& object, uint32_t offset);

// Associated data: binds the ciphertext to where it lives and to how it decodes, so a
// chunk cannot be moved, swapped or re-labelled without failing authentication.
// Layout: object id (32) | offset u32le | plain size u32le | compression u8 | kind u8.
constexpr size_t kChunkAadSize = 32 + 4 + 4 + 1 + 1;
void chunk_aad(const ChunkPointer& ptr, uint8_t out[kChunkAadSize]);

}  // namespace infinitree
