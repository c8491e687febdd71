#include "stream/stream_ref.hpp"

#include <string>

#include "infinitree/error.hpp"

namespace infinitree::stream {

namespace {

constexpr uint8_t kRefMagic[4] = {'I', 'T', 'S', 'R'};
constexpr uint8_t kPageMagic[4] = {'I', 'T', 'S', 'P'};
constexpr uint8_t kVersion = 1;
constexpr size_t kPageHeaderSize = 12;

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(Errc::corrupt, "stream list: " + what);
}

void encode_entry(uint8_t* p, const ListEntry& e) {
  put_u64le(p, e.offset);
  e.ptr.encode_to(p + 8);
}

ListEntry decode_entry(const uint8_t* p) {
  ListEntry e;
  e.offset = get_u64le(p);
  e.ptr = ChunkPointer::decode(ByteView(p + 8, ChunkPointer::kEncodedSize));
  return e;
}

}  // namespace

void validate_entries(const std::vector<ListEntry>& entries, uint8_t level, uint64_t begin,
                      uint64_t end) {
  if (level > kMaxListLevel) corrupt("level " + std::to_string(level) + " too deep");
  if (begin > end) corrupt("range ends before it begins");
  if (entries.empty()) {
    if (begin != end) corrupt("no entries for a non-empty range");
    return;
  }
  if (entries.front().offset != begin)
    corrupt("first entry at " + std::to_string(entries.front().offset) + ", expected " +
            std::to_string(begin));
  const ChunkKind want = level == 0 ? ChunkKind::storage : ChunkKind::index;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ListEntry& e = entries[i];
    if (e.ptr.kind != want) corrupt("entry " + std::to_string(i) + " has the wrong chunk kind");
    if (level == 0) {
      if (e.ptr.plain_size == 0) corrupt("empty data chunk");
      if (e.offset > end || e.ptr.plain_size > end - e.offset) corrupt("chunk runs past the end");
      const uint64_t next = e.offset + e.ptr.plain_size;
      if (i + 1 < entries.size() ? entries[i + 1].offset != next : next != end)
        corrupt("data chunks are not contiguous at entry " + std::to_string(i));
    } else {
      if (e.offset >= end) corrupt("page starts past the end");
      if (i + 1 < entries.size() && entries[i + 1].offset <= e.offset)
        corrupt("page offsets not increasing at entry " + std::to_string(i));
    }
  }
}

Bytes StreamRef::encode() const {
  if (entries.size() > kMaxInline) throw Error(Errc::internal, "stream ref: too many entries");
  Bytes out(kHeaderSize + entries.size() * ListEntry::kEncodedSize);
  uint8_t* p = out.data();
  std::memcpy(p, kRefMagic, 4);
  p[4] = kVersion;
  p[5] = level;
  p[6] = static_cast<uint8_t>(entries.size());
  p[7] = 0;  // flags, reserved
  put_u64le(p + 8, size);
  put_u64le(p + 16, chunk_count);
  p += kHeaderSize;
  for (const auto& e : entries) {
    encode_entry(p, e);
    p += ListEntry::kEncodedSize;
  }
  return out;
}

StreamRef StreamRef::decode(ByteView bytes) {
  if (bytes.size() < kHeaderSize) corrupt("stream ref shorter than its header");
  const uint8_t* p = bytes.data();
  if (std::memcmp(p, kRefMagic, 4) != 0) corrupt("not a stream ref (bad magic)");
  if (p[4] != kVersion)
    throw Error(Errc::unsupported_version,
                "stream ref version " + std::to_string(p[4]) + " is not supported");
  StreamRef ref;
  ref.level = p[5];
  const size_t n = p[6];
  if (p[7] != 0) corrupt("stream ref has unknown flags");
  if (n > kMaxInline) corrupt("stream ref has too many entries");
  if (bytes.size() != kHeaderSize + n * ListEntry::kEncodedSize)
    corrupt("stream ref has " + std::to_string(bytes.size()) + " bytes for " +
            std::to_string(n) + " entries");
  ref.size = get_u64le(p + 8);
  ref.chunk_count = get_u64le(p + 16);
  for (size_t i = 0; i < n; ++i)
    ref.entries.push_back(decode_entry(p + kHeaderSize + i * ListEntry::kEncodedSize));
  validate_entries(ref.entries, ref.level, 0, ref.size);
  const bool bad_count = ref.size == 0
                             ? (ref.chunk_count != 0 || ref.level != 0)
                             : (ref.chunk_count < ref.entries.size() || ref.chunk_count > ref.size);
  if (bad_count)
    corrupt("stream ref chunk count " + std::to_string(ref.chunk_count) + " is inconsistent");
  if (ref.level == 0 && ref.chunk_count != ref.entries.size())
    corrupt("stream ref chunk count does not match its entries");
  return ref;
}

Bytes encode_list_page(uint8_t level, const std::vector<ListEntry>& entries) {
  Bytes out(kPageHeaderSize + entries.size() * ListEntry::kEncodedSize);
  uint8_t* p = out.data();
  std::memcpy(p, kPageMagic, 4);
  p[4] = kVersion;
  p[5] = level;
  p[6] = 0;
  p[7] = 0;
  put_u32le(p + 8, static_cast<uint32_t>(entries.size()));
  p += kPageHeaderSize;
  for (const auto& e : entries) {
    encode_entry(p, e);
    p += ListEntry::kEncodedSize;
  }
  return out;
}

std::vector<ListEntry> decode_list_page(ByteView bytes, uint8_t level, uint64_t begin,
                                        uint64_t end) {
  if (bytes.size() < kPageHeaderSize) corrupt("list page shorter than its header");
  const uint8_t* p = bytes.data();
  if (std::memcmp(p, kPageMagic, 4) != 0) corrupt("not a list page (bad magic)");
  if (p[4] != kVersion)
    throw Error(Errc::unsupported_version,
                "list page version " + std::to_string(p[4]) + " is not supported");
  if (p[5] != level)
    corrupt("list page of level " + std::to_string(p[5]) + " where level " +
            std::to_string(level) + " was expected");
  if (p[6] != 0 || p[7] != 0) corrupt("list page reserved bytes are not zero");
  const uint32_t n = get_u32le(p + 8);
  if (n == 0) corrupt("empty list page");
  if ((bytes.size() - kPageHeaderSize) / ListEntry::kEncodedSize != n ||
      (bytes.size() - kPageHeaderSize) % ListEntry::kEncodedSize != 0)
    corrupt("list page length does not match its entry count");
  std::vector<ListEntry> entries;
  entries.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    entries.push_back(decode_entry(p + kPageHeaderSize + size_t{i} * ListEntry::kEncodedSize));
  validate_entries(entries, level, begin, end);
  return entries;
}

}  // namespace infinitree::stream
