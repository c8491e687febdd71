// Bit-exact round trips through StreamWriter and StreamReader, with default and with
// small chunk sizes (many chunks, multi-level chunk lists), and random access.
#include <gtest/gtest.h>

#include <random>

#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using namespace infinitree::stream::testing;

TEST(StreamRoundTrip, SizesFromZeroToTensOfMiB) {
  TestStore t;
  const ChunkerParams p;
  const std::vector<size_t> sizes = {0, 1, 2, 4095, p.min_size - 1, p.min_size, p.min_size + 1,
                                     p.avg_size, p.max_size - 1, p.max_size, p.max_size + 1,
                                     2 * p.max_size + 17, 24 * 1024 * 1024 + 3};
  for (size_t n : sizes) {
    Bytes data = pseudo_random(n, n + 1);
    StreamRef ref = write_stream(t.store, t.index, data);
    EXPECT_EQ(ref.size, n);
    EXPECT_EQ(read_stream(t.store, ref), data) << n;
    EXPECT_EQ(StreamRef::decode(ref.encode()), ref);
  }
}

TEST(StreamRoundTrip, SurvivesFlushAndAFreshStore) {
  TestStore t;
  Bytes data = mixed_data(12 * 1024 * 1024, 5);
  StreamRef ref = write_stream(t.store, t.index, data);
  t.store->flush();
  Bytes enc = ref.encode();
  auto fresh = t.fresh();
  EXPECT_EQ(read_stream(fresh, StreamRef::decode(enc)), data);
}

TEST(StreamRoundTrip, ZeroFilledDataIsBitExactAndStoredOnce) {
  TestStore t;
  Bytes zeros(20 * 1024 * 1024, 0);
  StreamWriter w(t.store, t.index);
  w.write(zeros);
  StreamRef ref = w.finish();
  EXPECT_EQ(read_stream(t.store, ref), zeros);
  StreamStats st = w.stats();
  EXPECT_EQ(st.bytes_in, zeros.size());
  EXPECT_GE(st.chunks, 5u);
  // All full chunks are identical: one copy of it plus at most the tail chunk.
  EXPECT_LE(st.chunks_new, 2u);
  EXPECT_GT(st.dedup_ratio(), 2.5);
}

TEST(StreamRoundTrip, WritesOfAnySizeGiveTheSameChunks) {
  TestStore t;
  Bytes data = mixed_data(9 * 1024 * 1024 + 11, 6);
  StreamRef whole = write_stream(t.store, nullptr, data);
  // Same data in odd-sized pieces, including empty writes.
  StreamWriter w(t.store, nullptr);
  std::mt19937 rng(1);
  size_t pos = 0;
  while (pos < data.size()) {
    size_t n = std::min<size_t>(data.size() - pos, rng() % 300000);
    w.write(ByteView(data).subspan(pos, n));
    pos += n;
  }
  StreamRef pieces = w.finish();
  ASSERT_EQ(pieces.chunk_count, whole.chunk_count);
  std::vector<ChunkPointer> a, b;
  reachable(*t.store, whole, [&](const ChunkPointer& p) { a.push_back(p); });
  reachable(*t.store, pieces, [&](const ChunkPointer& p) { b.push_back(p); });
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].kind, b[i].kind) << i;
    EXPECT_EQ(a[i].plain_size, b[i].plain_size) << i;
    // Data chunks have the same content; list pages differ (they name other locations).
    if (a[i].kind == ChunkKind::storage) {
      EXPECT_EQ(a[i].hash, b[i].hash) << i;
    }
  }
  EXPECT_EQ(read_stream(t.store, pieces), data);
}

TEST(StreamRoundTrip, ManySmallChunksBuildAMultiLevelList) {
  TestStore t;
  Bytes data = pseudo_random(6 * 1024 * 1024, 7);  // ~600 chunks of ~10 KiB, fanout 8
  StreamWriter w(t.store, t.index, small_chunks(8));
  w.write(data);
  StreamRef ref = w.finish();
  EXPECT_GE(ref.level, 2);
  EXPECT_GT(w.stats().list_pages, 50u);
  EXPECT_LE(ref.encode().size(), StreamRef::kMaxEncodedSize);
  EXPECT_EQ(read_stream(t.store, ref), data);

  size_t pages = 0, chunks = 0;
  reachable(*t.store, ref, [&](const ChunkPointer& p) {
    (p.kind == ChunkKind::index ? pages : chunks)++;
  });
  EXPECT_EQ(chunks, ref.chunk_count);
  EXPECT_EQ(pages, w.stats().list_pages);
}

TEST(StreamRoundTrip, ListLevelsAtEveryBoundary) {
  // Chunk counts around the inline limit and page fanout: 1..4 inline, 5.. paged.
  TestStore t;
  StreamOptions o = small_chunks(8);
  o.chunker.min_size = o.chunker.avg_size = o.chunker.max_size = 1024;  // fixed-size chunks
  for (size_t chunks : {1, 4, 5, 8, 9, 32, 33, 64, 65, 257}) {
    Bytes data = pseudo_random(chunks * 1024 - 1, chunks);
    StreamRef ref = write_stream(t.store, nullptr, data, o);
    EXPECT_EQ(ref.chunk_count, chunks);
    EXPECT_EQ(ref.level, chunks <= 4 ? 0 : chunks <= 32 ? 1 : chunks <= 256 ? 2 : 3) << chunks;
    EXPECT_EQ(read_stream(t.store, StreamRef::decode(ref.encode())), data) << chunks;
  }
}

TEST(StreamRoundTrip, SeekAndReadAtMatchTheSource) {
  TestStore t;
  Bytes data = mixed_data(5 * 1024 * 1024, 8);
  StreamRef ref = write_stream(t.store, t.index, data, small_chunks(16));
  StreamReader r(t.store, ref);
  ASSERT_EQ(r.size(), data.size());
  std::mt19937_64 rng(42);
  Bytes buf(70000);
  for (int i = 0; i < 300; ++i) {
    uint64_t pos = rng() % (data.size() + 1);
    size_t n = rng() % buf.size();
    size_t got = r.read_at(pos, buf.data(), n);
    ASSERT_EQ(got, std::min<uint64_t>(n, data.size() - pos));
    ASSERT_TRUE(std::equal(buf.begin(), buf.begin() + got, data.begin() + pos)) << pos;
  }
  // Sequential reads in odd sizes after seeks.
  for (int i = 0; i < 20; ++i) {
    uint64_t pos = rng() % data.size();
    r.seek(pos);
    Bytes out;
    while (out.size() < 300000) {
      size_t got = r.read(buf.data(), 1 + rng() % 5000);
      if (got == 0) break;
      out.insert(out.end(), buf.begin(), buf.begin() + got);
    }
    EXPECT_EQ(r.tell(), pos + out.size());
    ASSERT_TRUE(std::equal(out.begin(), out.end(), data.begin() + pos));
  }
  r.seek(data.size());
  EXPECT_EQ(r.read(buf.data(), 10), 0u);
  EXPECT_EQ(r.read_at(data.size(), buf.data(), 10), 0u);
  EXPECT_EQ(error_of([&] { r.seek(data.size() + 1); }), Errc::invalid_argument);
  EXPECT_EQ(error_of([&] { r.read_at(data.size() + 1, buf.data(), 1); }), Errc::invalid_argument);
}

TEST(StreamRoundTrip, SequentialReadWithReadAheadReadsEveryChunkOnce) {
  TestStore t;
  Bytes data = pseudo_random(16 * 1024 * 1024, 9);
  StreamRef ref = write_stream(t.store, t.index, data);
  t.store->flush();
  auto fresh = t.fresh();
  StreamReader r(fresh, ref);
  Bytes out(data.size());
  size_t pos = 0;
  while (size_t got = r.read(out.data() + pos, std::min<size_t>(1 << 20, out.size() - pos)))
    pos += got;
  EXPECT_EQ(pos, data.size());
  EXPECT_EQ(out, data);
  // Prefetched chunks are consumed from the cache, not fetched again (a prefetch may
  // still be in flight for none: the last chunk has no successor).
  EXPECT_LE(fresh->stats().chunks_read, ref.chunk_count + 1);
}

TEST(StreamRoundTrip, SoakHundredsOfMiB) {
  if (!soak()) GTEST_SKIP() << "set INFINITREE_SOAK=1";
  TestStore t;
  const size_t n = 400 * 1024 * 1024;
  Bytes data = mixed_data(n, 10);
  StreamRef ref = write_stream(t.store, t.index, data);
  EXPECT_EQ(read_stream(t.store, ref), data);
}

TEST(StreamRoundTrip, ManySmallStreamsNeedNoListPages) {
  // Files of a folder: many short streams, each its own writer on the shared pool.
  TestStore t;
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) {
    Bytes data = pseudo_random(rng() % 60000, 1000 + i);
    StreamWriter w(t.store, t.index);
    w.write(data);
    StreamRef ref = w.finish();
    EXPECT_EQ(w.stats().list_pages, 0u);
    EXPECT_EQ(ref.encode().size(),
              StreamRef::kHeaderSize + (data.empty() ? 0 : ListEntry::kEncodedSize));
    ASSERT_EQ(read_stream(t.store, ref), data) << i;
  }
}
