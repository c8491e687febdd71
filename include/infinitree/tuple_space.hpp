// A map whose keys are tuples (infinitree/key_codec.hpp) used as an ordered space of items:
// every key starting with the encoding of a tuple prefix is the subspace under that prefix.
// Moving through items is a Cursor (first, last, next, prev, seek, seek_for_prev, from any
// position); the functions here work on whole subspaces. See docs/data-model.md.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "infinitree/tree.hpp"

namespace infinitree {

// The smallest key above every key starting with `prefix`; empty when there is none (the
// prefix is empty or all 0xFF bytes), which map ranges read as "no upper bound".
INFINITREE_EXPORT std::string prefix_end(std::string_view prefix);

// Removes every key starting with `prefix` (the whole map for an empty prefix) in one
// range erase: B-tree subtrees inside the subspace are dropped without being read, so the
// cost is O(log n) nodes plus the two boundary paths. Returns how many keys went.
INFINITREE_EXPORT uint64_t erase_subspace(Map& map, std::string_view prefix);

// How many keys start with `prefix`, from the B-tree's per-child counts (O(log n) nodes).
INFINITREE_EXPORT uint64_t count_subspace(const Map& map, std::string_view prefix);

// A cursor over the keys starting with `prefix` (keys are returned whole; a prefix view in
// infinitree/views.hpp hides the prefix).
inline Cursor subspace_cursor(const Map& map, std::string_view prefix) {
  return map.prefix_cursor(prefix);
}

}  // namespace infinitree
