// Known-answer tests: our wrappers reproduce the published vectors, so they are wired to
// the right primitives with the right parameters.
#include <gtest/gtest.h>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "crypto/kdf.hpp"
#include "crypto/random.hpp"
#include "infinitree/error.hpp"
#include "util/bytes.hpp"

using namespace infinitree;
using namespace infinitree::crypto;

namespace {
Bytes hex(std::string_view h) {
  std::string clean;
  for (char c : h)
    if (!isspace(static_cast<unsigned char>(c)) && c != ':') clean.push_back(c);
  Bytes out;
  EXPECT_TRUE(hex_decode(clean, out)) << h;
  return out;
}
}  // namespace

// RFC 8439 section 2.8.2.
TEST(KnownAnswer, ChaCha20Poly1305Rfc8439) {
  Bytes key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  Bytes nonce_bytes = hex("070000004041424344454647");
  Bytes aad = hex("50515253c0c1c2c3c4c5c6c7");
  std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  Bytes expected_ct = hex(
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
      "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116");
  Bytes expected_tag = hex("1ae10b594f09e26a7e902ecbd0600691");

  SecretKey k(key);
  Nonce nonce;
  std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
  Bytes ct(plaintext.size());
  Tag tag = aead_seal(k, nonce, aad, reinterpret_cast<const uint8_t*>(plaintext.data()),
                      plaintext.size(), ct.data());
  EXPECT_EQ(ct, expected_ct);
  EXPECT_EQ(Bytes(tag.begin(), tag.end()), expected_tag);

  Bytes back(ct.size());
  ASSERT_TRUE(aead_open(k, nonce, aad, ct.data(), ct.size(), tag, back.data()));
  EXPECT_EQ(to_string(back), plaintext);

  // Any change to ciphertext, tag or associated data fails authentication.
  Bytes bad = ct;
  bad[10] ^= 1;
  EXPECT_FALSE(aead_open(k, nonce, aad, bad.data(), bad.size(), tag, back.data()));
  Tag bad_tag = tag;
  bad_tag[0] ^= 0x80;
  EXPECT_FALSE(aead_open(k, nonce, aad, ct.data(), ct.size(), bad_tag, back.data()));
  Bytes bad_aad = aad;
  bad_aad.back() ^= 1;
  EXPECT_FALSE(aead_open(k, nonce, bad_aad, ct.data(), ct.size(), tag, back.data()));
}

TEST(KnownAnswer, AeadEmptyPlaintext) {
  SecretKey k = SecretKey::random();
  Nonce n{};
  Tag tag = aead_seal(k, n, {}, nullptr, 0, nullptr);
  EXPECT_TRUE(aead_open(k, n, {}, nullptr, 0, tag, nullptr));
  tag[3] ^= 1;
  EXPECT_FALSE(aead_open(k, n, {}, nullptr, 0, tag, nullptr));
}

// RFC 5869 test cases 1 and 3.
TEST(KnownAnswer, HkdfSha256Rfc5869) {
  Bytes okm = hkdf_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                          hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
  EXPECT_EQ(okm, hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
  Bytes okm3 = hkdf_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), {}, {}, 42);
  EXPECT_EQ(okm3, hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
}

// RFC 4231 test cases 1 and 2.
TEST(KnownAnswer, HmacSha256Rfc4231) {
  Digest d1 = hmac_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), as_bytes("Hi There"));
  EXPECT_EQ(hex_encode(d1), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  Digest d2 = hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"));
  EXPECT_EQ(hex_encode(d2), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // keyed_hash is the same HMAC with a reused context.
  SecretKey k(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
  EXPECT_EQ(keyed_hash(k, as_bytes("x")), hmac_sha256(k.view(), as_bytes("x")));
}

TEST(KnownAnswer, Sha256) {
  EXPECT_EQ(hex_encode(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 9106 section 5.3 (Argon2id, version 0x13).
TEST(KnownAnswer, Argon2idRfc9106) {
  Bytes password(32, 0x01), salt(16, 0x02), secret(8, 0x03), ad(12, 0x04);
  Bytes tag = argon2id(password, salt, Argon2Params{32, 3, 4}, 32, secret, ad);
  EXPECT_EQ(hex_encode(tag), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}

TEST(KeyDerivation, CredentialsAreDeterministicAndDistinct) {
  auto p = Argon2Params::testing();
  auto a = derive_credentials("alice", as_bytes("pw"), p);
  auto a2 = derive_credentials("alice", as_bytes("pw"), p);
  auto b = derive_credentials("bob", as_bytes("pw"), p);
  auto c = derive_credentials("alice", as_bytes("pw2"), p);
  EXPECT_TRUE(a.wrapping_key == a2.wrapping_key);
  EXPECT_EQ(a.root_object_id, a2.root_object_id);
  EXPECT_FALSE(a.wrapping_key == b.wrapping_key);
  EXPECT_NE(a.root_object_id, b.root_object_id);
  EXPECT_FALSE(a.wrapping_key == c.wrapping_key);
  EXPECT_NE(a.root_object_id, c.root_object_id);
  // The root id is not the wrapping key.
  EXPECT_NE(Bytes(a.root_object_id.begin(), a.root_object_id.end()),
            Bytes(a.wrapping_key.data(), a.wrapping_key.data() + 32));
  EXPECT_THROW(derive_credentials("", as_bytes("pw"), p), Error);
  EXPECT_THROW(derive_credentials("a", as_bytes("pw"), Argon2Params{1, 1, 1}), Error);
}

TEST(KeyDerivation, SubkeysAreDistinct) {
  SecretKey master = SecretKey::random();
  KeyRing ring = KeyRing::from_master(master);
  EXPECT_FALSE(ring.index_key == ring.storage_key);
  EXPECT_FALSE(ring.index_key == ring.hash_key);
  EXPECT_FALSE(ring.storage_key == ring.hash_key);
  EXPECT_FALSE(ring.index_key == master);
  KeyRing again = KeyRing::from_master(master);
  EXPECT_TRUE(ring.index_key == again.index_key);
}

TEST(Random, BytesDiffer) {
  EXPECT_NE(random_bytes(32), random_bytes(32));
  EXPECT_EQ(random_bytes(0).size(), 0u);
}
