#include "crypto/kdf.hpp"

#include <argon2.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>
#include <string>

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"

namespace infinitree::crypto {

Bytes argon2id(ByteView password, ByteView salt, const Argon2Params& params, size_t out_len,
               ByteView secret, ByteView associated) {
  if (params.memory_kib < 8 * params.parallelism || params.iterations < 1 ||
      params.parallelism < 1)
    throw Error(Errc::invalid_argument, "Argon2 parameters out of range");
  Bytes out(out_len);
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<uint32_t>(out_len);
  ctx.pwd = const_cast<uint8_t*>(password.data());
  ctx.pwdlen = static_cast<uint32_t>(password.size());
  ctx.salt = const_cast<uint8_t*>(salt.data());
  ctx.saltlen = static_cast<uint32_t>(salt.size());
  ctx.secret = const_cast<uint8_t*>(secret.data());
  ctx.secretlen = static_cast<uint32_t>(secret.size());
  ctx.ad = const_cast<uint8_t*>(associated.data());
  ctx.adlen = static_cast<uint32_t>(associated.size());
  ctx.t_cost = params.iterations;
  ctx.m_cost = params.memory_kib;
  ctx.lanes = params.parallelism;
  ctx.threads = params.parallelism;
  ctx.version = ARGON2_VERSION_13;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  int rc = argon2_ctx(&ctx, Argon2_id);
  if (rc != ARGON2_OK) {
    Errc code = rc == ARGON2_MEMORY_ALLOCATION_ERROR ? Errc::out_of_memory : Errc::invalid_argument;
    throw Error(code, std::string("Argon2id failed: ") + argon2_error_message(rc));
  }
  return out;
}

Bytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, size_t out_len) {
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr),
                                                        EVP_KDF_free);
  if (!kdf) throw Error(Errc::internal, "OpenSSL has no HKDF");
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                EVP_KDF_CTX_free);
  if (!ctx) throw Error(Errc::out_of_memory, "EVP_KDF_CTX_new failed");
  OSSL_PARAM params[5];
  int i = 0;
  params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0);
  params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  const_cast<uint8_t*>(ikm.data()), ikm.size());
  if (!salt.empty())
    params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                    const_cast<uint8_t*>(salt.data()), salt.size());
  params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                  const_cast<uint8_t*>(info.data()), info.size());
  params[i] = OSSL_PARAM_construct_end();
  Bytes out(out_len);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
    throw Error(Errc::internal, "HKDF derivation failed");
  return out;
}

SecretKey hkdf_key(const SecretKey& ikm, std::string_view label) {
  static constexpr std::string_view kSalt = "infinitree/v1/subkey";
  Bytes okm = hkdf_sha256(ikm.view(), as_bytes(kSalt), as_bytes(label), kKeySize);
  SecretKey key(okm);
  secure_wipe(okm.data(), okm.size());
  return key;
}

CredentialKeys derive_credentials(std::string_view username, ByteView password,
                                  const Argon2Params& params) {
  if (username.empty()) throw Error(Errc::invalid_argument, "username must not be empty");
  // Salt: a hash of the username under a fixed label, so two trees of different users
  // never share Argon2 work, and no stored salt is needed to find the root.
  std::string salt_input = "infinitree/v1/salt:";
  salt_input.append(username);
  Digest salt = sha256(as_bytes(salt_input));
  Bytes master = argon2id(password, salt, params, kKeySize);
  SecretKey credential_key(master);
  secure_wipe(master.data(), master.size());
  return credentials_from_key(credential_key);
}

CredentialKeys derive_raw_key_credentials(ByteView raw_key) {
  if (raw_key.size() != kKeySize)
    throw Error(Errc::invalid_argument, "a raw key must be exactly " + std::to_string(kKeySize) +
                                            " bytes, not " + std::to_string(raw_key.size()));
  // Its own HKDF salt: a raw key never meets Argon2id, and never derives the same
  // credential key as a password could.
  static constexpr std::string_view kSalt = "infinitree/v3/raw-key";
  Bytes okm = hkdf_sha256(raw_key, as_bytes(kSalt), as_bytes(std::string_view("credential-key")),
                          kKeySize);
  SecretKey credential_key(okm);
  secure_wipe(okm.data(), okm.size());
  return credentials_from_key(credential_key);
}

CredentialKeys credentials_from_key(const SecretKey& credential_key) {
  CredentialKeys keys;
  keys.wrapping_key = hkdf_key(credential_key, "root-wrapping-key");
  SecretKey id = hkdf_key(credential_key, "root-object-id");
  std::copy(id.data(), id.data() + kKeySize, keys.root_object_id.begin());
  return keys;
}

KeyRing KeyRing::from_master(const SecretKey& master) {
  return KeyRing{hkdf_key(master, "index-chunks"), hkdf_key(master, "storage-chunks"),
                 hkdf_key(master, "content-hash"), hkdf_key(master, "chunk-boundaries")};
}

}  // namespace infinitree::crypto
