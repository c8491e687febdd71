// Values too large to sit in a leaf are written as storage chunks; the leaf keeps a small
// spill descriptor (msgpack, inside an ext value, see docs/btree.md):
//   [total_size, bin(n * 94)]           n <= kDirectPieces pointers, kept in the leaf
//   [total_size, bin(94), n]            pointer to an index chunk holding the n pointers
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "object/chunk_pointer.hpp"
#include "object/chunk_store.hpp"

namespace infinitree::btree {

// Pieces a spilled value is cut into (several fit in one 4 MiB storage object).
constexpr size_t kSpillPieceBytes = 1024 * 1024;
constexpr size_t kDirectPieces = 4;

struct SpillDescriptor {
  uint64_t size = 0;
  std::vector<ChunkPointer> pieces;       // direct form
  std::optional<ChunkPointer> list;       // indirect form: chunk of n encoded pointers
  uint64_t list_count = 0;
};

// Writes `value` as storage chunks and returns the descriptor bytes for the leaf.
std::string spill_value(ChunkStore& store, std::string_view value);

// Descriptor bytes for `d` (the inverse of parse_spill).
std::string encode_spill(const SpillDescriptor& d);

// The descriptor with every piece relocated (prune); a list chunk is rewritten when a piece
// in it or the list itself moves. Returns the same bytes if nothing moved.
std::string rewrite_spill(ChunkStore& store, std::string_view descriptor,
                          const std::function<bool(const ChunkPointer&)>& moves,
                          const std::function<ChunkPointer(const ChunkPointer&)>& relocate);

// Parses descriptor bytes; Error(corrupt) if malformed.
SpillDescriptor parse_spill(std::string_view descriptor);

// The piece pointers, reading the pointer list chunk if there is one.
std::vector<ChunkPointer> spill_pieces(ChunkStore& store, const SpillDescriptor& d);

// The whole value. Error(corrupt) if the pieces do not add up to the recorded size.
std::string read_spilled(ChunkStore& store, std::string_view descriptor);

// Whether two descriptors hold the same bytes (compares sizes and keyed content hashes
// of the pieces, without reading the pieces themselves).
bool same_spilled_content(ChunkStore& store, std::string_view a, std::string_view b);

// Every chunk the value uses: the list chunk (if any) and the pieces.
void spill_chunks(ChunkStore& store, std::string_view descriptor,
                  const std::function<void(const ChunkPointer&)>& fn);

}  // namespace infinitree::btree
