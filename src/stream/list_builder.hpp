// Builds the chunk-list tree of a stream as data chunk pointers arrive in order: full
// pages are written at once (memory stays at one partial page per level), and finish()
// closes the partial pages and returns the StreamRef. See stream_ref.hpp for the shape.
#pragma once

#include <cstdint>
#include <vector>

#include "object/chunk_store.hpp"
#include "stream/stream_ref.hpp"

namespace infinitree::stream {

class ListBuilder {
 public:
  // fanout: entries per list page (see StreamOptions::entries_per_page).
  ListBuilder(ChunkStore& store, size_t fanout);

  void add_chunk(const ChunkPointer& ptr);
  StreamRef finish();

  uint64_t size() const { return offset_; }
  uint64_t chunk_count() const { return chunks_; }
  uint64_t pages_written() const { return pages_; }

 private:
  void add(size_t level, const ListEntry& entry);
  void flush_level(size_t level);
  void ensure_level(size_t level);

  ChunkStore& store_;
  size_t fanout_;
  std::vector<std::vector<ListEntry>> levels_;  // the open (partial) page of each level
  std::vector<bool> flushed_;                   // whether a level has written a page
  uint64_t offset_ = 0;
  uint64_t chunks_ = 0;
  uint64_t pages_ = 0;
};

}  // namespace infinitree::stream
