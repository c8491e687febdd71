// Tunables and hard limits of the B-tree.
#pragma once

#include <cstddef>
#include <cstdint>

#include "infinitree/limits.hpp"

namespace infinitree::btree {

// Hard limits (documented in docs/btree.md); beyond them operations throw Error(too_large).
// The key limit is the one users are promised, defined once in infinitree/limits.hpp (and
// IT_MAX_KEY_SIZE is checked against it in capi/errors.cpp).
using infinitree::kMaxKeySize;
// The deepest tree we accept when decoding: a 64-level B-tree cannot be built with any sane
// node size, so a larger level number means a corrupt node.
constexpr uint32_t kMaxLevel = 48;

struct BTreeOptions {
  // Encoded size a leaf grows to before it splits. 4 KiB keeps the bytes rewritten per
  // changed key low (a leaf plus most of its parent per change) while a 10 M-key tree of
  // 16-byte keys stays 5 levels deep.
  size_t target_node_bytes = 4096;
  // Encoded size of inner nodes before they split; 0 means the same as target_node_bytes.
  size_t target_inner_bytes = 0;
  // Values longer than this are written as storage chunks and the leaf keeps pointers.
  size_t inline_value_max = 1024;
  // Largest value accepted (the spill format allows far more; this bounds memory use).
  uint64_t max_value_bytes = kMaxValueSize;
  // bulk_load fills nodes to this fraction of the target before starting the next one.
  double bulk_fill = 1.0;

  // Delta layers (docs/btree.md): a flush writes its changes as a new delta while the
  // base has at least delta_min_base entries and all deltas together stay under
  // delta_fraction of the base; otherwise (and for smaller trees, where rewriting paths is
  // cheap) it merges every delta into the base. More than max_deltas deltas merge
  // pairwise (the adjacent pair with the fewest entries), so a lookup reads at most
  // max_deltas + 1 trees.
  size_t max_deltas = 4;
  double delta_fraction = 0.25;
  uint64_t delta_min_base = 16384;

  size_t leaf_target() const { return target_node_bytes < 64 ? 64 : target_node_bytes; }
  size_t inner_target() const {
    size_t t = target_inner_bytes ? target_inner_bytes : target_node_bytes;
    return t < 64 ? 64 : t;
  }
};

}  // namespace infinitree::btree
