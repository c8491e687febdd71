#include "stream/list_builder.hpp"

#include "infinitree/error.hpp"

namespace infinitree::stream {

ListBuilder::ListBuilder(ChunkStore& store, size_t fanout) : store_(store), fanout_(fanout) {
  ensure_level(0);
}

void ListBuilder::ensure_level(size_t level) {
  if (level > kMaxListLevel) throw Error(Errc::too_large, "stream chunk list too deep");
  while (levels_.size() <= level) {
    levels_.emplace_back();  // grows as entries arrive: small streams stay small
    flushed_.push_back(false);
  }
}

void ListBuilder::add_chunk(const ChunkPointer& ptr) {
  add(0, ListEntry{offset_, ptr});
  offset_ += ptr.plain_size;
  ++chunks_;
}

void ListBuilder::add(size_t level, const ListEntry& entry) {
  ensure_level(level);
  levels_[level].push_back(entry);
  if (levels_[level].size() >= fanout_) flush_level(level);
}

void ListBuilder::flush_level(size_t level) {
  std::vector<ListEntry>& open = levels_[level];
  Bytes page = encode_list_page(static_cast<uint8_t>(level), open);
  ChunkPointer ptr = store_.write(ChunkKind::index, page);
  const uint64_t first = open.front().offset;
  open.clear();
  flushed_[level] = true;
  ++pages_;
  add(level + 1, ListEntry{first, ptr});
}

StreamRef ListBuilder::finish() {
  StreamRef ref;
  ref.size = offset_;
  ref.chunk_count = chunks_;
  // The lowest level that never spilled a page and fits inline becomes the ref's top;
  // every level below it closes its partial page into the level above.
  for (size_t level = 0;; ++level) {
    ensure_level(level);
    if (!flushed_[level] && levels_[level].size() <= StreamRef::kMaxInline) {
      ref.level = static_cast<uint8_t>(level);
      ref.entries = levels_[level];
      levels_[level].clear();
      return ref;
    }
    if (!levels_[level].empty()) flush_level(level);
  }
}

}  // namespace infinitree::stream
