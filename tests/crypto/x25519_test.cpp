// X25519 through OpenSSL: the RFC 7748 vectors, agreement of fresh pairs, and the refusal of
// a small-order public key.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/x25519.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

using namespace infinitree;
using namespace infinitree::crypto;

namespace {
Bytes hex(std::string_view h) {
  Bytes out;
  EXPECT_TRUE(hex_decode(std::string(h), out)) << h;
  return out;
}
X25519Public pub(std::string_view h) {
  Bytes b = hex(h);
  X25519Public out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}
}  // namespace

// RFC 7748 section 6.1.
TEST(X25519, Rfc7748Vectors) {
  SecretKey alice(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  SecretKey bob(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  X25519Public alice_pub = pub("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  X25519Public bob_pub = pub("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  EXPECT_EQ(x25519_public_of(alice), alice_pub);
  EXPECT_EQ(x25519_public_of(bob), bob_pub);
  SecretKey shared(hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
  EXPECT_TRUE(x25519_shared(alice, bob_pub) == shared);
  EXPECT_TRUE(x25519_shared(bob, alice_pub) == shared);
}

TEST(X25519, FreshPairsAgreeAndDiffer) {
  X25519KeyPair a = x25519_generate(), b = x25519_generate(), c = x25519_generate();
  EXPECT_EQ(x25519_public_of(a.private_key), a.public_key);
  EXPECT_NE(a.public_key, b.public_key);
  EXPECT_TRUE(x25519_shared(a.private_key, b.public_key) == x25519_shared(b.private_key, a.public_key));
  EXPECT_FALSE(x25519_shared(a.private_key, b.public_key) == x25519_shared(a.private_key, c.public_key));
}

TEST(X25519, SmallOrderPublicKeyIsRefused) {
  X25519KeyPair a = x25519_generate();
  X25519Public zero{};  // the point of order 1: every shared secret with it is zero
  try {
    x25519_shared(a.private_key, zero);
    FAIL() << "a small-order key must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::invalid_argument);
  }
}
