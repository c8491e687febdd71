// The keys and values of the B-tree and tree benchmarks: 16-byte keys spread uniformly (a
// bijective mix of the index, then the index itself) and 100-byte values that carry their
// index, so every lookup can be checked. One definition, so figures of different benchmarks
// are of the same data.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace infinitree::bench {

inline std::string key_of(uint64_t i) {
  uint64_t x = i * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  std::string k(16, '\0');
  std::memcpy(k.data(), &x, 8);
  std::memcpy(k.data() + 8, &i, 8);
  return k;
}

inline std::string value_of(uint64_t i) {
  std::string v(100, 'v');
  std::memcpy(v.data(), &i, 8);
  return v;
}

}  // namespace infinitree::bench
