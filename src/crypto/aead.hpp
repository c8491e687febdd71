// ChaCha20-Poly1305 (RFC 8439) through OpenSSL's EVP_CIPHER interface.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/secret.hpp"
#include "util/bytes.hpp"

namespace infinitree::crypto {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
using Nonce = std::array<uint8_t, kNonceSize>;
using Tag = std::array<uint8_t, kTagSize>;

// Encrypts `size` bytes from `in` to `out` (may be the same buffer) and returns the tag.
Tag aead_seal(const SecretKey& key, const Nonce& nonce, ByteView aad, const uint8_t* in,
              size_t size, uint8_t* out);

// Decrypts and authenticates; returns false (and leaves `out` unspecified) on a bad tag.
[[nodiscard]] bool aead_open(const SecretKey& key, const Nonce& nonce, ByteView aad,
                             const uint8_t* in, size_t size, const Tag& tag, uint8_t* out);

namespace detail {
// For tests: whether this thread's reused context (seal or open side) still holds a cipher
// and so possibly key material. False between calls.
bool thread_context_holds_cipher_state(bool encrypt);
}  // namespace detail

}  // namespace infinitree::crypto
