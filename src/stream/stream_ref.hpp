// How a stream is named: a StreamRef (a few hundred bytes, fit for a map value) holding
// the total size, the chunk count and the top of a small tree of chunk lists.
//
// The chunk list is a tree of "list pages" (index chunks). A page of level 0 lists data
// chunks as (offset, pointer); a page of level L > 0 lists pages of level L-1 as (offset
// of their first byte, pointer). The ref itself holds the top level inline (at most
// kMaxInline entries), so a stream of 1..4 chunks needs no list page at all, and a stream
// of many GiB has a few pages per level. Byte layouts: docs/streams.md.
#pragma once

#include <cstdint>
#include <vector>

#include "object/chunk_pointer.hpp"
#include "util/bytes.hpp"

namespace infinitree::stream {

struct ListEntry {
  uint64_t offset = 0;  // stream offset of the first byte this entry covers
  ChunkPointer ptr;     // a storage chunk (level 0) or a list page (level > 0)

  static constexpr size_t kEncodedSize = 8 + ChunkPointer::kEncodedSize;  // 102
  bool operator==(const ListEntry&) const = default;
};

constexpr uint8_t kMaxListLevel = 16;

struct StreamRef {
  static constexpr size_t kMaxInline = 4;
  static constexpr size_t kHeaderSize = 24;
  static constexpr size_t kMaxEncodedSize = kHeaderSize + kMaxInline * ListEntry::kEncodedSize;

  uint64_t size = 0;         // total bytes
  uint64_t chunk_count = 0;  // data chunks
  uint8_t level = 0;         // level of the inline entries (0: they are data chunks)
  std::vector<ListEntry> entries;

  Bytes encode() const;
  // Throws Error(corrupt) on a bad magic, length, enum or an inconsistent list;
  // Error(unsupported_version) on an unknown version.
  static StreamRef decode(ByteView bytes);

  bool operator==(const StreamRef&) const = default;
};

// List pages (index chunks).
Bytes encode_list_page(uint8_t level, const std::vector<ListEntry>& entries);
// Decodes and checks that the page is of `level` and covers exactly [begin, end).
std::vector<ListEntry> decode_list_page(ByteView bytes, uint8_t level, uint64_t begin,
                                        uint64_t end);

// Checks entries of `level` covering exactly [begin, end): level 0 entries are contiguous
// storage chunks whose sizes add up; level > 0 entries are index chunks at strictly
// increasing offsets inside the range. Throws Error(corrupt).
void validate_entries(const std::vector<ListEntry>& entries, uint8_t level, uint64_t begin,
                      uint64_t end);

// The byte range [begin, end) an entry covers, given its siblings and the parent range end.
inline uint64_t entry_end(const std::vector<ListEntry>& entries, size_t i, uint8_t level,
                          uint64_t parent_end) {
  if (level == 0) return entries[i].offset + entries[i].ptr.plain_size;
  return i + 1 < entries.size() ? entries[i + 1].offset : parent_end;
}

}  // namespace infinitree::stream
