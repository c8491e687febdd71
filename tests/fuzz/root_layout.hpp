// The root object's sealed header, for the root-record harness and its seed generator.
// open_root_object() authenticates before it parses, so random bytes never reach the
// parser. The harness instead seals the fuzz input as the record, with a fixed key and id,
// exactly as seal_root_object() lays the header out (docs/format.md): nonce (12) |
// ciphertext of [len u32le | record | zero padding] (kIndexHeaderSize - 28) | tag (16).
// check_layout() compares this with the library's own sealing at start-up and stops the
// harness if they drift apart.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crypto/aead.hpp"
#include "infinitree/backend.hpp"
#include "object/format.hpp"
#include "tree/root_record.hpp"

namespace infinitree::fuzz {

constexpr size_t kSealedSize = kIndexHeaderSize - crypto::kNonceSize - crypto::kTagSize;

inline const crypto::SecretKey& root_key() {
  static const crypto::SecretKey key(Bytes(crypto::kKeySize, 0x42));
  return key;
}

inline const ObjectId& root_id() {
  static const ObjectId id = [] {
    ObjectId i;
    i.bytes.fill(0x17);
    return i;
  }();
  return id;
}

inline Bytes root_aad() {
  static constexpr std::string_view kLabel = "infinitree/v1/root";
  Bytes aad(kLabel.begin(), kLabel.end());
  aad.insert(aad.end(), root_id().bytes.begin(), root_id().bytes.end());
  return aad;
}

// Seals `record` (truncated to what fits) into the header of `object` (kObjectSize bytes).
inline void seal_record(ByteView record, Bytes& object) {
  const size_t len = std::min(record.size(), kSealedSize - 4);
  Bytes plain(kSealedSize, 0);
  put_u32le(plain.data(), static_cast<uint32_t>(len));
  if (len) std::memcpy(plain.data() + 4, record.data(), len);
  crypto::Nonce nonce{};
  std::memcpy(object.data(), nonce.data(), nonce.size());
  crypto::Tag tag = crypto::aead_seal(root_key(), nonce, root_aad(), plain.data(), plain.size(),
                                      object.data() + crypto::kNonceSize);
  std::memcpy(object.data() + crypto::kNonceSize + kSealedSize, tag.data(), tag.size());
}

// The msgpack record inside a root object sealed with root_key(); empty if it does not open.
inline Bytes record_of(ByteView object) {
  crypto::Nonce nonce;
  std::memcpy(nonce.data(), object.data(), nonce.size());
  crypto::Tag tag;
  std::memcpy(tag.data(), object.data() + crypto::kNonceSize + kSealedSize, tag.size());
  Bytes plain(kSealedSize);
  if (!crypto::aead_open(root_key(), nonce, root_aad(), object.data() + crypto::kNonceSize, kSealedSize,
                         tag, plain.data()))
    return {};
  uint32_t len = get_u32le(plain.data());
  if (len > kSealedSize - 4) return {};
  return Bytes(plain.begin() + 4, plain.begin() + 4 + len);
}

// A real root record as the library seals it.
inline Bytes library_record() {
  RootRecord rec;
  rec.format_version = 1;
  rec.master_key = crypto::SecretKey(Bytes(crypto::kKeySize, 0x99));
  rec.generation = 7;
  return record_of(seal_root_object(rec, root_key(), root_id()));
}

// Stops with a message if this file no longer matches root_record.cpp's layout.
inline void check_layout() {
  RootRecord rec;
  rec.format_version = 1;
  Bytes record = record_of(seal_root_object(rec, root_key(), root_id()));
  Bytes object(kObjectSize, 0);
  if (!record.empty()) seal_record(record, object);
  bool ok = !record.empty();
  if (ok) {
    try {
      ok = open_root_object(object, root_key(), root_id()).format_version == rec.format_version;
    } catch (const std::exception& e) {
      ok = false;
    }
  }
  if (!ok) {
    std::fprintf(stderr, "tests/fuzz/root_layout.hpp no longer matches the root object layout of "
                         "src/tree/root_record.cpp: update it\n");
    std::abort();
  }
}

}  // namespace infinitree::fuzz
