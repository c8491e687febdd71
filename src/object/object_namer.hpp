// Names for a tree's objects that the tree can recognise and nobody else can.
//
// An id is 16 random bytes followed by the first 16 bytes of HMAC-SHA256(naming key, those
// 16 bytes). To the store (and to other trees in the same store) it is 32 random-looking
// bytes like any other object name; to the tree that minted it, it carries a check.
// prune uses it to tell its own unreferenced objects (left by a killed writer or an
// interrupted prune) from another tree's objects in a shared folder or bucket, which it
// must never touch. Root objects are named from the credentials and never pass the check.
#pragma once

#include "crypto/secret.hpp"
#include "infinitree/backend.hpp"

namespace infinitree {

class ObjectNamer {
 public:
  // The naming key is an HKDF subkey of `hash_key` (itself a subkey of the master key).
  explicit ObjectNamer(const crypto::SecretKey& hash_key);

  ObjectId mint() const;
  bool is_ours(const ObjectId& id) const;

 private:
  crypto::SecretKey key_;
};

}  // namespace infinitree
