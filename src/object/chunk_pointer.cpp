#include "object/chunk_pointer.hpp"

#include "infinitree/error.hpp"

namespace infinitree {

void ChunkPointer::encode_to(uint8_t* out) const {
  uint8_t* p = out;
  std::memcpy(p, object.bytes.data(), 32); p += 32;
  put_u32le(p, offset); p += 4;
  put_u32le(p, stored_size); p += 4;
  put_u32le(p, plain_size); p += 4;
  *p++ = static_cast<uint8_t>(compression);
  *p++ = static_cast<uint8_t>(kind);
  std::memcpy(p, hash.data(), 32); p += 32;
  std::memcpy(p, tag.data(), 16);
}

Bytes ChunkPointer::encode() const {
  Bytes out(kEncodedSize);
  encode_to(out.data());
  return out;
}

ChunkPointer ChunkPointer::decode(ByteView in) {
  if (in.size() != kEncodedSize)
    throw Error(Errc::corrupt, "chunk pointer has " + std::to_string(in.size()) +
                                   " bytes, expected " + std::to_string(kEncodedSize));
  ChunkPointer ptr;
  const uint8_t* p = in.data();
  std::memcpy(ptr.object.bytes.data(), p, 32); p += 32;
  ptr.offset = get_u32le(p); p += 4;
  ptr.stored_size = get_u32le(p); p += 4;
  ptr.plain_size = get_u32le(p); p += 4;
  uint8_t comp = *p++, kind = *p++;
  if (comp > static_cast<uint8_t>(Compression::zstd) || kind > static_cast<uint8_t>(ChunkKind::storage))
    throw Error(Errc::corrupt, "chunk pointer has an unknown compression or kind");
  ptr.compression = static_cast<Compression>(comp);
  ptr.kind = static_cast<ChunkKind>(kind);
  std::memcpy(ptr.hash.data(), p, 32); p += 32;
  std::memcpy(ptr.tag.data(), p, 16);
  return ptr;
}

}  // namespace infinitree
