#include "object/format.hpp"

#include <cstring>
#include <string_view>

#include "crypto/hash.hpp"

namespace infinitree {

crypto::Nonce chunk_nonce(const ObjectId& object, uint32_t offset) {
  static constexpr std::string_view kLabel = "infinitree/v1/nonce";
  uint8_t input[kLabel.size() + 32 + 4];
  std::memcpy(input, kLabel.data(), kLabel.size());
  std::memcpy(input + kLabel.size(), object.bytes.data(), 32);
  put_u32le(input + kLabel.size() + 32, offset);
  crypto::Digest d = crypto::sha256({input, sizeof input});
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), d.data(), nonce.size());
  return nonce;
}

void chunk_aad(const ChunkPointer& ptr, uint8_t out[kChunkAadSize]) {
  std::memcpy(out, ptr.object.bytes.data(), 32);
  put_u32le(out + 32, ptr.offset);
  put_u32le(out + 36, ptr.plain_size);
  out[40] = static_cast<uint8_t>(ptr.compression);
  out[41] = static_cast<uint8_t>(ptr.kind);
}

}  // namespace infinitree
