// Deduplication: identical streams store nothing new, an edit in the middle stores only
// the chunks around it, and the stats say so.
#include <gtest/gtest.h>

#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using namespace infinitree::stream::testing;

TEST(StreamDedup, IdenticalStreamStoresNoNewChunks) {
  TestStore t;
  Bytes data = mixed_data(16 * 1024 * 1024, 1);
  StreamWriter first(t.store, t.index);
  first.write(data);
  StreamRef a = first.finish();
  EXPECT_EQ(first.stats().bytes_in, data.size());
  EXPECT_GT(first.stats().chunks_new, 0u);

  const uint64_t stored_before = t.store->stats().chunks_written;
  StreamWriter second(t.store, t.index);
  second.write(data);
  StreamRef b = second.finish();
  StreamStats st = second.stats();
  EXPECT_EQ(st.chunks_new, 0u);
  EXPECT_EQ(st.bytes_new, 0u);
  EXPECT_EQ(st.chunks, a.chunk_count);
  EXPECT_TRUE(std::isinf(st.dedup_ratio()));
  // Only the chunk list (none here: few chunks fit inline) was written.
  EXPECT_EQ(t.store->stats().chunks_written - stored_before, st.list_pages);
  // The same data chunks in the same order (list pages, if any, are new index chunks).
  std::vector<ChunkPointer> ca, cb;
  reachable(*t.store, a, [&](const ChunkPointer& p) { if (p.kind == ChunkKind::storage) ca.push_back(p); });
  reachable(*t.store, b, [&](const ChunkPointer& p) { if (p.kind == ChunkKind::storage) cb.push_back(p); });
  EXPECT_EQ(ca, cb);
  EXPECT_EQ(read_stream(t.store, b), data);
}

TEST(StreamDedup, InsertionInTheMiddleStoresOnlyNearbyChunks) {
  TestStore t;
  Bytes data = pseudo_random(40 * 1024 * 1024, 2);
  StreamWriter w1(t.store, t.index);
  w1.write(data);
  StreamRef a = w1.finish();
  ASSERT_GE(a.chunk_count, 20u);

  Bytes edited(data.begin(), data.begin() + 20 * 1024 * 1024 + 12345);
  Bytes ins = pseudo_random(5000, 3);
  edited.insert(edited.end(), ins.begin(), ins.end());
  edited.insert(edited.end(), data.begin() + 20 * 1024 * 1024 + 12345, data.end());

  StreamWriter w2(t.store, t.index);
  w2.write(edited);
  StreamRef b = w2.finish();
  StreamStats st = w2.stats();
  EXPECT_EQ(read_stream(t.store, b), edited);
  EXPECT_GE(st.chunks_new, 1u);
  EXPECT_LE(st.chunks_new, 3u) << "of " << st.chunks;
  EXPECT_GT(st.dedup_ratio(), 5.0);
}

TEST(StreamDedup, DuplicatesWithinOneStreamAreStoredOnce) {
  TestStore t;
  Bytes block = pseudo_random(6 * 1024 * 1024, 4);
  Bytes data;
  for (int i = 0; i < 4; ++i) data.insert(data.end(), block.begin(), block.end());
  // No shared index: only the writer's own stream-local table.
  StreamWriter w(t.store, nullptr);
  w.write(data);
  StreamRef ref = w.finish();
  StreamStats st = w.stats();
  EXPECT_EQ(read_stream(t.store, ref), data);
  // Copies 2..4 resynchronise after at most a couple of chunks.
  EXPECT_LT(st.bytes_new, 2 * block.size());
}

TEST(StreamDedup, WithoutASharedIndexStreamsDoNotSeeEachOther) {
  TestStore t;
  Bytes data = pseudo_random(3 * 1024 * 1024, 5);
  StreamWriter w1(t.store, nullptr);
  w1.write(data);
  w1.finish();
  StreamWriter w2(t.store, nullptr);
  w2.write(data);
  w2.finish();
  EXPECT_EQ(w2.stats().bytes_new, data.size());
}
