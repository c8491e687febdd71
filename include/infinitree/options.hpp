// How a tree is opened: key derivation costs, compression, caches. Passed to Tree::create
// and Tree::open (infinitree/tree.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace infinitree {

// Argon2id costs. Changing them changes the keys: open with the costs you created with.
struct KdfParams {
  uint32_t memory_kib = 64 * 1024;
  uint32_t iterations = 3;
  uint32_t parallelism = 4;
  // Cheap costs for tests and examples only: trivially brute-forced.
  static KdfParams insecure_fast() { return {64, 1, 1}; }
};

enum class CompressionMethod { none = 0, lz4 = 1, zstd = 2 };

struct OpenOptions {
  KdfParams kdf;
  bool read_only = false;               // no writer lock; commit() fails with read_only
  // For chunks written from now on. Unset: lz4 when creating, and when opening whatever
  // the tree last used (the choice is recorded in the sealed root at the next root write).
  std::optional<CompressionMethod> compression;
  size_t node_cache_bytes = 256u << 20; // decoded B-tree nodes kept in memory
  size_t target_node_bytes = 0;         // B-tree node size; 0 = the library's default
  // Warm start: after open, a background thread reads up to this many inner B-tree nodes of
  // the head commit's fields into the node cache (top levels first, in parallel), so that
  // the first lookups on a remote store cost about one leaf read each. Leaves are never
  // read ahead. 0 turns it off. Closing the tree stops it.
  // Unset: 1024 on a remote store (Backend::is_remote: S3, or a cache in front of it), 0 on
  // a local one, where a lookup's reads cost microseconds and reading ahead gains nothing.
  std::optional<size_t> warm_start_nodes;
};

}  // namespace infinitree
