#include "crypto/aead.hpp"

#include <openssl/evp.h>

#include <climits>
#include <memory>

#include "infinitree/error.hpp"

namespace infinitree::crypto {

namespace {

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// One context per thread and direction, reused: allocating a context per chunk costs more
// than sealing a small chunk. The context outlives every tree (worker threads are shared),
// so it must not keep a key between calls: see KeyScope.
EVP_CIPHER_CTX* thread_ctx(bool encrypt) {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> enc(EVP_CIPHER_CTX_new());
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> dec(EVP_CIPHER_CTX_new());
  EVP_CIPHER_CTX* ctx = encrypt ? enc.get() : dec.get();
  if (!ctx) throw Error(Errc::out_of_memory, "EVP_CIPHER_CTX_new failed");
  return ctx;
}

const EVP_CIPHER* cipher() {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  if (!c) throw Error(Errc::internal, "OpenSSL has no ChaCha20-Poly1305");
  return c;
}

[[noreturn]] void fail(const char* what) {
  throw Error(Errc::internal, std::string("OpenSSL AEAD failure in ") + what);
}

// EVP_*Update takes int lengths; chunks are below 4 MiB but stay safe for any size.
template <typename Fn>
void for_int_pieces(size_t size, Fn&& fn) {
  size_t done = 0;
  do {
    size_t step = std::min<size_t>(size - done, INT_MAX / 2);
    fn(done, static_cast<int>(step));
    done += step;
  } while (done < size);
}

// Resets the context when a seal or open ends, however it ends. EVP_CIPHER_CTX_reset frees
// the provider's cipher state, and OpenSSL wipes it (OPENSSL_clear_free) as it does: the key
// schedule does not outlive the call, so it cannot outlive the tree. This costs nothing
// extra: initializing with a cipher resets the context anyway.
class KeyScope {
 public:
  explicit KeyScope(EVP_CIPHER_CTX* ctx) : ctx_(ctx) {}
  ~KeyScope() { EVP_CIPHER_CTX_reset(ctx_); }
  KeyScope(const KeyScope&) = delete;
  KeyScope& operator=(const KeyScope&) = delete;

 private:
  EVP_CIPHER_CTX* ctx_;
};

}  // namespace

namespace detail {
bool thread_context_holds_cipher_state(bool encrypt) {
  return EVP_CIPHER_CTX_get0_cipher(thread_ctx(encrypt)) != nullptr;
}
}  // namespace detail

Tag aead_seal(const SecretKey& key, const Nonce& nonce, ByteView aad, const uint8_t* in,
              size_t size, uint8_t* out) {
  EVP_CIPHER_CTX* ctx = thread_ctx(true);
  KeyScope scope(ctx);
  if (EVP_EncryptInit_ex2(ctx, cipher(), key.data(), nonce.data(), nullptr) != 1)
    fail("EncryptInit");
  int len = 0;
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
    fail("EncryptUpdate(aad)");
  if (size > 0)
    for_int_pieces(size, [&](size_t off, int n) {
      if (EVP_EncryptUpdate(ctx, out + off, &len, in + off, n) != 1) fail("EncryptUpdate");
    });
  if (EVP_EncryptFinal_ex(ctx, out + size, &len) != 1) fail("EncryptFinal");
  Tag tag;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, kTagSize, tag.data()) != 1)
    fail("GET_TAG");
  return tag;
}

bool aead_open(const SecretKey& key, const Nonce& nonce, ByteView aad, const uint8_t* in,
               size_t size, const Tag& tag, uint8_t* out) {
  EVP_CIPHER_CTX* ctx = thread_ctx(false);
  KeyScope scope(ctx);
  if (EVP_DecryptInit_ex2(ctx, cipher(), key.data(), nonce.data(), nullptr) != 1)
    fail("DecryptInit");
  int len = 0;
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
    fail("DecryptUpdate(aad)");
  if (size > 0)
    for_int_pieces(size, [&](size_t off, int n) {
      if (EVP_DecryptUpdate(ctx, out + off, &len, in + off, n) != 1) fail("DecryptUpdate");
    });
  Tag copy = tag;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, kTagSize, copy.data()) != 1)
    fail("SET_TAG");
  return EVP_DecryptFinal_ex(ctx, out + size, &len) == 1;
}

}  // namespace infinitree::crypto
