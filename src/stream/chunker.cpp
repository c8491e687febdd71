#include "stream/chunker.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "crypto/hash.hpp"
#include "infinitree/error.hpp"

namespace infinitree::stream {

namespace {

// A mask of the `bits` highest bits. The gear hash shifts left once per byte, so bit k
// depends on the last k+1 bytes: the top bits see a full 64-byte window.
uint64_t top_bits_mask(unsigned bits) {
  if (bits == 0) return 0;
  if (bits >= 64) return ~uint64_t{0};
  return ~uint64_t{0} << (64 - bits);
}

}  // namespace

void ChunkerParams::validate() const {
  if (min_size < 64 || min_size > avg_size || avg_size > max_size)
    throw Error(Errc::invalid_argument,
                "chunker sizes must satisfy 64 <= min <= avg <= max (min=" +
                    std::to_string(min_size) + " avg=" + std::to_string(avg_size) +
                    " max=" + std::to_string(max_size) + ")");
  // The store's own limit (ChunkStore::max_chunk_size) is checked by StreamWriter;
  // this only keeps a chunk's length within the u32 of a chunk pointer.
  if (max_size > (size_t{1} << 31))
    throw Error(Errc::invalid_argument, "chunker max size over 2 GiB");
  if (normalization > 3)
    throw Error(Errc::invalid_argument, "chunker normalization level must be 0..3");
}

const GearTable& gear_table() {
  static const GearTable table = [] {
    GearTable t{};
    const std::string label = "infinitree fastcdc gear v1";
    Bytes msg(label.begin(), label.end());
    msg.resize(label.size() + 4);
    for (uint32_t i = 0; i < 256; ++i) {
      put_u32le(msg.data() + label.size(), i);
      crypto::Digest d = crypto::sha256(msg);
      t[i] = get_u64le(d.data());
    }
    return t;
  }();
  return table;
}

GearTable keyed_gear_table(const crypto::SecretKey& key) {
  GearTable t{};
  const std::string label = "infinitree fastcdc gear v2";
  Bytes msg(label.begin(), label.end());
  msg.resize(label.size() + 4);
  for (uint32_t i = 0; i < 256; ++i) {
    put_u32le(msg.data() + label.size(), i);
    crypto::Digest d = crypto::hmac_sha256(key.view(), msg);
    t[i] = get_u64le(d.data());
    crypto::secure_wipe(d.data(), d.size());
  }
  return t;
}

Chunker::Chunker(const ChunkerParams& params, const crypto::SecretKey& boundary_key)
    : Chunker(params) {
  gear_ = keyed_gear_table(boundary_key);
}

Chunker::~Chunker() { crypto::secure_wipe(gear_.data(), sizeof gear_); }

Chunker::Chunker(const ChunkerParams& params) : params_(params), gear_(gear_table()) {
  params_.validate();
  // Bits for the average size: log2 rounded to the nearest integer.
  const unsigned bits =
      static_cast<unsigned>(std::lround(std::log2(static_cast<double>(params_.avg_size))));
  const unsigned level = params_.normalization;
  mask_small_ = top_bits_mask(bits + level);
  mask_large_ = top_bits_mask(bits > level ? bits - level : 1);
}

size_t Chunker::cut(ByteView data) const {
  size_t n = data.size();
  if (n <= params_.min_size) return n;
  if (n > params_.max_size) n = params_.max_size;
  const size_t normal = std::min(params_.avg_size, n);
  const uint8_t* p = data.data();
  const uint64_t* gear = gear_.data();
  uint64_t hash = 0;
  size_t i = params_.min_size;  // cut-point skipping: no boundary before min_size
  for (; i < normal; ++i) {
    hash = (hash << 1) + gear[p[i]];
    if ((hash & mask_small_) == 0) return i + 1;
  }
  for (; i < n; ++i) {
    hash = (hash << 1) + gear[p[i]];
    if ((hash & mask_large_) == 0) return i + 1;
  }
  return n;
}

}  // namespace infinitree::stream
