// A version's layer list: the root chunk of a B-tree version that has delta layers (see
// docs/btree.md, "Delta layers"). It names the base tree and up to a few delta trees,
// newest first, each a plain B+tree of one or more commits' changes whose leaves carry
// marks (new key / tombstone), plus the ranges each delta erased from the layers below.
// A version without deltas has no layer list: its root is the base tree's root itself,
// which is also how every store written before layers existed looks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btree/node.hpp"
#include "object/chunk_pointer.hpp"
#include "util/bytes.hpp"

namespace infinitree::btree {

// [from, to): nullopt means unbounded on that side.
struct KeyRange {
  std::optional<std::string> from, to;
  bool operator==(const KeyRange&) const = default;
  bool contains(std::string_view k) const { return (!from || *from <= k) && (!to || k < *to); }
};

// Sorted, disjoint, non-adjacent ranges (what a layer erased from the layers below).
using RangeSet = std::vector<KeyRange>;
// Adds [r.from, r.to) to `set`, merging overlapping and touching ranges.
void add_range(RangeSet& set, const KeyRange& r);
// The range of `set` holding k, or nullptr.
const KeyRange* covering(const RangeSet& set, std::string_view k);

struct DeltaRef {
  std::optional<ChunkPointer> root;  // nullopt: the delta only erased ranges
  uint64_t entries = 0;              // entries (tombstones included) in the delta tree
  RangeSet erased;
  std::optional<ChunkPointer> filter;  // its keys' KeyFilter chunk (key_filter.hpp), if any
  bool operator==(const DeltaRef&) const = default;
};

struct LayerList {
  std::optional<ChunkPointer> base;
  uint64_t base_entries = 0;
  uint64_t size = 0;             // visible entries of the whole version
  std::vector<DeltaRef> deltas;  // newest first, at least one
};

// The encoding (docs/btree.md): [2, base bin(94)|nil, base_entries, size,
//   [[root bin(94)|nil, entries, [from bin|nil, to bin|nil, ...], filter bin(94)|nil], ...]]
void encode_layer_list(const LayerList& l, Bytes& out);
// Decoding is decode_node's (node_codec.cpp): it returns a Node whose `layers` is set.

}  // namespace infinitree::btree
