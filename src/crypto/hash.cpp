#include "crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "infinitree/error.hpp"

namespace infinitree::crypto {

namespace {

[[noreturn]] void fail(const char* what) {
  throw Error(Errc::internal, std::string("OpenSSL failure in ") + what);
}

struct MacDeleter {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

EVP_MAC* hmac_algorithm() {
  // Fetched once: EVP_MAC_fetch is expensive and the object is immutable and thread-safe.
  static std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) fail("EVP_MAC_fetch(HMAC)");
  return mac.get();
}

Digest hmac_with(EVP_MAC_CTX* ctx, ByteView key, ByteView data) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, key.data(), key.size(), params) != 1) fail("EVP_MAC_init");
  if (EVP_MAC_update(ctx, data.data(), data.size()) != 1) fail("EVP_MAC_update");
  Digest out;
  size_t len = 0;
  if (EVP_MAC_final(ctx, out.data(), &len, out.size()) != 1 || len != out.size())
    fail("EVP_MAC_final");
  return out;
}

}  // namespace

Digest sha256(ByteView data) {
  Digest out;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1)
    fail("EVP_Digest");
  return out;
}

Digest hmac_sha256(ByteView key, ByteView data) {
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!ctx) fail("EVP_MAC_CTX_new");
  return hmac_with(ctx.get(), key, data);
}

Digest keyed_hash(const SecretKey& key, ByteView data) {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!ctx) fail("EVP_MAC_CTX_new");
  // The context outlives every tree (worker threads are shared): once the hash is done,
  // key it with zeros so the HMAC pads derived from the tree's hash key do not stay in
  // this thread's memory. Two SHA-256 blocks, small next to a chunk's hash.
  struct Rekey {
    EVP_MAC_CTX* ctx;
    ~Rekey() {
      static const uint8_t zeros[kKeySize] = {};
      EVP_MAC_init(ctx, zeros, sizeof zeros, nullptr);
    }
  } rekey{ctx.get()};
  return hmac_with(ctx.get(), key.view(), data);
}

}  // namespace infinitree::crypto
