// SHA-256 and HMAC-SHA256 through OpenSSL's EVP interfaces.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/secret.hpp"
#include "util/bytes.hpp"

namespace infinitree::crypto {

using Digest = std::array<uint8_t, 32>;

Digest sha256(ByteView data);
Digest hmac_sha256(ByteView key, ByteView data);

// The keyed content hash that names chunks for deduplication. Keyed, so the store cannot
// confirm a guessed plaintext. Reuses one MAC context per thread for speed.
Digest keyed_hash(const SecretKey& key, ByteView data);

}  // namespace infinitree::crypto
