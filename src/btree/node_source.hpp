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

// Child i of inner node `n` for reading. Uses, in order: the writer's dirty copy, the
// decoded child `n` keeps (HotChild), the cache, the store. `hold` receives ownership when
// the child had to be fetched; otherwise the child lives as long as `n` does.
const Node* read_child(ChunkStore& store, NodeCache* cache, const Node& n, size_t i, ConstNodePtr* hold);

// The same with shared ownership (for cursors and walkers that keep nodes): a child kept
// by its parent is returned as an aliasing pointer that keeps the parent alive.
ConstNodePtr shared_child(ChunkStore& store, NodeCache* cache, const ConstNodePtr& n, size_t i);

}  // namespace infinitree::btree
