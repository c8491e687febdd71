// FastCDC content-defined chunking (Xia et al., USENIX ATC 2016): a gear rolling hash,
// cut-point skipping below the minimum size and normalized chunking (a stricter mask
// before the average size, a looser one after), so chunk boundaries depend only on
// nearby content: an insertion moves the boundaries around it and no others.
// Parameters and the gear table are documented in docs/streams.md; changing either
// changes every boundary (and so defeats dedup against older data), so treat them as format.
//
// A tree's streams use a gear table derived from a per-tree secret (KeyRing::chunker_key),
// as restic derives its chunking polynomial per repository: with a public table the store
// could predict the chunk sizes of a guessed file and confirm it was stored. The public
// table remains for tests and benchmarks that need no key.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/secret.hpp"
#include "util/bytes.hpp"

namespace infinitree::stream {

struct ChunkerParams {
  size_t min_size = 256 * 1024;
  size_t avg_size = 1024 * 1024;
  // Just under 4 MiB so the largest chunk, even incompressible, fits in one storage object.
  size_t max_size = 4 * 1024 * 1024 - 64 * 1024;
  // FastCDC normalization level: the small-chunk mask has log2(avg)+level bits, the
  // large-chunk mask log2(avg)-level bits. 0 disables normalization; 1..3 allowed.
  unsigned normalization = 2;

  static ChunkerParams defaults() { return {}; }
  // Throws Error(invalid_argument) unless 64 <= min <= avg <= max and normalization <= 3.
  // (StreamWriter also checks max against ChunkStore::max_chunk_size(storage).)
  void validate() const;
};

using GearTable = std::array<uint64_t, 256>;

// The public 256-entry gear table: entry i is the first 8 bytes (little-endian) of
// SHA-256("infinitree fastcdc gear v1" || le32(i)). Fixed, public, deterministic.
const GearTable& gear_table();

// A secret gear table: entry i is the first 8 bytes (little-endian) of
// HMAC-SHA256(key, "infinitree fastcdc gear v2" || le32(i)). Same key, same table.
GearTable keyed_gear_table(const crypto::SecretKey& key);

class Chunker {
 public:
  // With the public gear table (tests, benchmarks).
  explicit Chunker(const ChunkerParams& params);
  // With the gear table of `boundary_key`: what a tree's stream writer uses.
  Chunker(const ChunkerParams& params, const crypto::SecretKey& boundary_key);
  // The table is derived from a secret: do not leave it in freed memory.
  ~Chunker();
  Chunker(const Chunker&) = default;
  Chunker& operator=(const Chunker&) = default;

  // Length of the first chunk of `data`. The caller passes at least max_size() bytes,
  // or everything left at the end of the stream (then the result may be the whole view).
  // Returns 0 only for an empty view.
  size_t cut(ByteView data) const;

  const ChunkerParams& params() const { return params_; }
  uint64_t mask_small() const { return mask_small_; }
  uint64_t mask_large() const { return mask_large_; }

 private:
  ChunkerParams params_;
  uint64_t mask_small_;
  uint64_t mask_large_;
  GearTable gear_;
};

}  // namespace infinitree::stream
