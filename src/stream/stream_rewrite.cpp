#include "stream/stream_rewrite.hpp"

namespace infinitree::stream {

namespace {

std::vector<ListEntry> rewrite_entries(ChunkStore& store, std::vector<ListEntry> entries,
                                       uint8_t level, uint64_t end, RefRewriter& rw);

ChunkPointer rewrite_page(ChunkStore& store, const ChunkPointer& ptr, uint8_t level, uint64_t begin,
                          uint64_t end, RefRewriter& rw) {
  if (auto it = rw.page_memo.find(ptr); it != rw.page_memo.end()) return it->second;
  std::vector<ListEntry> entries = decode_list_page(store.read(ptr), level, begin, end);
  std::vector<ListEntry> moved = rewrite_entries(store, entries, level, end, rw);
  ChunkPointer out = ptr;
  if (moved != entries || rw.moves(ptr)) out = store.write(ChunkKind::index, encode_list_page(level, moved));
  rw.page_memo.emplace(ptr, out);
  return out;
}

std::vector<ListEntry> rewrite_entries(ChunkStore& store, std::vector<ListEntry> entries,
                                       uint8_t level, uint64_t end, RefRewriter& rw) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (level == 0) {
      entries[i].ptr = rw.relocate(entries[i].ptr);
    } else {
      uint64_t child_end = entry_end(entries, i, level, end);
      entries[i].ptr = rewrite_page(store, entries[i].ptr, static_cast<uint8_t>(level - 1),
                                    entries[i].offset, child_end, rw);
    }
  }
  return entries;
}

}  // namespace

StreamRef rewrite_ref(ChunkStore& store, const StreamRef& ref, RefRewriter& rw) {
  StreamRef out = ref;
  out.entries = rewrite_entries(store, ref.entries, ref.level, ref.size, rw);
  return out;
}

}  // namespace infinitree::stream
