// X25519 through OpenSSL 3's EVP_PKEY interface; no curve arithmetic of our own.
#include "crypto/x25519.hpp"

#include <openssl/evp.h>

#include <memory>

#include "infinitree/error.hpp"

namespace infinitree::crypto {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Ctx = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

[[noreturn]] void fail(const char* what) {
  throw Error(Errc::internal, std::string("X25519: ") + what + " failed in OpenSSL");
}

Pkey private_pkey(const SecretKey& key) {
  Pkey p(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, key.data(), key.size()));
  if (!p) fail("loading a private key");
  return p;
}

X25519Public public_of(EVP_PKEY* p) {
  X25519Public out;
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(p, out.data(), &len) != 1 || len != out.size())
    fail("reading a public key");
  return out;
}

}  // namespace

X25519KeyPair x25519_generate() {
  Ctx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
    fail("key generation");
  Pkey p(raw);
  X25519KeyPair out;
  size_t len = out.private_key.size();
  if (EVP_PKEY_get_raw_private_key(p.get(), out.private_key.data(), &len) != 1 ||
      len != out.private_key.size())
    fail("reading a private key");
  out.public_key = public_of(p.get());
  return out;
}

X25519Public x25519_public_of(const SecretKey& private_key) {
  return public_of(private_pkey(private_key).get());
}

SecretKey x25519_shared(const SecretKey& private_key, const X25519Public& peer_public) {
  Pkey self = private_pkey(private_key);
  Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public.data(),
                                        peer_public.size()));
  if (!peer) fail("loading a public key");
  Ctx ctx(EVP_PKEY_CTX_new(self.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) fail("key agreement setup");
  if (EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1) fail("setting the peer key");
  SecretKey out;
  size_t len = out.size();
  // OpenSSL refuses an all-zero shared secret (a peer key of small order): the peer's fault.
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != out.size())
    throw Error(Errc::invalid_argument, "X25519: the public key is of small order (no shared secret)");
  return out;
}

}  // namespace infinitree::crypto
