// The per-thread cipher contexts are reused across trees (worker threads are shared), so
// they must not hold a key schedule once a seal or open returns, whether it succeeded,
// failed authentication, or was the last call before the tree closed.
#include <gtest/gtest.h>

#include <thread>

#include "crypto/aead.hpp"

using namespace infinitree;
using namespace infinitree::crypto;

namespace {
void seal_and_open(bool tamper) {
  SecretKey key = SecretKey::random();
  Nonce nonce{};
  Bytes plain(1000, 7), sealed(1000), back(1000);
  Tag tag = aead_seal(key, nonce, {}, plain.data(), plain.size(), sealed.data());
  if (tamper) sealed[10] ^= 1;
  EXPECT_EQ(aead_open(key, nonce, {}, sealed.data(), sealed.size(), tag, back.data()), !tamper);
}
}  // namespace

TEST(CipherContexts, HoldNoKeyBetweenCalls) {
  seal_and_open(false);
  EXPECT_FALSE(detail::thread_context_holds_cipher_state(true));
  EXPECT_FALSE(detail::thread_context_holds_cipher_state(false));
}

TEST(CipherContexts, HoldNoKeyAfterAFailedOpen) {
  seal_and_open(true);
  EXPECT_FALSE(detail::thread_context_holds_cipher_state(false));
}

TEST(CipherContexts, WorkerThreadsHoldNoKeyEither) {
  bool held = true;
  std::thread t([&] {
    seal_and_open(false);
    held = detail::thread_context_holds_cipher_state(true) || detail::thread_context_holds_cipher_state(false);
  });
  t.join();
  EXPECT_FALSE(held);
}
