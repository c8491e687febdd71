// Key derivation: Argon2id from credentials, HKDF-SHA256 for subkeys.
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/secret.hpp"
#include "util/bytes.hpp"

namespace infinitree::crypto {

// Argon2id costs. The defaults follow RFC 9106's second recommended option, scaled to a
// desktop: 64 MiB, 3 passes, 4 lanes. `testing()` is cheap and only for tests.
struct Argon2Params {
  uint32_t memory_kib = 64 * 1024;
  uint32_t iterations = 3;
  uint32_t parallelism = 4;

  static Argon2Params testing() { return {64, 1, 1}; }
  static Argon2Params defaults() { return {}; }
};

// Raw Argon2id (for the RFC 9106 vector test and for derive_credentials).
Bytes argon2id(ByteView password, ByteView salt, const Argon2Params& params, size_t out_len,
               ByteView secret = {}, ByteView associated = {});

// HKDF-SHA256 (RFC 5869), extract and expand.
Bytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, size_t out_len);
SecretKey hkdf_key(const SecretKey& ikm, std::string_view label);

// What the username and password turn into: the key that seals the root record and the
// root object's id. The salt is derived from the username, so nothing stored is needed to
// find the root object.
struct CredentialKeys {
  SecretKey wrapping_key;
  std::array<uint8_t, 32> root_object_id;
};
CredentialKeys derive_credentials(std::string_view username, ByteView password,
                                  const Argon2Params& params);
// The same from a raw 256-bit key (a key slot of kind raw key): HKDF instead of Argon2id,
// since a key from a KMS is already uniformly random. invalid_argument unless 32 bytes.
CredentialKeys derive_raw_key_credentials(ByteView raw_key);
// Step two of both: the wrapping key and locator from a credential key.
CredentialKeys credentials_from_key(const SecretKey& credential_key);

// The subkeys of a tree, all from its random master key through HKDF with distinct labels.
struct KeyRing {
  SecretKey index_key;    // seals index chunks (B-tree nodes, commits)
  SecretKey storage_key;  // seals storage chunks (stream data)
  SecretKey hash_key;     // keys the content hash used for dedup
  SecretKey chunker_key;  // derives the secret FastCDC gear table (chunk boundaries)

  static KeyRing from_master(const SecretKey& master);
};

}  // namespace infinitree::crypto
