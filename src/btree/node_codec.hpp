// Nodes <-> chunk plaintext (msgpack). The layout is documented byte by byte in docs/btree.md.
#pragma once

#include "btree/node.hpp"
#include "util/bytes.hpp"

namespace infinitree::btree {

// msgpack ext type marking a leaf value that is a spill descriptor, not the value itself.
constexpr int8_t kSpillExtType = 1;   // leaf value: a spill descriptor
constexpr int8_t kStreamExtType = 2;  // leaf value: a stream ref
// Bytes of a ChunkPointer kept per child in an inner node: its encoding without the
// 32-byte object id, which goes into the node's table of distinct objects.
constexpr size_t kChildPointerBytes = ChunkPointer::kEncodedSize - 32;

// Serializes a node; every child of an inner node must be clean (ptr valid). Appends to
// `out` after clearing it (the buffer is reused across calls to avoid allocations).
void encode_node(const Node& node, Bytes& out);

// Parses untrusted bytes; never crashes: anything malformed (types, sizes, order, levels,
// counts) throws Error(corrupt). The plaintext becomes the leaf's arena (no copy).
NodePtr decode_node(Bytes plaintext);

}  // namespace infinitree::btree
