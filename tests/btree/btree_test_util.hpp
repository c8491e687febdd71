// Shared helpers for the B-tree tests: a fresh encrypted in-memory store, a structural
// invariant checker, and helpers to damage stored chunks.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "btree/btree.hpp"
#include "btree/node_source.hpp"
#include "crypto/kdf.hpp"
#include "crypto/secret.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree::testing {

inline bool soak() {
  const char* s = std::getenv("INFINITREE_SOAK");
  return s && *s && std::string(s) != "0";
}

struct StoreFixture {
  std::shared_ptr<Backend> backend = make_memory_backend();
  crypto::KeyRing keys = crypto::KeyRing::from_master(crypto::SecretKey::random());
  std::shared_ptr<ChunkStore> store = std::make_shared<ChunkStore>(backend, keys);
  std::shared_ptr<NodeCache> cache = std::make_shared<NodeCache>(64 << 20);

  // A second store on the same backend and keys with empty caches: what a reader that
  // reopens the data sees (nothing served from memory).
  std::shared_ptr<ChunkStore> reopen_store() {
    store->flush();
    return std::make_shared<ChunkStore>(backend, keys);
  }
};

// Flips one byte of the stored ciphertext of `ptr` (the store must have been flushed).
inline void corrupt_chunk(Backend& backend, const ChunkPointer& ptr) {
  auto obj = backend.read_object(ptr.object);
  std::vector<uint8_t> copy(*obj);
  copy[ptr.offset + ptr.stored_size / 2] ^= 0x40;
  backend.write_object(ptr.object, copy);
  backend.sync();
}

inline std::map<std::string, std::string> dump(const BTree& t) {
  std::map<std::string, std::string> out;
  t.scan(std::nullopt, std::nullopt, [&](std::string_view k, std::string_view v) {
    out.emplace(std::string(k), std::string(v));
    return true;
  });
  return out;
}

// Walks a flushed version and checks what the format promises: levels step down by one,
// leaves are non-empty and sorted, every key lies within its parent's separators, and
// the per-child counts are exact. Returns the number of entries.
inline uint64_t check_invariants_rec(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr,
                                     uint32_t level, std::optional<std::string> lo,
                                     std::optional<std::string> hi, uint32_t* leaf_level,
                                     bool marks_allowed = false) {
  ConstNodePtr n = load_node(store, cache, ptr, level);
  EXPECT_FALSE(n->layers) << "a layer list below a root";
  EXPECT_FALSE(n->empty());
  if (n->leaf()) {
    if (*leaf_level == kAnyLevel) *leaf_level = 0;
    for (size_t i = 0; i < n->slots.size(); ++i) {
      std::string k(n->key(i));
      if (lo) {
        EXPECT_LE(*lo, k);
      }
      if (hi) {
        EXPECT_LT(k, *hi);
      }
      if (i) {
        EXPECT_LT(std::string(n->key(i - 1)), k);
      }
      if (!marks_allowed) {
        EXPECT_EQ(n->marks(i), 0u) << "delta marks in a base tree";
      }
    }
    return n->slots.size();
  }
  uint64_t total = 0;
  for (size_t i = 0; i < n->kids.size(); ++i) {
    std::optional<std::string> clo = i ? std::optional<std::string>(n->seps[i - 1]) : lo;
    std::optional<std::string> chi = i + 1 < n->kids.size() ? std::optional<std::string>(n->seps[i]) : hi;
    uint64_t c = check_invariants_rec(store, cache, n->kids[i].ptr, n->level - 1, clo, chi, leaf_level,
                                      marks_allowed);
    EXPECT_EQ(c, n->kids[i].count);
    total += c;
  }
  return total;
}

// For a version with delta layers: each layer's structure and stored entry counts, and
// returns the version's recorded size (the model test compares it with the model).
inline uint64_t check_invariants(ChunkStore& store, NodeCache* cache, std::optional<ChunkPointer> root) {
  if (!root) return 0;
  ConstNodePtr top = load_node(store, cache, *root, kAnyLevel);
  if (top->layers) {
    const LayerList& l = *top->layers;
    uint32_t base_level = kAnyLevel;
    uint64_t b = l.base ? check_invariants_rec(store, cache, *l.base, kAnyLevel, std::nullopt, std::nullopt,
                                               &base_level)
                        : 0;
    EXPECT_EQ(b, l.base_entries);
    EXPECT_FALSE(l.deltas.empty());
    for (const DeltaRef& d : l.deltas) {
      uint32_t dl = kAnyLevel;
      uint64_t e = d.root ? check_invariants_rec(store, cache, *d.root, kAnyLevel, std::nullopt, std::nullopt, &dl,
                                                 /*marks_allowed=*/true)
                          : 0;
      EXPECT_EQ(e, d.entries);
    }
    return l.size;
  }
  uint32_t leaf_level = kAnyLevel;
  return check_invariants_rec(store, cache, *root, kAnyLevel, std::nullopt, std::nullopt, &leaf_level);
}

inline std::string random_bytes_string(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace infinitree::btree::testing
