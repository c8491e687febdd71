#include "btree/node_source.hpp"

#include "btree/node_codec.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

ConstNodePtr load_node(ChunkStore& store, NodeCache* cache, const ChunkPointer& ptr,
                       uint32_t expected_level) {
  ConstNodePtr node = cache ? cache->get(ptr) : nullptr;
  if (!node) {
    if (ptr.kind != ChunkKind::index)
      throw Error(Errc::corrupt, "b-tree node pointer is not an index chunk");
    node = decode_node(store.read(ptr));
    if (cache) cache->put(ptr, node);
  }
  if (expected_level != kAnyLevel && node->level != expected_level)
    throw Error(Errc::corrupt, "b-tree node in object " + ptr.object.hex() + " at offset " +
                                   std::to_string(ptr.offset) + " has level " +
                                   std::to_string(node->level) + ", expected " +
                                   std::to_string(expected_level));
  return node;
}

}  // namespace infinitree::btree
