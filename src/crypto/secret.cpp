#include "crypto/secret.hpp"

#include <openssl/crypto.h>

#include "crypto/random.hpp"
#include "infinitree/error.hpp"

namespace infinitree::crypto {

void secure_wipe(void* data, size_t size) noexcept {
  if (data && size) OPENSSL_cleanse(data, size);
}

SecretKey::SecretKey(ByteView material) {
  if (material.size() != kKeySize)
    throw Error(Errc::internal, "key material must be 32 bytes");
  std::copy(material.begin(), material.end(), bytes_.begin());
}

bool SecretKey::operator==(const SecretKey& o) const {
  return CRYPTO_memcmp(bytes_.data(), o.bytes_.data(), kKeySize) == 0;
}

SecretKey SecretKey::random() {
  SecretKey k;
  random_fill(k.bytes_.data(), kKeySize);
  return k;
}

}  // namespace infinitree::crypto
