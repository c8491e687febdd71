// StreamRef and list page encodings: round trips, size bound, and rejection of damage.
#include <gtest/gtest.h>

#include "stream/stream_ref.hpp"
#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using infinitree::stream::testing::error_of;

namespace {

ChunkPointer fake_ptr(ChunkKind kind, uint32_t plain, uint8_t fill) {
  ChunkPointer p;
  p.object.bytes.fill(fill);
  p.offset = 100u * fill;
  p.stored_size = plain / 2 + 1;
  p.plain_size = plain;
  p.compression = Compression::lz4;
  p.kind = kind;
  p.hash.fill(static_cast<uint8_t>(fill + 1));
  p.tag.fill(static_cast<uint8_t>(fill + 2));
  return p;
}

StreamRef sample_ref() {
  StreamRef ref;
  uint64_t off = 0;
  for (uint8_t i = 0; i < 4; ++i) {
    ChunkPointer p = fake_ptr(ChunkKind::storage, 1000 + i, i);
    ref.entries.push_back({off, p});
    off += p.plain_size;
  }
  ref.size = off;
  ref.chunk_count = 4;
  return ref;
}

}  // namespace

TEST(StreamRef, RoundTripsAndIsSmall) {
  StreamRef ref = sample_ref();
  Bytes enc = ref.encode();
  EXPECT_EQ(enc.size(), StreamRef::kMaxEncodedSize);
  EXPECT_LT(enc.size(), 1024u);
  EXPECT_EQ(StreamRef::decode(enc), ref);
  StreamRef empty;
  EXPECT_EQ(empty.encode().size(), StreamRef::kHeaderSize);
  EXPECT_EQ(StreamRef::decode(empty.encode()), empty);
}

TEST(StreamRef, LevelOneRefPointsAtIndexPages) {
  StreamRef ref;
  ref.level = 1;
  ref.size = 5'000'000;
  ref.chunk_count = 40;
  ref.entries.push_back({0, fake_ptr(ChunkKind::index, 2000, 1)});
  ref.entries.push_back({3'000'000, fake_ptr(ChunkKind::index, 2000, 2)});
  EXPECT_EQ(StreamRef::decode(ref.encode()), ref);
  // A storage pointer where a page is expected is rejected.
  ref.entries[1].ptr.kind = ChunkKind::storage;
  EXPECT_EQ(error_of([&] { StreamRef::decode(ref.encode()); }), Errc::corrupt);
}

TEST(StreamRef, RejectsDamage) {
  Bytes good = sample_ref().encode();
  auto code = [](Bytes b) { return error_of([&] { StreamRef::decode(b); }); };
  EXPECT_EQ(code({}), Errc::corrupt);
  EXPECT_EQ(code(Bytes(good.begin(), good.begin() + 30)), Errc::corrupt);
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_EQ(code(longer), Errc::corrupt);
  Bytes magic = good;
  magic[0] = 'X';
  EXPECT_EQ(code(magic), Errc::corrupt);
  Bytes version = good;
  version[4] = 9;
  EXPECT_EQ(code(version), Errc::unsupported_version);
  Bytes flags = good;
  flags[7] = 1;
  EXPECT_EQ(code(flags), Errc::corrupt);
  Bytes count = good;
  count[6] = 5;
  EXPECT_EQ(code(count), Errc::corrupt);
  Bytes size = good;
  size[8] ^= 1;  // total no longer matches the chunk sizes
  EXPECT_EQ(code(size), Errc::corrupt);
  Bytes chunks = good;
  chunks[16] = 3;
  EXPECT_EQ(code(chunks), Errc::corrupt);
  Bytes gap = good;
  gap[StreamRef::kHeaderSize + ListEntry::kEncodedSize] ^= 1;  // second entry's offset
  EXPECT_EQ(code(gap), Errc::corrupt);
}

TEST(StreamRef, EveryFlippedByteDecodesOrThrowsError) {
  Bytes good = sample_ref().encode();
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t bit : {0x01, 0x80}) {
      Bytes b = good;
      b[i] ^= bit;
      try {
        StreamRef r = StreamRef::decode(b);
        EXPECT_EQ(r.encode(), b);  // whatever decodes re-encodes identically
      } catch (const Error&) {
      }
    }
  }
}

TEST(ListPage, RoundTripsAndChecksRangeAndLevel) {
  StreamRef ref = sample_ref();
  Bytes page = encode_list_page(0, ref.entries);
  EXPECT_EQ(decode_list_page(page, 0, 0, ref.size), ref.entries);
  EXPECT_EQ(error_of([&] { decode_list_page(page, 1, 0, ref.size); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { decode_list_page(page, 0, 0, ref.size + 1); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { decode_list_page(page, 0, 1, ref.size); }), Errc::corrupt);
  Bytes cut(page.begin(), page.end() - 1);
  EXPECT_EQ(error_of([&] { decode_list_page(cut, 0, 0, ref.size); }), Errc::corrupt);
  EXPECT_EQ(error_of([&] { decode_list_page(encode_list_page(0, {}), 0, 0, 0); }), Errc::corrupt);
}
