#include "object/object_reader.hpp"

#include <cstring>

#include <openssl/crypto.h>

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"
#include "object/compression.hpp"
#include "object/format.hpp"

namespace infinitree {

namespace {
std::string where(const ChunkPointer& ptr) {
  return "chunk at object " + ptr.object.hex() + " offset " + std::to_string(ptr.offset);
}
}  // namespace

ObjectReader::ObjectReader(std::shared_ptr<Backend> backend, const crypto::KeyRing& keys,
                           size_t cached_objects)
    : backend_(std::move(backend)), keys_(keys), capacity_(cached_objects) {}

Bytes ObjectReader::open(const ChunkPointer& ptr, ByteView stored) const {
  const crypto::SecretKey& key = ptr.kind == ChunkKind::index ? keys_.index_key : keys_.storage_key;
  Bytes compressed(stored.size());
  uint8_t aad[kChunkAadSize];
  chunk_aad(ptr, aad);
  if (!crypto::aead_open(key, chunk_nonce(ptr.object, ptr.offset), {aad, sizeof aad},
                         stored.data(), stored.size(), ptr.tag, compressed.data()))
    throw Error(Errc::corrupt, where(ptr) + " failed authentication (tampered, damaged or wrong key)");
  if (ptr.compression == Compression::none) {
    if (compressed.size() != ptr.plain_size)
      throw Error(Errc::corrupt, where(ptr) + " has the wrong size");
  } else {
    Bytes plain(ptr.plain_size);
    try {
      decompress_chunk(ptr.compression, compressed, plain.data(), plain.size());
    } catch (const Error& e) {
      throw Error(e.code(), where(ptr) + ": " + e.what());
    }
    compressed.swap(plain);
  }
  crypto::Digest hash = crypto::keyed_hash(keys_.hash_key, compressed);
  if (CRYPTO_memcmp(hash.data(), ptr.hash.data(), hash.size()) != 0)
    throw Error(Errc::corrupt, where(ptr) + " does not match its content hash");
  return compressed;
}

std::shared_ptr<const std::vector<uint8_t>> ObjectReader::cached_object(const ObjectId& id) {
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(id);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
  }
  auto obj = backend_->read_object(id);  // outside the lock: may be a network round trip
  if (obj->size() != kObjectSize)
    throw Error(Errc::object_truncated, "object " + id.hex() + " has " +
                                            std::to_string(obj->size()) + " bytes, expected 4 MiB");
  std::lock_guard lock(mu_);
  if (!index_.count(id)) {
    lru_.emplace_front(id, obj);
    index_[id] = lru_.begin();
    while (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  return obj;
}

void ObjectReader::forget(const ObjectId& id) {
  std::lock_guard lock(mu_);
  auto it = index_.find(id);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

Bytes ObjectReader::fetch(const ChunkPointer& ptr) {
  if (static_cast<uint64_t>(ptr.offset) + ptr.stored_size > kObjectSize)
    throw Error(Errc::corrupt, where(ptr) + " points past the end of its object");
  if (ptr.kind == ChunkKind::storage && capacity_ > 0) {
    auto obj = cached_object(ptr.object);
    return Bytes(obj->begin() + ptr.offset, obj->begin() + ptr.offset + ptr.stored_size);
  }
  Bytes stored = backend_->read_range(ptr.object, ptr.offset, ptr.stored_size);
  if (stored.size() != ptr.stored_size)
    throw Error(Errc::object_truncated, where(ptr) + " runs past the end of a truncated object");
  return stored;
}

}  // namespace infinitree
