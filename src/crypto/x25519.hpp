// X25519 key agreement (RFC 7748) through OpenSSL's EVP_PKEY_X25519, for write-only trees
// (docs/security.md, "Write-only trees"): a writer that holds only a public key derives a
// session key the private key's holder can derive too.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/secret.hpp"
#include "util/bytes.hpp"

namespace infinitree::crypto {

constexpr size_t kX25519KeySize = 32;
using X25519Public = std::array<uint8_t, kX25519KeySize>;

struct X25519KeyPair {
  SecretKey private_key;
  X25519Public public_key;
};

// A fresh key pair from OpenSSL's CSPRNG.
X25519KeyPair x25519_generate();

// The public key of a private key.
X25519Public x25519_public_of(const SecretKey& private_key);

// The shared secret of our private key and the peer's public key. A peer key of small order
// (the shared secret would be all zeros, RFC 7748 section 6.1) is invalid_argument.
SecretKey x25519_shared(const SecretKey& private_key, const X25519Public& peer_public);

}  // namespace infinitree::crypto
