// Chunk boundaries come from a per-tree secret: two trees cut the same bytes at different
// places (the store cannot predict a guessed file's chunk sizes), one tree always cuts the
// same bytes at the same places (dedup across commits and processes still works).
#include <gtest/gtest.h>

#include <numeric>

#include "crypto/kdf.hpp"
#include "stream/chunker.hpp"
#include "stream_test_util.hpp"

using namespace infinitree;
using namespace infinitree::stream;
using infinitree::stream::testing::mixed_data;
using infinitree::stream::testing::small_chunks;
using infinitree::stream::testing::TestStore;

namespace {

// Plain sizes of a stream's data chunks, in stream order: where its boundaries are.
std::vector<uint32_t> chunk_sizes(ChunkStore& store, const StreamRef& ref) {
  std::vector<uint32_t> sizes;
  reachable(store, ref, [&](const ChunkPointer& p) {
    if (p.kind == ChunkKind::storage) sizes.push_back(p.plain_size);
  });
  return sizes;
}

}  // namespace

TEST(ChunkBoundaryKey, GearTableDependsOnlyOnTheKey) {
  crypto::SecretKey a = crypto::SecretKey::random(), b = crypto::SecretKey::random();
  EXPECT_EQ(keyed_gear_table(a), keyed_gear_table(a));
  EXPECT_NE(keyed_gear_table(a), keyed_gear_table(b));
  EXPECT_NE(keyed_gear_table(a), gear_table());
}

TEST(ChunkBoundaryKey, EachTreeHasItsOwnBoundaryKey) {
  crypto::SecretKey master = crypto::SecretKey::random();
  crypto::KeyRing ring = crypto::KeyRing::from_master(master);
  EXPECT_TRUE(ring.chunker_key == crypto::KeyRing::from_master(master).chunker_key);
  EXPECT_FALSE(ring.chunker_key == ring.hash_key);
  EXPECT_FALSE(ring.chunker_key == ring.index_key);
  EXPECT_FALSE(ring.chunker_key == ring.storage_key);
  EXPECT_FALSE(ring.chunker_key == crypto::KeyRing::from_master(crypto::SecretKey::random()).chunker_key);
}

TEST(ChunkBoundaryKey, TwoTreesCutTheSameDataDifferently) {
  TestStore a, b;
  Bytes data = mixed_data(1024 * 1024, 3);
  StreamRef ra = write_stream(a.store, a.index, data, small_chunks());
  StreamRef rb = write_stream(b.store, b.index, data, small_chunks());
  std::vector<uint32_t> sa = chunk_sizes(*a.store, ra), sb = chunk_sizes(*b.store, rb);
  ASSERT_GT(sa.size(), 20u);
  EXPECT_EQ(std::accumulate(sa.begin(), sa.end(), uint64_t{0}), data.size());
  EXPECT_EQ(std::accumulate(sb.begin(), sb.end(), uint64_t{0}), data.size());
  // Runs of zeros cut at max size with any table; the random and text parts must differ.
  EXPECT_NE(sa, sb);
  EXPECT_EQ(read_stream(a.store, ra), data);
  EXPECT_EQ(read_stream(b.store, rb), data);
}

TEST(ChunkBoundaryKey, OneTreeCutsDeterministicallySoDedupWorks) {
  TestStore t;
  Bytes data = mixed_data(1024 * 1024, 4);
  StreamRef first = write_stream(t.store, t.index, data, small_chunks());
  t.store->flush();
  // Another process of the same tree: a new store with the same keys, same index.
  auto again_store = t.fresh();
  StreamWriter w(again_store, t.index, small_chunks());
  w.write(data);
  StreamRef second = w.finish();
  EXPECT_EQ(chunk_sizes(*t.store, first), chunk_sizes(*again_store, second));
  EXPECT_EQ(w.stats().chunks_new, 0u) << "the same bytes in the same tree must deduplicate";
  // The keyed chunker alone: the same key gives the same cut.
  Chunker c1(ChunkerParams{}, t.keys.chunker_key), c2(ChunkerParams{}, t.keys.chunker_key);
  Bytes big = mixed_data(6 * 1024 * 1024, 5);
  EXPECT_EQ(c1.cut(big), c2.cut(big));
}
