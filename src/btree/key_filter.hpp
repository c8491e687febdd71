// A Bloom filter over the keys of one delta layer (tombstones included), stored as its own
// index chunk beside the delta. A point lookup that misses in a delta's filter skips that
// delta's tree (but not its erased ranges), so a version with several deltas answers most
// lookups with one tree search, and a cold lookup reads the filter instead of a path.
//
// Plaintext: [3, hashes (uint 1..16), bits (bin, a multiple of 8 bytes, at least 8)].
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"

namespace infinitree::btree {

class KeyFilter {
 public:
  // 64-bit hash of a key (fixed forever: filters are stored). Not cryptographic: a
  // collision only costs a tree search.
  static uint64_t hash(std::string_view key);
  // ~10 bits and 7 probes per key: about 1% false positives.
  static Bytes build(const std::vector<uint64_t>& hashes);
  // Throws Error(corrupt) for anything but the layout above.
  static std::shared_ptr<const KeyFilter> decode(const Bytes& plaintext);

  bool may_contain(uint64_t h) const;

 private:
  uint32_t hashes_ = 0;
  std::vector<uint64_t> bits_;
};

}  // namespace infinitree::btree
