// Fetching a node by pointer: the cache first, else read, authenticate and decode the
// chunk and cache it. Every read path of the B-tree goes through here.
#pragma once

#include <cstdint>
#include <memory>

#include "btree/node.hpp"
#include "btree/node_cache.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

constexpr uint32_t kAnyLevel = UINT32_MAX;

// Throws the store's error (object_missing, object_truncated, corrupt) or Error(corrupt)
// when the node does not decode or sits at another level than its parent implies.
ConstNodePtr load_node(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr,
                       uint32_t expected_level);

}  // namespace infinitree::btree
