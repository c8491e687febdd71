#include "object/object_namer.hpp"

#include <cstring>

#include <openssl/crypto.h>

#include "crypto/hash.hpp"
#include "crypto/kdf.hpp"
#include "crypto/random.hpp"

namespace infinitree {

namespace {
constexpr size_t kRandomPart = 16;
}

ObjectNamer::ObjectNamer(const crypto::SecretKey& hash_key)
    : key_(crypto::hkdf_key(hash_key, "infinitree/v2/object-names")) {}

ObjectId ObjectNamer::mint() const {
  ObjectId id;
  crypto::random_fill(id.bytes.data(), kRandomPart);
  crypto::Digest mac = crypto::hmac_sha256(key_.view(), ByteView(id.bytes.data(), kRandomPart));
  std::memcpy(id.bytes.data() + kRandomPart, mac.data(), id.bytes.size() - kRandomPart);
  return id;
}

bool ObjectNamer::is_ours(const ObjectId& id) const {
  crypto::Digest mac = crypto::hmac_sha256(key_.view(), ByteView(id.bytes.data(), kRandomPart));
  return CRYPTO_memcmp(mac.data(), id.bytes.data() + kRandomPart, id.bytes.size() - kRandomPart) == 0;
}

}  // namespace infinitree
