// Moving a stream's chunks (prune's repack): the ref and the list pages that point at a
// moved chunk are written again; the data itself is only copied by `relocate`.
#pragma once

#include <functional>
#include <unordered_map>

#include "object/chunk_store.hpp"
#include "stream/stream_ref.hpp"

namespace infinitree::stream {

struct RefRewriter {
  std::function<bool(const ChunkPointer&)> moves;
  std::function<ChunkPointer(const ChunkPointer&)> relocate;
  // Old list page -> new page (itself if unchanged), shared by every ref rewritten.
  std::unordered_map<ChunkPointer, ChunkPointer, ChunkPointerHash> page_memo;
};

// `ref` with its chunks relocated; equal to `ref` when nothing it uses moves.
StreamRef rewrite_ref(ChunkStore& store, const StreamRef& ref, RefRewriter& rw);

}  // namespace infinitree::stream
